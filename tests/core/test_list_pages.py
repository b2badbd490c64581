"""What list pages share: the search read from the query string (core/forms.py) and the links to other pages (core/pagination.py)."""

from marshmallow import Schema, fields, validate

from registry.core.forms import load_query
from registry.core.pagination import Page


class SearchSchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=5, error="Too long"))
    page = fields.Integer(load_default=1)


def test_a_valid_search_is_read_from_the_query_string(app):
    with app.test_request_context(query_string={"q": "leeds", "page": "2"}):
        values, form = load_query(SearchSchema())
    assert (values, form.http_status) == ({"q": "leeds", "page": 2}, 200)


def test_a_search_with_errors_lists_with_the_defaults_and_says_what_is_wrong(app):
    with app.test_request_context(query_string={"q": "far too long"}):
        values, form = load_query(SearchSchema())
    assert (values, form.errors, form.http_status) == ({"q": "", "page": 1}, {"q": "Too long"}, 422)
    assert form.valid_values() == {}


def test_links_to_other_pages_keep_the_query_but_not_the_page(app):
    page = Page(items=[], total=30, number=2, per_page=10)
    with app.test_request_context():
        links = page.govuk_links("users.index", {"q": "ann", "page": "2"})
    assert links["previous"] == {"href": "/users?q=ann&page=1"}
    assert links["next"] == {"href": "/users?q=ann&page=3"}
