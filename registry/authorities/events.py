"""What happens to authorities that other features may react to (registry/core/events.py)."""

from dataclasses import dataclass

from registry.core.actors import Actor

from .models import Authority


@dataclass(frozen=True)
class AuthorityPageShown:
    """An authority's page is being shown: features above authorities add their panels to it.

    Each subscriber answers `{name: html}`; the page shows the panels in subscription order.
    """

    actor: Actor
    authority: Authority
