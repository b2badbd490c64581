"""Finding datasets: search with filters, an authority's catalogue, lookups, and what uses an item."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from registry.authorities.models import Authority
from registry.authorities.queries import authority_named_in
from registry.core.errors import NotFound
from registry.core.limits import LARGEST_ID
from registry.extensions import db
from registry.users.roles import Role

from .models import DataItem, Dataset


@dataclass(frozen=True)
class DatasetFilters:
    """What the datasets list can be narrowed by."""

    q: str = ""
    authority: str | None = None  # the owner's code
    classification: str | None = None
    special_category: bool = False


def dataset_search(filters: DatasetFilters) -> sa.Select:
    """Return a query for datasets matching the filters, by name."""
    statement = sa.select(Dataset).options(joinedload(Dataset.authority), selectinload(Dataset.items))
    q = filters.q.strip()
    if q:
        statement = statement.where(
            sa.or_(Dataset.name.icontains(q, autoescape=True), Dataset.description.icontains(q, autoescape=True))
        )
    if filters.authority:
        statement = statement.where(Dataset.authority.has(Authority.code == filters.authority.strip().upper()))
    if filters.classification:
        statement = statement.where(Dataset.security_classification == filters.classification)
    if filters.special_category:
        statement = statement.where(Dataset.items.any(DataItem.special_category))
    return statement.order_by(Dataset.name, Dataset.id)


def dataset_owners() -> list[Authority]:
    """Return the authorities that hold at least one dataset, by name, for the list's filter."""
    statement = sa.select(Authority).where(sa.exists().where(Dataset.authority_id == Authority.id)).order_by(Authority.name)
    return list(db.session.scalars(statement))


def datasets_of(authority: Authority) -> list[Dataset]:
    """Return the authority's datasets, by name, with their items."""
    statement = (
        sa.select(Dataset)
        .where(Dataset.authority_id == authority.id)
        .options(selectinload(Dataset.items))
        .order_by(Dataset.name, Dataset.id)
    )
    return list(db.session.scalars(statement))


def dataset_by_id(dataset_id: int) -> Dataset:
    """Return the dataset with this id, or raise NotFound."""
    dataset = db.session.get(Dataset, dataset_id) if 0 < dataset_id <= LARGEST_ID else None
    if dataset is None:
        raise NotFound(f"There is no dataset with the id {dataset_id}.")
    return dataset


def dataset_or_none(dataset_id: int | None) -> Dataset | None:
    """Return the dataset a form names, or None; an id no row can have is none (not an overflow)."""
    if dataset_id is None or not 0 < dataset_id <= LARGEST_ID:
        return None
    return db.session.get(Dataset, dataset_id)


def datasets_of_authorities(authority_ids: list[int]) -> list[Dataset]:
    """Return the datasets the authorities hold, by name: what a flow between them can carry."""
    return list(db.session.scalars(sa.select(Dataset).where(Dataset.authority_id.in_(authority_ids)).order_by(Dataset.name)))


def data_item_of(dataset: Dataset, item_id: int) -> DataItem:
    """Return the dataset's item with this id, or raise NotFound."""
    item = next((item for item in dataset.items if item.id == item_id), None)
    if item is None:
        raise NotFound(f"The dataset {dataset.name} has no data item with the id {item_id}.")
    return item


def owning_authority(code: str) -> Authority:
    """Return the authority with this code for a new dataset, or raise a validation failure naming the field."""
    return authority_named_in("authority_code", code, required="Select the authority that holds the dataset")


def authorities_managed_by(actor, on: date) -> list[Authority]:
    """Return the current authorities whose datasets the actor manages (contributor or approver), by name."""
    authorities = [
        membership.authority
        for membership in actor.memberships
        if Role(membership.role).includes(Role.CONTRIBUTOR) and membership.authority.is_current(on)
    ]
    return sorted(authorities, key=lambda authority: authority.name)

