"""Reading where imported agreements came from."""

import sqlalchemy as sa

from registry.extensions import db

from .models import ImportedRecord


def imported_record_of(agreement) -> ImportedRecord | None:
    """Return where the agreement was imported from, if it was."""
    return db.session.scalar(sa.select(ImportedRecord).where(ImportedRecord.agreement_id == agreement.id))
