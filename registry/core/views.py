"""Pages about the service itself, and the health check for load balancers."""

import sqlalchemy as sa
from flask import Blueprint, render_template

from registry.extensions import db

from .authz import public

bp = Blueprint("core", __name__)


@bp.get("/about")
@public
def about():
    """Explain what the registry is for and where its data comes from."""
    return render_template("core/about.html")


@bp.get("/accessibility")
@public
def accessibility():
    """Show the accessibility statement."""
    return render_template("core/accessibility.html")


@bp.get("/health")
@public
def health():
    """Answer OK when the app can reach its database."""
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
