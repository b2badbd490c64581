"""The audit log's entry format: RFC 8785 canonical JSON with a fixed set of fields."""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

FORMAT_VERSION = 1


def rfc3339(moment: datetime) -> str:
    """Return a time in UTC as RFC 3339 with milliseconds, e.g. 2026-11-27T14:05:09.123Z."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _plain(value: Any) -> Any:
    """Turn dates, enums, sets and tuples into JSON values for canonical serialisation."""
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    return value


def entry_body(
    actor, action: str, object_type: str, object_ref, data: dict | None, authorities: Iterable, acting_for, now: datetime
) -> dict:
    """Return an entry's fields, all but its index."""
    actor_fields = dict(actor.audit_actor)
    if acting_for is not None:
        actor_fields["authority"] = acting_for.code
    return {
        "v": FORMAT_VERSION,
        "time": rfc3339(now),
        "actor": actor_fields,
        "action": action,
        "object": {"type": object_type, "ref": str(object_ref)},
        "authorities": sorted({getattr(a, "code", a) for a in authorities}),
        "data": _plain(data or {}),
    }
