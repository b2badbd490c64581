"""Where each imported agreement came from: the file, its row, and what the old register said of it."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.agreements.models import Agreement
from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db


class ImportedRecord(db.Model):
    """An agreement made from one row of an imported file; a row is imported once, whatever the file is called."""

    __tablename__ = "imported_records"
    __table_args__ = (sa.UniqueConstraint("source_sha256", "source_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), unique=True)
    source_file_name: Mapped[str] = mapped_column(sa.String(255))
    source_sha256: Mapped[str] = mapped_column(sa.String(64))
    # The row as the spreadsheet numbers it (the header is row 1), so people can find it.
    source_row: Mapped[int]
    original_reference: Mapped[str] = mapped_column(sa.String(100), default="")
    # In force: signed outside the registry (on this day, when the register says), never approved in it.
    in_force: Mapped[bool]
    signed_on: Mapped[date | None]
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement: Mapped[Agreement] = relationship()
