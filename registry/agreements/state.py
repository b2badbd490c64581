"""Where an agreement stands in the workflow now: the status the next action applies to, and what the table allows."""

from . import workflow
from .models import Agreement
from .workflow import Action, Status


def cycle_status(agreement: Agreement) -> Status:
    """Return the status the approval cycle runs on: the agreement's, or its amendment's state."""
    pending = agreement.pending_version
    if pending is not None and agreement.current_version is not None:
        return Status(pending.state)
    return agreement.status_enum


def table_actions(agreement: Agreement) -> list[Action]:
    """Return the actions the workflow table allows now (whoever asks)."""
    actions = workflow.actions_from(agreement.status_enum)
    if agreement.current_version is not None:
        # While in force, the approval cycle applies to an amendment, if there is one.
        actions = [a for a in actions if a not in workflow.APPROVAL_CYCLE]
        pending = agreement.pending_version
        if pending is not None and agreement.status_enum not in workflow.FINAL:
            actions = [a for a in actions if a != Action.AMEND] + workflow.actions_from(Status(pending.state))
    return actions
