"""Domain events: how a feature reacts to another without the other importing it.

A service emits an event (a frozen dataclass of the feature that owns it) and carries on;
every subscriber runs at once, in the same transaction, so its changes commit or roll back
with the change that caused them. A subscriber may refuse by raising a domain error, and
may report facts for the emitter to record (a dict, merged in subscription order).

Features subscribe in create_app() (registry/__init__.py), so the list of who listens to
what is in one readable place.
"""

from collections.abc import Callable
from typing import Any

Subscriber = Callable[[Any], dict | None]

_subscribers: dict[type, list[Subscriber]] = {}


def subscribe(event_type: type, subscriber: Subscriber) -> None:
    """Call `subscriber` with every event of the type from now on (subscribing twice is once)."""
    listeners = _subscribers.setdefault(event_type, [])
    if subscriber not in listeners:
        listeners.append(subscriber)


def emit(event: Any) -> dict:
    """Tell each subscriber of the event's type; return what they report, merged."""
    reported: dict = {}
    for subscriber in _subscribers.get(type(event), ()):
        reported.update(subscriber(event) or {})
    return reported


def subscribers_of(event_type: type) -> list[Subscriber]:
    """Return who listens to the event type, in order (for tests and for reading)."""
    return list(_subscribers.get(event_type, ()))
