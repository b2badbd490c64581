"""JSON API for datasets (being written)."""

from flask_smorest import Blueprint

blp = Blueprint("datasets_api", __name__, url_prefix="/api/v1/datasets", description="datasets")
