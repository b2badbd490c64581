"""The agreements list as rows for CSV and XLSX downloads, read in batches so that a large list stays small in memory."""

from collections import defaultdict
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from registry.authorities.models import Authority
from registry.extensions import db

from .models import AGREEMENT_TYPES, Agreement, AgreementVersion, Party
from .statuses import word

LIST_HEADER = (
    "reference", "title", "type", "status", "lead_authority", "parties", "start_date", "review_due", "end_date",
    "version", "content_sha256",
)
# Rows are fetched this many at a time, each batch's parties with one more query.
BATCH = 1000


def _rows_of(search: sa.Select) -> sa.Select:
    """Turn the list's query of agreements into one of the plain values each row needs, in the same order."""
    shown = aliased(AgreementVersion)
    lead = aliased(Authority)
    return (
        search.with_only_columns(
            Agreement.reference, shown.title, shown.agreement_type, Agreement.status, lead.name,
            shown.id, shown.start_date, Agreement.review_due, shown.end_date, shown.number, shown.content_hash,
        )
        .join(lead, lead.id == Agreement.lead_authority_id)
        .outerjoin(shown, shown.id == Agreement.shown_version_id)
    )


def _party_codes(version_ids: list[int]) -> dict[int, list[str]]:
    codes = defaultdict(list)
    statement = (
        sa.select(Party.version_id, Authority.code)
        .join(Authority, Authority.id == Party.authority_id)
        .where(Party.version_id.in_(version_ids))
        .order_by(Party.version_id, Authority.code)
    )
    for version_id, code in db.session.execute(statement):
        codes[version_id].append(code)
    return codes


def list_rows(search: sa.Select) -> Iterator[tuple]:
    """Yield one row per agreement the list's query finds, in its order, for any number of agreements."""
    result = db.session.execute(_rows_of(search).execution_options(yield_per=BATCH))
    for batch in result.partitions():
        parties = _party_codes([row[5] for row in batch if row[5] is not None])
        for reference, title, kind, status, lead, version_id, start, review, end, number, digest in batch:
            yield (
                reference, title, AGREEMENT_TYPES.get(kind, kind), word(status), lead,
                " ".join(parties.get(version_id, ())), start, review, end, number, digest,
            )
