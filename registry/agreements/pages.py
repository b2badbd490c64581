"""What the agreement pages (views.py and draft_views.py) share.

Loading an agreement a person may see, the lock version a form carries, the names every
page shows for stored values, and the draft's task list.
"""

import re

from flask import g, request

from registry.auth.decorators import current_actor
from . import access, next_steps, policies, rules
from .models import AGREEMENT_TYPES, CONTROLLER_ROLES, DPIA_STATUSES, DUE_KINDS, FREQUENCIES, OBLIGATION_TYPES, SHARING_ROLES
from .schemas import AssuranceSchema, DatesSchema, DetailsSchema, PurposeSchema, TermsSchema

NAMES = {
    "agreement_types": AGREEMENT_TYPES,
    "sharing_roles": SHARING_ROLES,
    "controller_roles": CONTROLLER_ROLES,
    "frequencies": FREQUENCIES,
    "dpia_statuses": DPIA_STATUSES,
    "obligation_types": OBLIGATION_TYPES,
    "due_kinds": DUE_KINDS,
}

# The draft's sections edited on a page of their own: title, input schema, date fields.
SECTIONS = {
    "details": ("Title and type", DetailsSchema, ()),
    "purpose": ("Purpose and necessity", PurposeSchema, ()),
    "terms": ("Terms", TermsSchema, ()),
    "assurance": ("Impact assessment", AssuranceSchema, ("dpia_date",)),
    "dates": ("Dates", DatesSchema, ("start_date", "review_date", "end_date")),
}

TASKS = ("details", "purpose", "parties", "flows", "obligations", "terms", "assurance", "dates")
# Tasks edited in lists on the task list page itself, not on a section page.
LISTED_TASKS = ("parties", "flows", "obligations")
TASK_NAMES = {
    **{k: v[0] for k, v in SECTIONS.items()},
    "parties": "Parties and their legal bases", "flows": "Data flows", "obligations": "What each party owes",
}


def viewable(reference: str):
    """Return the agreement with its page's data loaded, if the signed-in person may see it.

    A page read with GET reads it once, however many steps ask (the draft pages' check that
    the draft is still one, then the page itself).
    """
    if request.method != "GET":
        return access.viewable(current_actor(), reference)
    read = g.setdefault("viewable_agreements", {})
    if reference.upper() not in read:
        read[reference.upper()] = access.viewable(current_actor(), reference)
    return read[reference.upper()]


def changeable(reference: str):
    """Return the agreement locked and read once for a change, if the signed-in person may see it (inside the unit of work)."""
    return access.viewable_under_lock(current_actor(), reference)


def seen_lock_version() -> int | None:
    """Return the lock version the submitted form was made with."""
    value = request.form.get("lock_version", "")
    # ASCII digits only: str.isdigit() is also true of "²", which int() refuses.
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value) else None


def draft_context(agreement) -> dict:
    """Return what the task list shows: each task with whether it is complete."""
    draft = agreement.pending_version
    problems = rules.submission_problems(draft)
    return {
        "agreement": agreement,
        "draft": draft,
        "tasks": [(task, TASK_NAMES[task], task not in problems) for task in TASKS],
        "problems": {},
        "change_request": next_steps.standing_change_request(agreement),
        "can_submit": policies.can_submit(current_actor(), agreement),
        "is_amendment": agreement.current_version is not None,
        "listed_tasks": LISTED_TASKS,
        **NAMES,
    }
