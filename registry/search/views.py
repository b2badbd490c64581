"""The search results page that the header's search box opens."""

from flask import Blueprint, render_template

from registry.auth.decorators import current_actor
from registry.core.authz import public
from registry.core.clock import today
from registry.core.forms import load_query

from .queries import SHOWN, search_everything
from .schemas import SearchQuerySchema

bp = Blueprint("search", __name__)


@bp.get("/search")
@public
def results():
    """Show the agreements, datasets and authorities I may see that match the search (signed out: the public register)."""
    values, form = load_query(SearchQuerySchema())
    found = search_everything(current_actor(), values["q"], today())
    return render_template("search/results.html", form=form, q=values["q"], found=found, shown=SHOWN), form.http_status
