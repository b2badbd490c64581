"""JSON API for legal (being written)."""

from flask_smorest import Blueprint

blp = Blueprint("legal_api", __name__, url_prefix="/api/v1/legal-bases", description="legal")
