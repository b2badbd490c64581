"""Telling people: one message, written once, put in each recipient's inbox and emailed as they chose.

Called by the subscribers that react to the registry's events, in the transaction of the
change that caused them: a change that rolls back tells no one, and nothing is told of a
change that did not happen. Everything is written in bulk (one statement for the inbox rows,
one for the emails), so that an agreement with 150 people to tell stays quick to approve.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app, render_template
from registry.core.bulk import insert_new
from registry.core.db import utcnow
from registry.core.links import external_url
from registry.core.text import one_line
from registry.outbox import services as outbox
from registry.users.models import User

from .kinds import DIGEST, EMAIL, OFF, default_delivery
from .models import TITLE_LENGTH, Notification
from .queries import chosen_deliveries

@dataclass(frozen=True)
class Message:
    """What a group of people are told about one event, in words: the same for each of them.

    `key` names the event; each person's copy is keyed `<key>:user-<id>`, so that telling
    them again of the same event (a scheduled run repeated) writes nothing.
    """

    kind: str
    key: str
    title: str
    paragraphs: tuple[str, ...]
    link: str  # the page to act on: a path of the registry's own
    action: str  # the link's words, e.g. "Read and approve version 3"
    agreement_reference: str | None = None
    details: tuple[tuple[str, str], ...] = ()  # (label, value) pairs, listed under the text
    links: tuple[tuple[str, str], ...] = ()  # further (words, path) links, e.g. what changed
    why: str = ""  # why these people get it: "You approve for Leeds City Council, a party."

    @property
    def text(self) -> str:
        """Return the message as the inbox shows it: its paragraphs and details."""
        parts = list(self.paragraphs)
        if self.details:
            parts.append("\n".join(f"{label}: {value}" for label, value in self.details))
        return "\n\n".join(parts)


@dataclass
class Delivered:
    """What deliver() wrote: inbox entries and emails, by count."""

    notified: int = 0
    emailed: int = 0
    digested: int = 0
    user_ids: list[int] = field(default_factory=list)


def absolute(path: str) -> str:
    """Return a registry path (core.links.path_for, which includes any prefix) as an absolute address."""
    base = urlsplit(current_app.config["SERVICE_URL"])
    return f"{base.scheme}://{base.netloc}{path}"


def email_text(message: Message) -> str:
    """Return the plain-text email for a message: the text, where to act, why they get it, how to stop."""
    parts = [message.text, f"{message.action}:\n{absolute(message.link)}"]
    parts += [f"{words}:\n{absolute(path)}" for words, path in message.links]
    if message.why:
        parts.append(message.why)
    parts.append(f"To choose how you hear of this:\n{external_url('notifications.preferences')}")
    parts.append(current_app.config["SERVICE_NAME"])
    return "\n\n".join(parts) + "\n"


def email_html(message: Message) -> str:
    """Return the HTML email for a message: the same words as the text, simply laid out."""
    return render_template(
        "notifications/email.html",
        message=message,
        link=absolute(message.link),
        links=[(words, absolute(path)) for words, path in message.links],
        preferences=external_url("notifications.preferences"),
        service_name=current_app.config["SERVICE_NAME"],
    )


def deliver(message: Message, recipients: Sequence[User], *, defaults: dict[int, str] | None = None,
            leave_out: int | None = None) -> Delivered:
    """Tell each recipient once, as they chose: inbox always, then an email now or in the day's digest.

    `defaults` gives a person's delivery where they never chose (else the kind's default);
    `leave_out` is the person whose action this is: nobody is told of their own action.
    """
    people = {user.id: user for user in recipients if user.id != leave_out and user.active}
    delivered = Delivered()
    if not people:
        return delivered
    chosen = chosen_deliveries(people)
    how = {
        user_id: chosen.get((user_id, message.kind)) or (defaults or {}).get(user_id) or default_delivery(message.kind)
        for user_id in people
    }
    told = [user_id for user_id in sorted(people) if how[user_id] != OFF]
    if not told:
        return delivered
    now = utcnow()
    title = one_line(message.title)[:TITLE_LENGTH]
    rows = [
        {"key": f"{message.key}:user-{user_id}", "user_id": user_id, "kind": message.kind, "title": title, "body": message.text,
         "link": message.link, "agreement_reference": message.agreement_reference, "created_at": now,
         "digest_waiting": how[user_id] == DIGEST}
        for user_id in told
    ]
    # Keys name the event and the person: a key written already is an event told already, so
    # its email (same key, in the outbox) is skipped there too.
    delivered.notified = insert_new(Notification.__table__, rows, "key")
    emails = [row for row in rows if how[row["user_id"]] == EMAIL]
    if emails:
        body, html = email_text(message), email_html(message)
        thread = f"agreement:{message.agreement_reference}" if message.agreement_reference else None
        unsubscribe = external_url("notifications.preferences")
        delivered.emailed = outbox.enqueue_many([
            {"key": row["key"], "user_id": row["user_id"], "to_address": people[row["user_id"]].email, "subject": title,
             "body": body, "html_body": html, "thread": thread, "unsubscribe_url": unsubscribe}
            for row in emails
        ])
    delivered.digested = sum(1 for row in rows if row["digest_waiting"])
    delivered.user_ids = told
    return delivered
