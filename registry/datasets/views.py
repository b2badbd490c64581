"""HTML pages for datasets (being written)."""

from flask import Blueprint

bp = Blueprint("datasets", __name__, url_prefix="/datasets")
