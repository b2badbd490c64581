"""What a party still to approve hears when nudged or chased, and what its administrators hear: the words and the people.

| message | who is told | kind |
|---|---|---|
| nudge (an approver of the lead asks) | the party's approvers | proposals |
| reminder (after SIGNOFF_CHASE_AFTER_DAYS) | the party's approvers | proposals |
| escalation (after twice that) | the party's approvers, and its authority's administrators | proposals, waiting_too_long |

Nobody is told of their own nudge, and the person who submitted the version (who cannot
approve it) is not asked to. Administrators read only what they can see in the registry:
which authority, which agreement by reference, for how long; not what the agreement says.
"""

from registry.core.actors import Actor
from registry.core.links import path_for
from registry.core.templating import format_date
from registry.notifications.delivery import Message
from registry.notifications.queries import members_of
from registry.notifications.wording import acting, listed
from registry.users.roles import Role

from .queries import SignOff


def days(count: int) -> str:
    """Return a number of days in words: "1 day", "12 days"."""
    return f"{count} day{'s' if count != 1 else ''}"


def approvers_to_ask(sign_off: SignOff, authority) -> list:
    """Return the party's active approvers who may approve the version: not whoever submitted it."""
    people = members_of([authority.id], Role.APPROVER).get(authority.id, [])
    return [person for person in people if person.id != sign_off.version.submitted_by_id]


def _about(sign_off: SignOff) -> str:
    return f"version {sign_off.version.number} of the agreement {sign_off.agreement.reference}, {sign_off.version.title}"


def _asking(sign_off: SignOff, authority, key: str, title: str, opening: str, waited: int) -> Message:
    """Return the message that asks a party's approvers to approve: the same shape for a nudge and a chaser."""
    agreement, version = sign_off.agreement, sign_off.version
    still = [standing.authority.name for standing in sign_off.waiting]
    return Message(
        kind="proposals",
        key=key,
        title=title,
        paragraphs=(
            opening,
            f"It was sent for approval on {format_date(sign_off.submitted_on)}, {days(waited)} ago. "
            f"Version {version.number} has the content hash {version.content_hash}: approving it approves exactly that text.",
        ),
        details=(("Lead authority", agreement.lead_authority.name), ("Still to approve", listed(still))),
        link=path_for("agreements.approve_form", reference=agreement.reference),
        action=f"Read and approve version {version.number}",
        agreement_reference=agreement.reference,
        why=f"You get this because you approve for {authority.name}, a party to this agreement.",
    )


def nudge(actor: Actor, sign_off: SignOff, authority, chase_id: int, waited: int) -> Message:
    """Return what a party's approvers read when an approver of the lead nudges them."""
    agreement = sign_off.agreement
    return _asking(
        sign_off, authority,
        key=f"signoff.nudge:{agreement.reference}:{sign_off.version.number}:{authority.code}:{chase_id}",
        title=f"Waiting for your approval: {agreement.reference} {sign_off.version.title}, version {sign_off.version.number}",
        opening=f"{acting(actor, agreement.lead_authority)} asks {authority.name} to approve {_about(sign_off)}.",
        waited=waited,
    )


def reminder(sign_off: SignOff, authority, waited: int, *, escalated: bool) -> Message:
    """Return what a party's approvers read when the registry chases them (and whether their administrators are told too)."""
    agreement = sign_off.agreement
    stage = "escalation" if escalated else "reminder"
    opening = f"{authority.name} has not yet approved {_about(sign_off)}, led by {agreement.lead_authority.name}."
    if escalated:
        opening += " The registry's administrators have been told too."
    return _asking(
        sign_off, authority,
        key=f"signoff.{stage}:{agreement.reference}:{sign_off.version.number}:{authority.code}",
        title=f"Still waiting for your approval after {days(waited)}: {agreement.reference} version {sign_off.version.number}",
        opening=opening,
        waited=waited,
    )


def waiting_too_long(sign_off: SignOff, authority, waited: int, after_days: int) -> Message:
    """Return what an authority's administrators read when one of its approvals has waited twice the usual time."""
    agreement = sign_off.agreement
    return Message(
        kind="waiting_too_long",
        key=f"signoff.administrators:{agreement.reference}:{sign_off.version.number}:{authority.code}",
        title=f"Waiting too long: {authority.name} has not approved {agreement.reference} after {days(waited)}",
        paragraphs=(
            f"{agreement.lead_authority.name} sent version {sign_off.version.number} of the agreement {agreement.reference} "
            f"to {authority.name} for approval on {format_date(sign_off.submitted_on)}. Nobody at {authority.name} has "
            f"approved it for {days(waited)}.",
            f"The registry reminds a party's approvers after {days(after_days)}, and tells its administrators after twice "
            f"that. You may want to check that {authority.name} has an approver who can act.",
        ),
        link=path_for("signoff.authority", code=authority.code),
        action=f"See what is waiting for {authority.name}",
        agreement_reference=agreement.reference,
        why="You get this because you administer the registry.",
    )
