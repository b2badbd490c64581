"""What happens to obligations that other features may react to (registry/core/events.py)."""

from dataclasses import dataclass
from typing import Any

from registry.core.actors import Actor


@dataclass(frozen=True)
class ObligationAttested:
    """An owing party attested to an obligation (the attestation and its audit entry are written)."""

    actor: Actor
    attestation: Any
    due: Any  # queries.ObligationDue: the obligation as it stood, who owes it and to whom
