"""Every email written, kept in an outbox until it is delivered (and afterwards, for the outbox pages)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, partial_index, utcnow
from registry.extensions import db
from registry.users.models import User

KEY_LENGTH = 200
SUBJECT_LENGTH = 300
ERROR_LENGTH = 500
THREAD_LENGTH = 200
URL_LENGTH = 2000

# How a message left: over SMTP, through GOV.UK Notify, or into the development mailbox
# (kept here only, for a newcomer to read on the outbox page; nothing was sent anywhere).
SMTP, NOTIFY, MAILBOX = "smtp", "notify", "mailbox"
CHANNELS = (SMTP, NOTIFY, MAILBOX)
# What is left of a message that held a secret once it has been delivered.
SECRET_WIPED = "The text of this message held a single-use link for its recipient alone, so it was wiped once delivered."


class OutboxMessage(db.Model):
    """One email: written once (its key makes it unique), then delivered by SMTP, GOV.UK Notify or the development mailbox."""

    __tablename__ = "outbox_messages"
    # Each run looks for what is still to send; a partial index keeps that quick however
    # many sent messages the outbox keeps.
    __table_args__ = (
        partial_index("ix_outbox_messages_unsent", "id", where="sent_at IS NULL"),
        sa.CheckConstraint("sent_via IN ('smtp', 'notify', 'mailbox')", name="sent_via"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Chosen by the feature that wrote it, to say what it is about and for whom, so that it
    # is written once, e.g. review:DSA-2026-0001:2027-11-27:30:user-7.
    key: Mapped[str] = mapped_column(sa.String(KEY_LENGTH), unique=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(SUBJECT_LENGTH))
    body: Mapped[str] = mapped_column(sa.Text)
    # The same message as HTML, sent as the alternative to the text (multipart/alternative).
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    # Chosen by the feature, e.g. agreement:DSA-2026-0001: messages with the same thread
    # answer one made-up first message, so that mail programs show them as one conversation.
    thread: Mapped[str | None] = mapped_column(sa.String(THREAD_LENGTH))
    # The page where the recipient chooses what they are sent (the List-Unsubscribe header).
    unsubscribe_url: Mapped[str | None] = mapped_column(sa.String(URL_LENGTH))
    # The message holds a secret meant for its recipient alone (an invitation's or a password
    # reset's single-use link): the outbox pages do not show its text, and delivery wipes
    # it, so that the link lives in the database only until it has gone.
    holds_secret: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Which channel delivered it (CHANNELS); empty until it is delivered.
    sent_via: Mapped[str | None] = mapped_column(sa.String(20))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.String(ERROR_LENGTH), default="")
    # After the server refused this message, not before this: retries back off so that a
    # refused address is not hammered every few minutes.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the message can never be sent as it stands (it cannot even be made into an
    # email, e.g. its stored address is not one): it is not tried again, and says why.
    given_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()


class OutboxMailing(db.Model):
    """One email to many people, written as it stands by the change that caused it; delivery makes a message of it for each.

    A workflow event can tell 150 people. Written as 150 messages, its text would be stored
    150 times inside the request that caused it; written as a mailing, it is stored once, and
    the sender writes the messages (expands it) just before delivering them.
    """

    __tablename__ = "outbox_mailings"
    __table_args__ = (partial_index("ix_outbox_mailings_unexpanded", "id", where="expanded_at IS NULL"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(SUBJECT_LENGTH))
    body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    thread: Mapped[str | None] = mapped_column(sa.String(THREAD_LENGTH))
    unsubscribe_url: Mapped[str | None] = mapped_column(sa.String(URL_LENGTH))
    # Each recipient as {"key": …, "to_address": …, "user_id": …}: the message each becomes.
    recipients: Mapped[list] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the sender wrote its messages; until then it waits, and no one else writes them.
    expanded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
