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

