"""Words shared by the messages: names of people and authorities as a sentence says them."""

from collections.abc import Iterable

from registry.core.actors import Actor


def person(actor: Actor) -> str:
    """Return who acted, as a message names them: a person by name, the scheduled job as the registry."""
    if actor.id is None:
        return "The registry"
    return actor.name


def acting(actor: Actor, authority) -> str:
    """Return who acted and for whom: "Ann Lee, for Leeds City Council"."""
    return f"{person(actor)}, for {authority.name}," if authority is not None else person(actor)


def listed(names: Iterable[str], empty: str = "nobody") -> str:
    """Return names as a sentence lists them: "A", "A and B", "A, B and C"."""
    names = list(names)
    if not names:
        return empty
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]
