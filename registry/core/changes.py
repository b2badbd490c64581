"""Setting a row's fields to new values, and saying what changed the way the audit log records it."""

from typing import Any


def change(before: Any, after: Any) -> dict:
    """Return one field's change as the audit log records it."""
    return {"from": before, "to": after}


def apply_changes(row: Any, values: dict) -> dict:
    """Set the values that differ; return each change as {"field": {"from": …, "to": …}}."""
    changes = {}
    for name, value in values.items():
        if getattr(row, name) != value:
            changes[name] = change(getattr(row, name), value)
            setattr(row, name, value)
    return changes
