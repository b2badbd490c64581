"""Datasets an authority holds, and the data items in them with their categories of data."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.authorities.models import Authority
from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db

CLASSIFICATIONS = ("OFFICIAL", "OFFICIAL-SENSITIVE")


class SensitivityOfItems:
    """Whether any of a model's data items (a dataset's, or those a flow carries) are special category or criminal offence data."""

    def _data_items(self) -> list["DataItem"]:
        raise NotImplementedError

    @property
    def has_special_category_data(self) -> bool:
        return any(item.special_category for item in self._data_items())

    @property
    def has_criminal_offence_data(self) -> bool:
        return any(item.criminal_offence for item in self._data_items())


class Dataset(SensitivityOfItems, db.Model):
    """A collection of data one authority holds and may share, such as a social care case record."""

    __tablename__ = "datasets"
    __table_args__ = (
        sa.UniqueConstraint("authority_id", "name"),
        sa.CheckConstraint(
            "security_classification IN (" + ", ".join(f"'{c}'" for c in CLASSIFICATIONS) + ")", name="known_classification"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    data_subjects: Mapped[str] = mapped_column(sa.String(500), default="")
    security_classification: Mapped[str] = mapped_column(sa.String(30), default="OFFICIAL")
    system_of_record: Mapped[str] = mapped_column(sa.String(200), default="")
    owner_contact: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    authority: Mapped[Authority] = relationship()
    items: Mapped[list["DataItem"]] = relationship(
        back_populates="dataset", cascade="all, delete-orphan", order_by="DataItem.id"
    )

    def _data_items(self) -> list["DataItem"]:
        return self.items


class DataItem(db.Model):
    """One item of data in a dataset (a field, such as date of birth), and what kind of data it is."""

    __tablename__ = "data_items"
    __table_args__ = (
        sa.UniqueConstraint("dataset_id", "name"),
        # Special category and criminal offence data are kinds of personal data.
        sa.CheckConstraint("personal OR NOT (special_category OR criminal_offence)", name="categories_are_personal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(sa.ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    personal: Mapped[bool] = mapped_column(default=True)
    special_category: Mapped[bool] = mapped_column(default=False)
    criminal_offence: Mapped[bool] = mapped_column(default=False)

    dataset: Mapped[Dataset] = relationship(back_populates="items")

    @property
    def category(self) -> str:
        """Return the item's most sensitive category, in words."""
        if self.special_category:
            return "Special category"
        if self.criminal_offence:
            return "Criminal offence"
        return "Personal" if self.personal else "Not personal"
