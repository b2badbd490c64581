"""Telling people: one message, written once, put in each recipient's inbox and emailed as they chose.

Called by the subscribers that react to the registry's events, in the transaction of the
change that caused them: a change that rolls back tells no one, and nothing is told of a
change that did not happen. Everything is written in bulk (one statement for the inbox rows,
one for the emails), so that an agreement with 150 people to tell stays quick to approve.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from sqlalchemy.dialects import postgresql, sqlite
from registry.core.bulk import insert_new
from registry.core.db import utcnow
from registry.core.links import external_url
from registry.core.text import one_line
from registry.extensions import db
from registry.outbox import services as outbox
from registry.users.models import User

from .kinds import DIGEST, EMAIL, OFF, default_delivery
from .models import TITLE_LENGTH, Notice, Notification
from .queries import Recipient, chosen_deliveries

@dataclass(frozen=True)
class Message:
    """What a group of people are told about one event, in words: the same for each of them.

    `key` names the event and who it is for: told once, so that telling them again of the
    same event (a scheduled run repeated) writes nothing. Each person's email is keyed
    `<key>:user-<id>`.
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
    """What deliver() wrote: inbox entries and emails, by count, and the notice they share (None: nothing written)."""

    notified: int = 0
    emailed: int = 0
    digested: int = 0
    user_ids: list[int] = field(default_factory=list)
    notice_id: int | None = None


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
    # Recipients read for this kind (queries.members_of) carry their choice; ask for the others'.
    known = {p.id: p.chosen for p in people.values() if isinstance(p, Recipient) and p.kind == message.kind}
    asked = chosen_deliveries(user_id for user_id in people if user_id not in known)
    how = {
        user_id: (known[user_id] if user_id in known else asked.get((user_id, message.kind)))
        or (defaults or {}).get(user_id) or default_delivery(message.kind)
        for user_id in people
    }
    told = [user_id for user_id in sorted(people) if how[user_id] != OFF]
    if not told:
        return delivered
    now = utcnow()
    title = one_line(message.title)[:TITLE_LENGTH]
    notice = {"key": message.key, "kind": message.kind, "title": title, "body": message.text, "link": message.link,
              "agreement_reference": message.agreement_reference, "created_at": now}
    delivered.notice_id, delivered.notified = _write(notice, told, [how[user_id] == DIGEST for user_id in told])
    if not delivered.notified:
        return delivered  # this event was told already (a scheduled run repeated, say)
    emailed = [user_id for user_id in told if how[user_id] == EMAIL]
    if emailed:
        delivered.emailed = outbox.enqueue_mailing(
            recipients=[{"key": f"{message.key}:user-{user_id}", "to_address": people[user_id].email, "user_id": user_id}
                        for user_id in emailed],
            subject=title, body=email_text(message), html_body=email_html(message),
            thread=f"agreement:{message.agreement_reference}" if message.agreement_reference else None,
            unsubscribe_url=external_url("notifications.preferences"),
        )
    delivered.digested = sum(how[user_id] == DIGEST for user_id in told)
    delivered.user_ids = told
    return delivered


_NOTICE_COLUMNS = ("key", "kind", "title", "body", "link", "agreement_reference", "created_at")


@functools.cache
def _postgresql_write() -> sa.Insert:
    # Built once, its values all bound: building it costs more than the database takes to run it.
    written = (
        _notice_insert(postgresql)
        .values({name: sa.bindparam(name, type_=Notice.__table__.c[name].type) for name in _NOTICE_COLUMNS})
        .returning(Notice.__table__.c.id)
        .cte("notice")
    )
    given = sa.func.unnest(
        sa.bindparam("user_ids", type_=postgresql.ARRAY(sa.Integer())),
        sa.bindparam("digests", type_=postgresql.ARRAY(sa.Boolean())),
    ).table_valued("user_id", "digest_waiting").render_derived(name="given")
    return (
        sa.insert(Notification.__table__)
        .from_select(["user_id", "notice_id", "digest_waiting"],
                     sa.select(given.c.user_id, written.c.id, given.c.digest_waiting).select_from(written).join(given, sa.true()))
        .add_cte(written)
        .returning(Notification.__table__.c.notice_id)
    )


def _write(notice: dict, user_ids: list[int], digests: list[bool]) -> tuple[int | None, int]:
    """Write the notice, once, and each person's copy of it; return its id and how many copies (None, 0: told before).

    On PostgreSQL in one statement (the notice's INSERT a CTE of the copies' INSERT … SELECT
    FROM unnest), whose text never changes; on SQLite, in process, in two.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        copies = db.session.scalars(_postgresql_write(), {**notice, "user_ids": user_ids, "digests": digests}).all()
        return (copies[0] if copies else None), len(copies)
    notice_id = db.session.scalar(_notice_insert(sqlite).values(**notice).returning(Notice.__table__.c.id))
    if notice_id is None:
        return None, 0
    rows = [{"user_id": user_id, "notice_id": notice_id, "digest_waiting": digest} for user_id, digest in zip(user_ids, digests)]
    return notice_id, insert_new(Notification.__table__, rows)


def _notice_insert(dialect):
    # On the table, not the mapped class: a statement run with its values bound is not an ORM bulk insert.
    return dialect.insert(Notice.__table__).on_conflict_do_nothing(index_elements=["key"])
