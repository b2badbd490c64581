"""Messages that hold a secret link (invitations, password resets): their text is not shown on the outbox page, and is wiped once delivered, except in the development mailbox."""

from registry.core.unit_of_work import unit_of_work
from registry.extensions import db
from registry.outbox import delivery, services
from registry.outbox.models import SECRET_WIPED, OutboxMessage

LINK = "https://registry.example-council.gov.uk/reset-password/the-secret-token"


def _secret_message(holds_secret=True) -> OutboxMessage:
    with unit_of_work():
        message_id = services.enqueue(key="secret:1", to_address="someone@example.org", subject="Reset your password",
                                      body=f"Open {LINK}\n", html_body=f'<a href="{LINK}">Reset</a>', holds_secret=holds_secret)
    return db.session.get(OutboxMessage, message_id)


def test_a_message_holding_a_secret_is_wiped_once_sent_and_arrives_whole(smtp_server):
    message = _secret_message()

    delivery.send_queued()

    [received] = smtp_server.messages
    assert LINK in received.email.get_body(preferencelist=("plain",)).get_content()
    db.session.refresh(message)
    assert message.sent_at is not None
    assert message.body == SECRET_WIPED and message.html_body is None


def test_an_ordinary_message_keeps_its_text_once_sent(smtp_server):
    message = _secret_message(holds_secret=False)
    delivery.send_queued()
    db.session.refresh(message)
    assert LINK in message.body


def test_the_development_mailbox_keeps_the_text_to_be_read_there(app):
    app.config["MAIL_BACKEND"] = "mailbox"
    message = _secret_message()

    delivery.send_queued()

    db.session.refresh(message)
    assert message.sent_via == "mailbox" and LINK in message.body


def test_the_outbox_page_does_not_show_the_text_of_a_message_holding_a_secret(app, signed_in_client, admin):
    app.config["MAIL_BACKEND"] = "smtp"
    message = _secret_message()

    html = signed_in_client(admin).get(f"/outbox/{message.id}").get_data(as_text=True)

    assert "the-secret-token" not in html
    assert "holds a single-use link for someone@example.org alone" in html


def test_the_outbox_page_shows_it_in_the_development_mailbox(app, signed_in_client, admin):
    app.config["MAIL_BACKEND"] = "mailbox"
    message = _secret_message()

    html = signed_in_client(admin).get(f"/outbox/{message.id}").get_data(as_text=True)

    assert "the-secret-token" in html
