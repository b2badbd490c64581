"""Loading an agreement for the person acting on it: refused unless they may, and read once.

The same for the web pages, the JSON API and anything else. To show an agreement,
`viewable` reads everything its page shows. To change one, the `…_under_lock` functions take
the agreement's row lock first and read under it: the use case then finds the agreement
locked and loaded (locking.lock sees the lock held and reads nothing again), and the
answer is built from what the use case holds.
"""

import sqlalchemy as sa

from registry.core.actors import Actor
from registry.core.errors import PermissionDenied

from . import locking, policies, queries
from .models import Agreement

NOT_YOURS = "You can see an agreement only if one of your authorities is a party to it."


def seen_by(actor: Actor, agreement: Agreement) -> Agreement:
    """Return the agreement if the actor may see it; refuse otherwise."""
    if not policies.can_view(actor, agreement):
        raise PermissionDenied(NOT_YOURS)
    return agreement


def viewable(actor: Actor, reference: str) -> Agreement:
    """Return the agreement with everything its page shows loaded, if the actor may see it."""
    return seen_by(actor, queries.agreement_for_page(reference))


def viewable_under_lock(actor: Actor, reference: str) -> Agreement:
    """Lock the agreement and read everything its page shows under the lock, if the actor may see it.

    Call it inside the unit of work of the change. On PostgreSQL the lock's own statement
    reads the agreement (the page's collections follow, a query each); SQLite's lock is a
    write that reads nothing more, so the page's query follows it.
    """
    agreement = locking.lock_reference(reference, queries.detail_options())
    if "versions" in sa.inspect(agreement).unloaded:
        agreement = queries.agreement_for_page(reference, refresh=True)
    return seen_by(actor, agreement)


def editable_under_lock(actor: Actor, reference: str, *, with_contents: bool = False) -> Agreement:
    """Lock the agreement and read its draft, refusing an actor who may not edit it before anything else is looked up.

    with_contents reads the draft's flows and obligations too, for an answer showing the
    whole draft. Whether there is a draft to edit is the use case's to say.
    """
    agreement = locking.lock_reference(reference, queries.draft_loading())
    draft = queries.pending_under_lock(agreement, with_contents=with_contents)
    if draft is not None and not draft.is_frozen and policies.can_edit_draft(actor, agreement):
        return agreement  # an editor of the draft sees the agreement: no need to read its other versions
    seen_by(actor, agreement)
    if draft is not None and not draft.is_frozen:
        raise PermissionDenied("Only contributors and approvers of the agreement's parties can edit its draft.")
    return agreement
