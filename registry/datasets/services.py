"""Use cases for datasets: add and change an authority's datasets, and the data items in them."""

import sqlalchemy as sa

from registry.auditlog.recording import commitment, record
from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.core.clock import today
from registry.core.db import utcnow
from registry.core import events
from registry.core.errors import PermissionDenied, ValidationFailed
from registry.extensions import db

from . import policies
from .events import DataItemRemoving
from .models import CLASSIFICATIONS, DataItem, Dataset
from .schemas import CLASSIFICATION_ERROR

DATASET_FIELDS = ("name", "description", "data_subjects", "security_classification", "system_of_record", "owner_contact")
ITEM_FIELDS = ("name", "personal", "special_category", "criminal_offence")
# Free text can hold anything, even personal data by mistake, and the log can never be
# erased: the log keeps a commitment to these values, the datasets table keeps the text.
TEXT_FIELDS = frozenset({"description", "data_subjects", "system_of_record", "owner_contact"})


def _dataset_values(data: dict) -> dict:
    return {name: data[name] for name in DATASET_FIELDS if name in data}


def _item_values(data: dict) -> dict:
    """Return an item's values, marking special category and criminal offence data as personal.

    UK GDPR defines both as kinds of personal data, so ticking either already says the item
    is personal: the registry records that rather than asking again (the database's CHECK
    constraint backs it).
    """
    special, criminal = bool(data.get("special_category")), bool(data.get("criminal_offence"))
    return {
        "name": data["name"],
        "personal": bool(data.get("personal")) or special or criminal,
        "special_category": special,
        "criminal_offence": criminal,
    }


def _item_record(item: DataItem) -> dict:
    return {name: getattr(item, name) for name in ("id", *ITEM_FIELDS)}


def _dataset_record(dataset: Dataset) -> dict:
    values = {"authority": dataset.authority.code}
    for name in DATASET_FIELDS:
        value = getattr(dataset, name)
        if name in TEXT_FIELDS:
            values[f"{name}_sha256"] = commitment(value)
        else:
            values[name] = value
    values["items"] = [_item_record(item) for item in dataset.items]
    return values


def _apply(target, values: dict) -> dict:
    """Set the values that differ; return each change as the log may hold it."""
    changes = {}
    for name, value in values.items():
        before = getattr(target, name)
        if before == value:
            continue
        setattr(target, name, value)
        if name in TEXT_FIELDS:
            changes[f"{name}_sha256"] = {"from": commitment(before), "to": commitment(value)}
        else:
            changes[name] = {"from": before, "to": value}
    return changes


def _check_dataset(authority: Authority, values: dict, dataset: Dataset | None = None) -> None:
    classification = values.get("security_classification")
    if classification is not None and classification not in CLASSIFICATIONS:
        raise ValidationFailed.single("security_classification", CLASSIFICATION_ERROR)
    name = values.get("name")
    if name is None:
        return
    # Case is ignored: two datasets told apart only by capitals would be mistaken for each other.
    same_name = sa.select(Dataset.id).where(
        Dataset.authority_id == authority.id,
        sa.func.lower(Dataset.name) == name.lower(),
        Dataset.id != (dataset.id if dataset else -1),
    )
    if db.session.scalar(same_name) is not None:
        raise ValidationFailed.single("name", f"{authority.name} already has a dataset called {name}")


def _check_item_name(dataset: Dataset, name: str, item: DataItem | None = None) -> None:
    if any(other.name.lower() == name.lower() and other is not item for other in dataset.items):
        raise ValidationFailed.single("name", f"{dataset.name} already has a data item called {name}")


def _check_new_items(items: list[dict]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item["name"].lower() in seen:
            raise ValidationFailed.single(f"items.{index}.name", f"There is already a data item called {item['name']}")
        seen.add(item["name"].lower())


def _touch(dataset: Dataset) -> None:
    # A dataset's entry in the catalogue includes its items, so changing one changes the dataset.
    dataset.updated_at = utcnow()


def _require_manager(actor: Actor, dataset: Dataset) -> None:
    if not policies.can_manage(actor, dataset):
        raise PermissionDenied(f"Only contributors and approvers of {dataset.authority.name} can change its datasets.")


def create_dataset(actor: Actor, authority: Authority, data: dict) -> Dataset:
    """Add a dataset to an authority's catalogue, with any data items given."""
    if not policies.can_add_dataset(actor, authority):
        raise PermissionDenied(f"Only contributors and approvers of {authority.name} can add its datasets.")
    if not authority.is_current(today()):
        raise ValidationFailed.single(
            "authority_code", f"{authority.name} has ended: add the dataset to its successor instead"
        )
    values = _dataset_values(data)
    _check_dataset(authority, values)
    items = [_item_values(item) for item in data.get("items", [])]
    _check_new_items(items)
    dataset = Dataset(authority=authority, **values, items=[DataItem(**item) for item in items])
    db.session.add(dataset)
    db.session.flush()
    record(actor, "dataset.create", "dataset", dataset.id, _dataset_record(dataset), authorities=[authority])
    return dataset


def update_dataset(actor: Actor, dataset: Dataset, data: dict) -> Dataset:
    """Change a dataset's details; fields left out of the data stay as they are."""
    _require_manager(actor, dataset)
    values = _dataset_values(data)
    _check_dataset(dataset.authority, values, dataset)
    changes = _apply(dataset, values)
    db.session.flush()
    if changes:
        record(actor, "dataset.update", "dataset", dataset.id, {"changes": changes}, authorities=[dataset.authority])
    return dataset


def add_data_item(actor: Actor, dataset: Dataset, data: dict) -> DataItem:
    """Add a data item to a dataset."""
    _require_manager(actor, dataset)
    values = _item_values(data)
    _check_item_name(dataset, values["name"])
    item = DataItem(**values)
    dataset.items.append(item)
    _touch(dataset)
    db.session.flush()
    record(actor, "dataset.add_item", "dataset", dataset.id, {"item": _item_record(item)}, authorities=[dataset.authority])
    return item


def update_data_item(actor: Actor, item: DataItem, data: dict) -> DataItem:
    """Change a data item's name or categories; fields left out of the data stay as they are."""
    dataset = item.dataset
    _require_manager(actor, dataset)
    values = _item_values({name: data.get(name, getattr(item, name)) for name in ITEM_FIELDS})
    _check_item_name(dataset, values["name"], item)
    changes = _apply(item, values)
    if not changes:
        return item
    _touch(dataset)
    db.session.flush()
    changed = {"item": item.id, "changes": changes}
    record(actor, "dataset.update_item", "dataset", dataset.id, changed, authorities=[dataset.authority])
    return item


def remove_data_item(actor: Actor, item: DataItem) -> None:
    """Take a data item out of its dataset, unless an agreement's flow names it."""
    dataset = item.dataset
    _require_manager(actor, dataset)
    # Agreements whose flows name the item refuse (registry/agreements/services.py).
    events.emit(DataItemRemoving(item))
    removed = _item_record(item)
    dataset.items.remove(item)
    _touch(dataset)
    db.session.flush()
    record(actor, "dataset.remove_item", "dataset", dataset.id, {"item": removed}, authorities=[dataset.authority])
