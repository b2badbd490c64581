"""Use cases for sign-off: nudge a party still to approve, and send the scheduled chasers."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from registry.agreements.locking import lock
from registry.agreements.models import Agreement, AgreementVersion
from registry.auditlog.recording import record
from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.core.clock import today
from registry.core.db import utcnow
from registry.core.errors import Conflict, PermissionDenied
from registry.core.templating import format_date
from registry.extensions import db
from registry.notifications.delivery import deliver

from . import messages, policies, queries
from .models import ESCALATION, NUDGE, Chase

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class Nudged:
    """A nudge sent: to which party, about which version, how many people were told, and when the next may go."""

    reference: str
    authority: Authority
    version_number: int
    nudged_on: date
    next_nudge_on: date
    told: int


def _codes(*authorities: Authority) -> list[str]:
    return sorted({authority.code for authority in authorities})


def nudge(actor: Actor, agreement: Agreement, authority: Authority) -> Nudged:
    """Remind the approvers of a party still to approve the proposed version: at most once every 3 days per party.

    Refuses (and changes nothing) unless the actor approves for the lead authority, the
    version is proposed, the authority is a party still to approve it, it was not nudged
    in the last 3 days, and someone there can approve it.
    """
    if not policies.can_nudge(actor, agreement, authority):
        raise PermissionDenied(f"Only an approver of {agreement.lead_authority.name}, the lead authority, can nudge the parties.")
    # Under the agreement's lock, as other changes to it: two approvers nudging at once queue,
    # and the second sees the first's nudge. A nudge changes nothing anyone's open form shows.
    agreement = lock(agreement)
    day = today()
    sign_off = queries.sign_off_of(agreement, day)
    if sign_off is None:
        raise Conflict(f"{agreement.reference} is not waiting for anyone's approval: only a proposed version can be nudged about.")
    number = sign_off.version.number
    standing = sign_off.standing_of(authority)
    if standing is None:
        raise Conflict(f"{authority.name} is not a party to version {number}.")
    if not standing.is_waiting:
        raise Conflict(f"{authority.name} approved version {number} on {format_date(standing.approved_on)}: there is nothing to nudge it about.")
    if not standing.may_be_nudged_on(day):
        raise Conflict(
            f"{authority.name} was nudged on {format_date(standing.last_nudged_on)}. "
            f"You can nudge it again from {format_date(standing.next_nudge_on)}.",
            next_nudge_on=standing.next_nudge_on.isoformat(),
        )
    people = [person for person in messages.approvers_to_ask(sign_off, authority) if person.id != actor.id]
    if not people:
        raise Conflict(
            f"Nobody at {authority.name} can approve version {number} yet: it has no other approver in the registry. "
            "Ask the registry's administrators to give someone there the approver role."
        )
    chase = Chase(version_id=sign_off.version.id, authority_id=authority.id, kind=NUDGE, sent_by_id=actor.id, sent_on=day)
    db.session.add(chase)
    db.session.flush()
    told = deliver(messages.nudge(actor, sign_off, authority, chase.id, standing.waiting_days), people, leave_out=actor.id)
    record(
        actor, "agreement.nudge", "agreement", agreement.reference,
        {"version": number, "authority": authority.code, "waiting_days": standing.waiting_days, "told": told.notified},
        authorities=_codes(agreement.lead_authority, authority), acting_for=agreement.lead_authority,
    )
    return Nudged(agreement.reference, authority, number, day, queries.next_nudge_on(day), told.notified)


def send_chasers(actor: Actor, day: date) -> list[Chase]:
    """Chase each party still to approve after SIGNOFF_CHASE_AFTER_DAYS, and tell its administrators after twice that.

    Each chaser goes once per version, party and stage however often this runs, even two
    runs at once: its row is written first, and a run that finds it written sends nothing.
    SIGNOFF_CHASE_AFTER_DAYS = 0 turns the chasers off.
    """
    if not policies.can_send_chasers(actor):
        raise PermissionDenied("Only the scheduled job sends the chasers.")
    after_days = int(current_app.config["SIGNOFF_CHASE_AFTER_DAYS"])
    if after_days <= 0:
        return []
    insert = _INSERT[db.session.get_bind().dialect.name]
    claimed = []
    # In key order, so that two runs at once meet their shared rows in the same order and
    # wait for each other rather than deadlock.
    for due in queries.due_chasers(day, after_days):
        chase_id = db.session.scalar(
            insert(Chase)
            .values(version_id=due.version_id, authority_id=due.authority_id, kind=due.kind, sent_on=day, created_at=utcnow())
            .on_conflict_do_nothing()
            .returning(Chase.id)
        )
        if chase_id is not None:
            claimed.append((chase_id, due))
    told = [(chase_id, due, _chase(due, day, after_days)) for chase_id, due in claimed]
    # Audited after every insert: the log's lock is taken last, never while waiting on a row.
    for chase_id, due, (sign_off, authority, waited, count) in told:
        record(
            actor, "agreement.chase", "agreement", sign_off.agreement.reference,
            {"version": sign_off.version.number, "authority": authority.code, "stage": due.kind, "waiting_days": waited,
             "told": count},
            authorities=_codes(sign_off.agreement.lead_authority, authority),
        )
    return list(db.session.get(Chase, chase_id) for chase_id, _, _ in told)


def _chase(due: queries.DueChaser, day: date, after_days: int):
    """Tell the party's approvers (and, at the escalation, its administrators); return what was said to whom, and how many."""
    version = db.session.get(AgreementVersion, due.version_id)
    authority = db.session.get(Authority, due.authority_id)
    sign_off = queries.sign_off_of(version.agreement, day)
    waited = queries.days_between(sign_off.submitted_on, day)
    escalated = due.kind == ESCALATION
    count = deliver(messages.reminder(sign_off, authority, waited, escalated=escalated),
                    messages.approvers_to_ask(sign_off, authority)).notified
    if escalated:
        administrators = queries.administrators_of([authority.id])[authority.id]
        count += deliver(messages.waiting_too_long(sign_off, authority, waited, after_days), administrators).notified
    return sign_off, authority, waited, count
