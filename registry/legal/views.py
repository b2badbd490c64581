"""HTML pages for legal (being written)."""

from flask import Blueprint

bp = Blueprint("legal", __name__, url_prefix="/legal-bases")
