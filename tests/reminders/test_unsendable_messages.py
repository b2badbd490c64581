"""One bad message never stops the reminders: text that cannot go in a header is refused at the door,
what was stored before is sent on one line, and a message that cannot be built is marked and passed over."""

import sqlalchemy as sa

from registry.agreements.models import AgreementVersion
from registry.extensions import db
from registry.outbox.models import OutboxMessage
from tests.conftest import post_form

from . import outbox, send


def test_the_api_refuses_a_title_with_a_line_break(councils, api_as):
    from .. agreements.builders import complete_draft

    draft = complete_draft(councils)
    api = api_as(councils["LDS"].contributor)
    response = api.client.patch(f"/api/v1/agreements/{draft.reference}/draft/details",
                                json={"title": "Families\r\nBcc: everyone@example.org"}, headers=api.headers)
    assert response.status_code == 422
    assert "one line" in response.json["fields"]["title"][0]
    db.session.expire_all()
    assert draft.latest_version.title == "Supporting families"


def test_the_form_refuses_a_title_with_a_control_character(councils, signed_in_client):
    from ..agreements.builders import complete_draft

    draft = complete_draft(councils)
    client = signed_in_client(councils["LDS"].contributor)
    response = post_form(client, f"/agreements/{draft.reference}/draft/details",
                         {"title": "Families\x1b[31m", "agreement_type": "information_sharing", "lock_version": draft.lock_version})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'href="#title">Remove the line break or control character' in html
    db.session.expire_all()
    assert draft.latest_version.title == "Supporting families"


def test_a_title_stored_with_a_line_break_is_sent_on_one_line(runner, agreement, smtp_server):
    # As a row written before titles refused line breaks would be.
    db.session.execute(sa.update(AgreementVersion).where(AgreementVersion.id == agreement.current_version_id)
                       .values(title="Supporting\r\nBcc: everyone@example.org families"))
    db.session.commit()

    result = send(runner)

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "6 written, 6 sent, 0 failed"
    subjects = {m.email["Subject"] for m in smtp_server.messages}
    assert subjects == {f"Review due in 30 days: {agreement.reference} Supporting Bcc: everyone@example.org families"}
    assert all(m.email["Bcc"] is None for m in smtp_server.messages)
    assert all(m.envelope.rcpt_tos != ["everyone@example.org"] for m in smtp_server.messages)


def test_a_stored_subject_with_a_line_break_still_goes(runner, agreement, smtp_server):
    send(runner)  # the reminders of today go
    message = OutboxMessage(key="legacy-1", to_address="someone@example.org", subject="Old\r\nsubject", body="Hello")
    db.session.add(message)
    db.session.commit()
    assert send(runner).output.strip() == "0 written, 1 sent, 0 failed"
    assert smtp_server.messages[-1].email["Subject"] == "Old subject"


def test_a_message_that_cannot_be_built_is_marked_and_the_rest_go(runner, agreement, smtp_server):
    bad = OutboxMessage(key="legacy-bad", to_address="someone@example.org\r\nBcc: x@example.org", subject="Hi", body="Hello")
    db.session.add(bad)
    db.session.commit()

    first = send(runner)

    assert first.exit_code == 1
    assert first.output.strip().endswith("6 written, 6 sent, 0 failed, 1 cannot be sent")
    assert f"Message {bad.id} cannot be made into an email" in first.output
    (marked,) = [m for m in outbox() if m.sent_at is None]
    assert marked.key == "legacy-bad" and marked.given_up_at is not None
    assert "is not an email address" in marked.last_error
    # It is not tried again, so later runs are not held up by it.
    again = send(runner)
    assert again.exit_code == 0 and again.output.strip() == "0 written, 0 sent, 0 failed"
    assert len(smtp_server.messages) == 6


def test_a_message_on_which_the_server_hangs_up_waits_and_the_rest_go(runner, agreement, smtp_server):
    # The connection drops on this one message; a new connection works, so it is the
    # message, not the server: it waits its turn and the other reminders go.
    odd = OutboxMessage(key="legacy-odd", to_address="odd@example.org", subject="Hi", body="Hello")
    db.session.add(odd)
    db.session.commit()
    smtp_server.hang_up_on.add("odd@example.org")

    result = send(runner)

    assert "Stopped" not in result.output
    assert result.exit_code == 1 and result.output.strip().endswith("6 written, 6 sent, 1 failed")
    (waiting,) = [m for m in outbox() if m.sent_at is None]
    assert waiting.key == "legacy-odd" and waiting.next_attempt_at is not None and waiting.given_up_at is None
    assert "SMTPServerDisconnected" in waiting.last_error  # the server-level failure, traced to this message


def test_the_outbox_page_says_a_message_cannot_be_sent(runner, agreement, smtp_server, signed_in_client, admin):
    db.session.add(OutboxMessage(key="legacy-bad", to_address="not an address", subject="Hi", body="Hello"))
    db.session.commit()
    send(runner)
    html = signed_in_client(admin).get("/outbox").get_data(as_text=True)
    assert "Cannot be sent" in html and "It will not be tried again" in html
