"""Splitting a query's results into pages, and the parameters GOV.UK's pagination component needs."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from registry.extensions import db


@dataclass(frozen=True)
class Page:
    """One page of results, with what is needed to link to the others."""

    items: list[Any]
    total: int
    number: int
    per_page: int

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


def page_number(raw: str | None) -> int:
    """Return a page number from a query-string value; anything not a positive number means page 1."""
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return max(1, number)


def paginate(statement: sa.Select, number: int, per_page: int) -> Page:
    """Run one page of a select statement, with the total count of its rows."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    items = list(db.session.scalars(statement.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, total=total or 0, number=number, per_page=per_page)
