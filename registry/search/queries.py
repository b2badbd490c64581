"""Finding what a person typed in the header's search box, among what they may see.

Each kind of thing is found by its own feature's list query, so the search sees exactly
what that list shows: agreements by reference or title among those the person may see
(agreements/queries.visible_to), the datasets catalogue and the authorities by name or
code (open to anyone signed in). Signed out, only the public register is searched.
"""

from dataclasses import dataclass
from datetime import date

from registry.agreements import queries as agreement_queries
from registry.authorities import queries as authority_queries
from registry.core.pagination import Page, paginate
from registry.datasets import queries as dataset_queries
from registry.public import queries as register_queries

# Each kind shows its first few matches; its own list page has the rest.
SHOWN = 10
# Counting stops here: "more than 1,000" is all a person needs to know to narrow the search.
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class Found:
    """The first matches of each kind the person may see; None for a kind they may not search."""

    agreements: Page | None = None
    datasets: Page | None = None
    authorities: Page | None = None
    register: Page | None = None

    @property
    def total(self) -> int:
        return sum(page.total for page in (self.agreements, self.datasets, self.authorities, self.register) if page)


def _first(statement, options: tuple = ()) -> Page:
    return paginate(statement, 1, per_page=SHOWN, options=options, count_limit=COUNT_LIMIT)


def search_everything(actor, text: str, today: date) -> Found:
    """Return the agreements, datasets and authorities the actor may see that match the text (signed out: the register)."""
    if not text.strip():
        return Found()
    if not getattr(actor, "is_authenticated", False):
        return Found(register=_first(
            register_queries.register_search(register_queries.RegisterFilters(q=text)), register_queries.summary_options()
        ))
    return Found(
        agreements=_first(
            agreement_queries.agreement_search(actor, agreement_queries.AgreementFilters(q=text)),
            agreement_queries.list_options(),
        ),
        datasets=_first(dataset_queries.dataset_search(dataset_queries.DatasetFilters(q=text))),
        authorities=_first(authority_queries.authority_search(authority_queries.AuthorityFilters(q=text), today)),
    )
