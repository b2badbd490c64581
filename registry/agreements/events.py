"""What happens to agreements that other features may react to (registry/core/events.py)."""

from dataclasses import dataclass
from typing import Any

from registry.core.actors import Actor


@dataclass(frozen=True)
class AgreementPageShown:
    """An agreement's page is being shown: features above agreements add their panels to it.

    Each subscriber answers `{name: html}`; the page shows the panels in subscription order.
    """

    actor: Actor
    agreement: Any



@dataclass(frozen=True)
class AgreementMoved:
    """A workflow action was taken (its history event and audit entry are written): features above react.

    Emitted in the same transaction as the move, after it is applied, so that a subscriber's
    writes (the notifications it sends, say) commit or roll back with it.
    """

    actor: Actor
    agreement: Any
    move: Any  # workflow.Move: the action, and the status it moved from and to
    version: Any  # the version the move was about (proposed, approved, in force), or None
    authority: Any  # the party the actor acted for, where one did, else None
    reason: str | None
    history: Any  # the AgreementEvent written for it
