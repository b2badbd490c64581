"""What happens to datasets that other features may react to (registry/core/events.py)."""

from dataclasses import dataclass

from .models import DataItem


@dataclass(frozen=True)
class DataItemRemoving:
    """A data item is about to leave its dataset: a subscriber that still uses it refuses with Conflict."""

    item: DataItem
