"""What importing adds to an agreement's page (subscribed in registry/__init__.py)."""

from flask import render_template
from markupsafe import Markup

from registry.agreements.events import AgreementPageShown

from . import queries


def agreement_origin(event: AgreementPageShown) -> dict[str, Markup]:
    """Say, on an imported agreement, which file and row it came from, and that it was signed outside the registry."""
    record = queries.imported_record_of(event.agreement)
    if record is None:
        return {}
    return {"imported": Markup(render_template("imports/_agreement_panel.html", record=record))}
