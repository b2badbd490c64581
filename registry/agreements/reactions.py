"""How agreements react to other features' events (subscribed in registry/__init__.py)."""

from registry.core.errors import Conflict
from registry.datasets.events import DataItemRemoving

from . import queries


def refuse_removing_items_in_use(event: DataItemRemoving) -> None:
    """Keep a data item while an agreement's flow (in any version) names it: the record must stay readable."""
    references = queries.agreements_using(event.item)
    if references:
        noun = "agreement" if len(references) == 1 else "agreements"
        raise Conflict(f"{event.item.name} is used in {noun} {', '.join(references)}, so it cannot be removed.")
