"""What the public register publishes about an agreement: the one list of fields, and how each is written.

The page, the CSV and the JSON are all built from PUBLISHED_FIELDS, and a summary is built
only by reading these fields, so nothing outside the list can reach the register.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from registry.agreements import statuses
from registry.agreements.models import CONTROLLER_ROLES, SHARING_ROLES, Agreement, AgreementVersion
from registry.agreements.statuses import Status
from registry.core.downloads import safe_cell
from registry.core.templating import format_iso_date

# In force: what the register lists. Ended agreements stay in the change log only.
IN_FORCE = (Status.ACTIVE.value, Status.UNDER_REVIEW.value, Status.SUSPENDED.value)
ENDED = (Status.TERMINATED.value, Status.EXPIRED.value)
# The statuses the register shows, in the words every page uses.
STATUS_LABELS = {status.value: statuses.word(status.value) for status in (Status.ACTIVE, Status.UNDER_REVIEW, Status.SUSPENDED)}

# The categories of data, derived from the kinds of the data items that flow; never the items.
CATEGORIES = {
    "personal": "Personal data",
    "special_category": "Special category data",
    "criminal_offence": "Criminal offence data",
}

LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Facts:
    """What a published summary is read from: the agreement, its version in force, and two derived facts."""

    agreement: Agreement
    version: AgreementVersion
    categories: frozenset[str]
    last_changed: date | None


@dataclass(frozen=True)
class PublishedField:
    """One published field: its JSON value, and its text as CSV items and as page items."""

    name: str
    label: str
    value: Callable[[Facts], Any]
    items: Callable[[Any], list[str]]
    page_items: Callable[[Any], list[str]] | None = None
    many: bool = False


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _authority(authority) -> dict:
    return {"name": authority.name, "code": authority.code}


def _parties(facts: Facts) -> list[dict]:
    return [
        {**_authority(party.authority), "sharing_role": party.sharing_role, "controller_role": party.controller_role}
        for party in facts.version.parties
    ]


def _gateway(basis) -> str | None:
    if basis.kind != "gateway":
        return None
    return "mandatory" if basis.mandatory else "permissive"


def _legal_bases(facts: Facts) -> list[dict]:
    bases = {basis.code: basis for party in facts.version.parties for basis in party.legal_bases}
    return [
        {"code": basis.code, "name": basis.label, "citation": basis.citation, "gateway": _gateway(basis)}
        for _, basis in sorted(bases.items())
    ]


def _categories(facts: Facts) -> list[str]:
    return [label for key, label in CATEGORIES.items() if key in facts.categories]


def _one(value) -> list[str]:
    return [str(value)] if value not in (None, "") else []


# A download carries codes beside the names, for joining to other data; the pages show only the names.
def _authority_text(value: dict) -> str:
    return f"{value['name']} ({value['code']})"


def _authority_words(value: dict) -> str:
    return value["name"]


def _roles(value: dict) -> str:
    return f"{SHARING_ROLES[value['sharing_role']].lower()}, {CONTROLLER_ROLES[value['controller_role']].lower()}"


def _party_text(value: dict) -> str:
    return f"{_authority_text(value)}: {_roles(value)}"


def _party_words(value: dict) -> str:
    return f"{_authority_words(value)}: {_roles(value)}"


def _basis_text(value: dict) -> str:
    gateway = f", {value['gateway']} gateway" if value["gateway"] else ""
    return f"{value['name']} ({value['code']}{gateway})"


def _basis_words(value: dict) -> str:
    gateway = f" ({value['gateway']} gateway)" if value["gateway"] else ""
    return f"{value['name']}{gateway}"


def _date_page(missing: str) -> Callable[[str | None], list[str]]:
    return lambda value: [format_iso_date(value) if value else missing]


PUBLISHED_FIELDS: tuple[PublishedField, ...] = (
    PublishedField("reference", "Reference", lambda f: f.agreement.reference, _one),
    PublishedField("title", "Title", lambda f: f.version.title, _one),
    PublishedField(
        "status", "Status", lambda f: f.agreement.status, lambda value: [STATUS_LABELS.get(value, value)]
    ),
    PublishedField(
        "lead_authority", "Lead authority", lambda f: _authority(f.agreement.lead_authority),
        lambda value: [_authority_text(value)], lambda value: [_authority_words(value)],
    ),
    PublishedField(
        "parties", "Parties", _parties, lambda value: [_party_text(p) for p in value],
        lambda value: [_party_words(p) for p in value], many=True,
    ),
    PublishedField("purpose", "Purpose", lambda f: f.version.purpose, _one),
    PublishedField(
        "legal_bases", "Legal bases and gateways", _legal_bases, lambda value: [_basis_text(b) for b in value],
        lambda value: [_basis_words(b) for b in value], many=True,
    ),
    PublishedField("categories_of_data", "Categories of data", _categories, list, many=True),
    PublishedField("start_date", "Start date", lambda f: _iso(f.version.start_date), _one, _date_page("Not set")),
    PublishedField("review_date", "Review date", lambda f: _iso(f.agreement.review_due), _one, _date_page("Not set")),
    PublishedField("end_date", "End date", lambda f: _iso(f.version.end_date), _one, _date_page("Open-ended")),
    PublishedField("version", "Version in force", lambda f: f.version.number, _one),
    PublishedField("last_changed", "Last changed", lambda f: _iso(f.last_changed), _one, _date_page("Not recorded")),
)

FIELD_NAMES: tuple[str, ...] = tuple(field.name for field in PUBLISHED_FIELDS)


def summary(facts: Facts) -> dict:
    """Return an agreement's published summary: the published fields' values, in order, as plain JSON values."""
    return {field.name: field.value(facts) for field in PUBLISHED_FIELDS}


def csv_row(record: dict) -> list[str]:
    """Return a summary as one CSV row, in field order, lists joined with "; "."""
    return [safe_cell(LIST_SEPARATOR.join(field.items(record[field.name]))) for field in PUBLISHED_FIELDS]


def page_items(record: dict) -> dict[str, list[str]]:
    """Return each published field of a summary as the lines of text its page shows."""
    return {field.name: (field.page_items or field.items)(record[field.name]) for field in PUBLISHED_FIELDS}
