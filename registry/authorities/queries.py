"""Finding authorities: search with filters, and lookup by code."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from registry.core.errors import ValidationFailed
from registry.core.lookup import one_or_not_found
from registry.core.text_search import contains
from registry.extensions import db

from .models import Authority


@dataclass(frozen=True)
class AuthorityFilters:
    """What the authorities list can be narrowed by."""

    q: str = ""
    type: str | None = None
    nation: str | None = None
    status: str = "current"  # current, ended or all


def _is_current(on: date):
    return sa.and_(
        sa.or_(Authority.start_date.is_(None), Authority.start_date <= on),
        sa.or_(Authority.end_date.is_(None), Authority.end_date >= on),
    )


def authority_search(filters: AuthorityFilters, today: date) -> sa.Select:
    """Return a query for authorities matching the filters, by name; a code matches exactly."""
    statement = sa.select(Authority)
    q = filters.q.strip()
    if q:
        upper = q.upper()
        statement = statement.where(
            sa.or_(
                contains(q, Authority.name, Authority.short_name),
                Authority.code == upper,
                Authority.gss_code == upper,
                Authority.ods_code == upper,
            )
        )
    if filters.type:
        statement = statement.where(Authority.type == filters.type)
    if filters.nation:
        statement = statement.where(Authority.nation == filters.nation)
    if filters.status == "current":
        statement = statement.where(_is_current(today))
    elif filters.status == "ended":
        statement = statement.where(sa.not_(_is_current(today)))
    return statement.order_by(Authority.short_name, Authority.code)


def authorities_to_choose_from(today: date, *, leaving_out: set[int] = frozenset()) -> list[Authority]:
    """Return the authorities that exist today by name, less those left out: for choosing one from a list."""
    statement = sa.select(Authority).where(_is_current(today))
    if leaving_out:
        statement = statement.where(Authority.id.not_in(leaving_out))
    return list(db.session.scalars(statement.order_by(Authority.name, Authority.code)))


def authority_by_code(code: str) -> Authority:
    """Return the authority with this code, or raise NotFound."""
    return one_or_not_found(
        sa.select(Authority).where(Authority.code == code.upper()), f"There is no authority with the code {code}."
    )


def authority_by_code_or_none(code: str) -> Authority | None:
    """Return the authority with this code, or None."""
    return db.session.scalar(sa.select(Authority).where(Authority.code == code))


def authority_named_in(field: str, code: str | None, *, required: str | None = None) -> Authority | None:
    """Return the authority a form field or body field names by code (any case, spaces ignored).

    Blank is None, or refused with `required` as the message; an unknown code is refused,
    naming the field, so each channel reports it the same way.
    """
    code = (code or "").strip().upper()
    if not code:
        if required:
            raise ValidationFailed.single(field, required)
        return None
    authority = authority_by_code_or_none(code)
    if authority is None:
        raise ValidationFailed.single(field, f"There is no authority with the code {code}")
    return authority


def names_by_code(codes: Iterable[str]) -> dict[str, str]:
    """Return the names of the authorities with these codes, by code: for words where a record keeps codes."""
    rows = db.session.execute(sa.select(Authority.code, Authority.name).where(Authority.code.in_(set(codes))))
    return {code: name for code, name in rows}
