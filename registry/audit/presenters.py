"""Turning entries into what a person reads: who acted, what they did, what changed."""

import json
from dataclasses import dataclass

import sqlalchemy as sa

from registry.agreements import statuses
from registry.authorities.queries import names_by_code
from registry.extensions import db
from registry.legal.queries import labels_by_code
from registry.users.models import User

from registry.auditlog.models import AuditEntry

ACTION_NAMES = {
    "authority.create": "Authority added",
    "authority.update": "Authority changed",
    "user.create": "User created",
    "user.deactivate": "User deactivated",
    "user.reactivate": "User reactivated",
    "user.set_system_role": "System role changed",
    "user.sign_in": "Signed in",
    "user.sign_out": "Signed out",
    "user.change_password": "Password changed",
    "user.reset_password": "Password reset by email link",
    "membership.grant": "Role given",
    "membership.revoke": "Role taken away",
    "administrator.appoint": "Made an administrator for an authority",
    "administrator.remove": "No longer an administrator for an authority",
    "invitation.create": "Invitation sent",
    "invitation.resend": "Invitation sent again",
    "invitation.cancel": "Invitation cancelled",
    "invitation.accept": "Invitation accepted",
    "identity.link": "Organisation account linked",
    "membership.from_identity_provider": "Role set from the organisation account",
    "authority.password_sign_in": "Password sign-in turned on or off",
    "api_token.create": "API token created",
    "api_token.revoke": "API token revoked",
    "audit.rotate_key": "Log key rotated",
    "dataset.create": "Dataset added",
    "dataset.update": "Dataset changed",
    "dataset.add_item": "Data item added",
    "dataset.update_item": "Data item changed",
    "dataset.remove_item": "Data item removed",
    "legal_basis.create": "Legal basis added",
    "legal_basis.update": "Legal basis changed",
    "agreement.create": "Agreement started",
    "agreement.import": "Imported from a spreadsheet",
    "agreement.edit": "Draft edited",
    "agreement.add_party": "Party added to the draft",
    "agreement.update_party": "Party changed in the draft",
    "agreement.remove_party": "Party removed from the draft",
    "agreement.add_flow": "Flow added to the draft",
    "agreement.update_flow": "Flow changed in the draft",
    "agreement.remove_flow": "Flow removed from the draft",
    "agreement.add_obligation": "Obligation added to the draft",
    "agreement.update_obligation": "Obligation changed in the draft",
    "agreement.remove_obligation": "Obligation removed from the draft",
    "agreement.submit": "Submitted for approval",
    "agreement.approve": "Approved",
    "agreement.request_changes": "Changes asked for",
    "agreement.withdraw": "Proposal withdrawn",
    "agreement.start": "Agreement started by the schedule",
    "agreement.start_review": "Review started",
    "agreement.complete_review": "Review completed",
    "agreement.amend": "Amendment started",
    "agreement.suspend": "Agreement suspended",
    "agreement.resume": "Agreement resumed (or agreed to resume)",
    "agreement.terminate": "Agreement terminated",
    "agreement.expire": "Agreement expired",
    "agreement.nudge": "Party nudged to approve",
    "agreement.chase": "Party reminded to approve by the schedule",
    "obligation.attest": "Obligation attested",
    "reminder.queue": "Reminder written",
    # No longer written (reminders are chosen with notification.preferences); entries written before keep it.
    "reminder.preferences": "Reminder choices changed",
    "notification.preferences": "Notification choices changed",
    "notification.digest": "Daily digest written to the outbox",
    "calendar_feed.create": "Calendar feed created",
    "calendar_feed.revoke": "Calendar feed stopped",
}


@dataclass(frozen=True)
class EntryView:
    """An entry as the auditors' pages show it."""

    index: int
    time: object
    actor: str
    action: str
    action_name: str
    object: str
    authorities: list[str]
    details: list[tuple[str, str]]
    key_id: str
    entry_text: str


@dataclass(frozen=True)
class Names:
    """What the codes in the log stand for: authorities' names and legal bases' citations, by code."""

    authorities: dict[str, str]
    legal_bases: dict[str, str]

    def of(self, code: str) -> str | None:
        """Return the name of what this code stands for, if it is an authority's or a legal basis's code."""
        return self.legal_bases.get(code) or self.authorities.get(code)

    def say(self, code: str) -> str:
        """Return a code as people read it: the name, the code beside it (the log and its filters use codes)."""
        name = self.of(code)
        return f"{name} ({code})" if name else code


NO_NAMES = Names({}, {})


def _is_hash(value) -> bool:
    return isinstance(value, dict) and set(value) == {"sha256"}


def _value(value, names: Names = NO_NAMES) -> str:
    if value is None:
        return "none"
    if _is_hash(value):
        # Free text is in the log only as its hash (it can never be erased from here).
        return f"text with SHA-256 {value['sha256']}"
    if isinstance(value, list):
        # Names may hold commas ("Data Protection Act 2018, Schedule 1, …"): a list of them is split by semicolons.
        separator = "; " if any(isinstance(v, str) and names.of(v) for v in value) else ", "
        return separator.join(_value(v, names) for v in value) or "none"
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, str):
        return names.say(value)
    return str(value)


def _is_from_to(change) -> bool:
    return isinstance(change, dict) and bool(change) and set(change) <= {"from", "to"}


def _change(change, names: Names = NO_NAMES) -> str:
    """Say what a field's change was, whichever way its service wrote it.

    Most services log {"from": …, "to": …}; draft edits log only the new value (the old one
    is in the entry before). Any other shape is shown as it is, never refused: the log is
    permanent, so the pages must read whatever was ever written.
    """
    if _is_from_to(change):
        return f"from {_value(change.get('from'), names)} to {_value(change.get('to'), names)}"
    return f"changed to {_value(change, names)}"


def _details(action: str, data, names: Names = NO_NAMES) -> list[tuple[str, str]]:
    """List what the entry's data says, spelling out each change (and an agreement's statuses and codes in words)."""
    if not isinstance(data, dict):
        return [("data", _value(data, names))]
    lines = []
    for name, value in data.items():
        if name == "changes" and isinstance(value, dict):
            for field, change in value.items():
                lines.append((field.replace("_", " "), _change(change, names)))
        elif name in ("from", "to") and action.startswith("agreement.") and isinstance(value, str):
            lines.append((f"status {name}", statuses.word(value)))
        else:
            lines.append((name.replace("_", " "), _value(value, names)))
    return lines


def _actor_label(actor: dict, people: dict[int, str], names: Names = NO_NAMES) -> str:
    if actor.get("type") == "user":
        label = people.get(actor["id"], f"user {actor['id']}")
    else:
        label = f"System ({actor.get('name', 'unknown')})"
    if actor.get("authority"):
        label += f" for {names.authorities.get(actor['authority'], actor['authority'])}"
    return label


def _strings_in(value) -> set[str]:
    """Return every string in an entry's body: the codes among them are what its page names."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings_in(v) for v in value)) if value else set()
    return set()


def _names_in(bodies: list[dict]) -> Names:
    # Codes are short (authorities' up to 20 characters, legal bases' up to 40): hashes and prose are not asked about.
    strings = {s for s in set().union(*(_strings_in(body) for body in bodies)) if len(s) <= 40} if bodies else set()
    if not strings:
        return NO_NAMES
    return Names(names_by_code(strings), labels_by_code(strings))


def _object_label(kind: str, ref: str, names: Names) -> str:
    return f"{kind.replace('_', ' ')} {names.say(ref) if kind in ('authority', 'legal_basis') else ref}"


def entry_views(entries: list[AuditEntry]) -> list[EntryView]:
    """Return views of entries, naming the people who acted, the authorities and the legal bases, in three queries at most."""
    parsed = [json.loads(entry.entry) for entry in entries]
    user_ids = {p["actor"]["id"] for p in parsed if p["actor"].get("type") == "user"}
    people = dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(user_ids))).all()) if user_ids else {}
    names = _names_in(parsed)
    return [
        EntryView(
            index=entry.index,
            time=entry.time,
            actor=_actor_label(body["actor"], people, names),
            action=body["action"],
            action_name=ACTION_NAMES.get(body["action"], body["action"]),
            object=_object_label(body["object"]["type"], str(body["object"]["ref"]), names),
            authorities=[names.authorities.get(code, code) for code in body.get("authorities", [])],
            details=_details(body["action"], body.get("data", {}), names),
            key_id=entry.key_id,
            entry_text=entry.entry.decode("utf-8"),
        )
        for entry, body in zip(entries, parsed)
    ]
