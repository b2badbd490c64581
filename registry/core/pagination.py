"""Splitting a query's results into pages: the parameters GOV.UK's pagination component needs, and the API's page schema."""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import url_for
from marshmallow import Schema, fields

from registry.extensions import db

from .limits import LARGEST_PAGE


@dataclass(frozen=True)
class Page:
    """One page of results, with what is needed to link to the others."""

    items: list[Any]
    total: int
    number: int
    per_page: int
    # True when there are more rows than were counted: `total` is then the counting limit.
    total_is_capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_item(self) -> int:
        return 0 if self.total == 0 else (self.number - 1) * self.per_page + 1

    @property
    def last_item(self) -> int:
        return min(self.total, self.number * self.per_page)

    def govuk_pagination(self, url_for_page: Callable[[int], str]) -> dict | None:
        """Return govukPagination parameters, or None when everything fits on one page."""
        if self.pages <= 1:
            return None
        params: dict[str, Any] = {"items": [], "landmarkLabel": "Pages of results"}
        if self.number > 1:
            params["previous"] = {"href": url_for_page(self.number - 1)}
        if self.number < self.pages:
            params["next"] = {"href": url_for_page(self.number + 1)}
        # First, last, and the pages either side of this one; an ellipsis marks each gap.
        shown = [n for n in range(1, self.pages + 1) if n in (1, self.pages) or abs(n - self.number) <= 1]
        previous = 0
        for number in shown:
            if number - previous > 1:
                params["items"].append({"ellipsis": True})
            params["items"].append({"number": number, "href": url_for_page(number), "current": number == self.number})
            previous = number
        return params


    def govuk_links(self, endpoint: str, query: Mapping[str, Any]) -> dict | None:
        """Return govukPagination parameters linking to the endpoint's other pages, with the same query."""
        kept = {name: value for name, value in query.items() if name != "page"}
        return self.govuk_pagination(lambda number: url_for(endpoint, **kept, page=number))


class PageSchema(Schema):
    """One page of a list, as the API shows a Page; each list adds its `items`."""

    total = fields.Integer()
    page = fields.Integer(attribute="number")
    per_page = fields.Integer()
    pages = fields.Integer()


def page_number(raw: str | None) -> int:
    """Return a page number from a query-string value; anything not a positive number means page 1."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(1, number), LARGEST_PAGE)


def paginate(statement: sa.Select, number: int, per_page: int, options: tuple = (), count_limit: int | None = None) -> Page:
    """Run one page of a select statement, with the total count of its rows.

    Loader options are applied to the page's rows only, never to the count. With a count
    limit, counting stops there: on a national list, "more than 1,000" is as useful as the
    exact number and far cheaper to know.
    """
    counted = statement.order_by(None)
    if count_limit is not None:
        counted = counted.limit(count_limit + 1)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted.subquery())) or 0
    capped = count_limit is not None and total > count_limit
    page_query = statement.limit(per_page).offset((number - 1) * per_page)
    items = list(db.session.scalars(page_query.options(*options)).unique())
    return Page(items=items, total=count_limit if capped else total, number=number, per_page=per_page, total_is_capped=capped)
