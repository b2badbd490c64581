"""Finding legal bases: search with filters, lookups by code and kind, in the order the law sets them out."""

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from registry.core.lookup import one_or_not_found
from registry.core.text_search import contains
from registry.extensions import db

from .models import KINDS, LegalBasis

# Article 6, Article 9, Article 10, Schedule 1 by Part and paragraph, then gateways.
_IN_ORDER = (
    sa.case({kind: position for position, kind in enumerate(KINDS)}, value=LegalBasis.kind),
    LegalBasis.part,
    LegalBasis.paragraph,
    LegalBasis.code,
)
_SEARCHED = (LegalBasis.code, LegalBasis.citation, LegalBasis.title, LegalBasis.summary)


@dataclass(frozen=True)
class LegalBasisFilters:
    """What the list of legal bases can be narrowed by."""

    q: str = ""
    kind: str | None = None


def legal_bases_matching(filters: LegalBasisFilters) -> list[LegalBasis]:
    """Return the legal bases of the kind with each word of the search in code, citation, title or summary, in order."""
    statement = sa.select(LegalBasis)
    for word in filters.q.split():
        statement = statement.where(contains(word, *_SEARCHED))
    if filters.kind:
        statement = statement.where(LegalBasis.kind == filters.kind)
    return list(db.session.scalars(statement.order_by(*_IN_ORDER)))


def all_legal_bases() -> list[LegalBasis]:
    """Return every legal basis, in order."""
    return legal_bases_matching(LegalBasisFilters())


def legal_bases_of_kind(kind: str) -> list[LegalBasis]:
    """Return the legal bases of one kind (article6, article9, article10, schedule1 or gateway), in order."""
    return legal_bases_matching(LegalBasisFilters(kind=kind))


def legal_bases_by_kind() -> list[tuple[str, list[LegalBasis]]]:
    """Return every legal basis in order, grouped under each kind's name: for choosing a party's bases."""
    bases = all_legal_bases()
    return [(name, [b for b in bases if b.kind == kind]) for kind, name in KINDS.items()]


def legal_basis_by_code(code: str) -> LegalBasis:
    """Return the legal basis with this code, or raise NotFound."""
    return one_or_not_found(
        sa.select(LegalBasis).where(LegalBasis.code == code.upper()), f"There is no legal basis with the code {code}."
    )


def legal_bases_by_codes(codes: Iterable[str]) -> list[LegalBasis]:
    """Return the legal bases with these codes, in order; codes that match none are left out, so compare to find them."""
    wanted = {code.upper() for code in codes}
    return list(db.session.scalars(sa.select(LegalBasis).where(LegalBasis.code.in_(wanted)).order_by(*_IN_ORDER)))


def labels_by_code(codes: Iterable[str] | None = None) -> dict[str, str]:
    """Return legal bases' labels ("UK GDPR Article 6(1)(e): Public task") by code, all or these: for words where a record keeps codes."""
    statement = sa.select(LegalBasis) if codes is None else sa.select(LegalBasis).where(LegalBasis.code.in_(set(codes)))
    return {basis.code: basis.label for basis in db.session.scalars(statement)}
