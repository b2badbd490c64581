"""Each reminder is in its recipient's notifications, and goes by email now, in the daily digest or nowhere else, as chosen."""

from datetime import datetime

from registry.core.clock import UK_TIME
from registry.extensions import db
from registry.notifications import services as notification_services
from registry.outbox.models import OutboxMessage
from registry.users.actors import SCHEDULER
from tests.notifications.conftest import subject, text_of

from . import emailed, keys_for, milestones_written, outbox, send, send_then_put_the_clock_back, told


def _choose(person, **choices):
    notification_services.set_preferences(person, choices)
    db.session.commit()


def test_every_reminder_is_in_its_recipients_notifications_with_a_link_to_act(app, runner, councils, agreement, signed_in_client):
    send(runner)
    bradford = councils["BRD"].approver
    [theirs] = [row for row in told() if row.user_id == bradford.id]
    assert theirs.title == f"Review due in 30 days: {agreement.reference} Supporting families"
    assert theirs.link == f"/agreements/{agreement.reference}"
    inbox = signed_in_client(bradford).get("/notifications").get_data(as_text=True)
    assert f"Review due in 30 days: {agreement.reference} Supporting families" in inbox


def test_inbox_only_means_no_email_but_the_notifications_have_it(app, runner, councils, agreement, smtp_server):
    quiet = councils["BRD"].approver
    _choose(quiet, review_reminders="inbox")
    result = send(runner)
    assert result.output.strip() == "6 written, 5 sent, 0 failed"
    assert quiet.id not in emailed() and councils["BRD"].second_approver.id in emailed()
    assert quiet.email not in [rcpt for m in smtp_server.messages for rcpt in m.envelope.rcpt_tos]
    assert keys_for(quiet) == {f"review:{agreement.reference}:{agreement.review_due.isoformat()}:30:user-{quiet.id}"}


def test_an_inbox_only_reminder_is_told_once_however_often_the_command_runs(app, runner, councils, agreement):
    quiet = councils["BRD"].approver
    _choose(quiet, review_reminders="inbox")
    send(runner)
    again = send(runner)
    assert again.output.strip() == "0 written, 0 sent, 0 failed"
    assert len([row for row in told() if row.user_id == quiet.id]) == 1


def test_an_inbox_only_reminder_is_never_followed_by_a_less_urgent_one(app, runner, councils, agreement):
    # Everyone chose the inbox only, so nothing but the notices shows what was told.
    approvers = [p for code in ("LDS", "BRD", "KIR") for p in (councils[code].approver, councils[code].second_approver)]
    for person in approvers:
        _choose(person, review_reminders="inbox")
    # Time going backwards must not bring the 30-day reminder.
    assert "0 written" in send_then_put_the_clock_back(app, runner, agreement)
    assert milestones_written() == {"7"}
    assert outbox() == []
    assert all(len(keys_for(person)) == 1 for person in approvers)


def test_a_digest_reminder_waits_for_the_daily_email_then_is_listed_in_it(app, runner, councils, agreement, smtp_server):
    patient = councils["KIR"].approver
    _choose(patient, review_reminders="digest")
    first = send(runner)
    assert first.output.strip() == "6 written, 5 sent, 0 failed"
    assert patient.email not in [rcpt for m in smtp_server.messages for rcpt in m.envelope.rcpt_tos]
    [theirs] = [row for row in told() if row.user_id == patient.id]
    assert theirs.digest_waiting

    morning = datetime.now(UK_TIME).replace(hour=app.config["NOTIFICATIONS_DIGEST_HOUR"], minute=5)
    assert notification_services.send_digests(SCHEDULER, morning) == 1
    db.session.commit()
    assert send(runner).output.strip() == "0 written, 1 sent, 0 failed"
    [digest] = [m.email for m in smtp_server.messages if m.envelope.rcpt_tos == [patient.email]]
    assert subject(digest) == "Your daily summary: 1 new notification"
    assert f"Review due in 30 days: {agreement.reference} Supporting families" in text_of(digest)


def test_a_reminder_emailed_before_reminders_were_notifications_is_not_told_again(app, runner, councils, agreement):
    # Written by the command as it was: straight into the outbox, under the key a notice now has.
    bradford = councils["BRD"].approver
    key = f"review:{agreement.reference}:{agreement.review_due.isoformat()}:30:user-{bradford.id}"
    db.session.add(OutboxMessage(key=key, user_id=bradford.id, to_address=bradford.email, subject="Review due", body="…"))
    db.session.commit()
    result = send(runner)
    assert result.output.strip() == "5 written, 6 sent, 0 failed"
    assert keys_for(bradford) == set()
    assert [m.key for m in outbox() if m.user_id == bradford.id] == [key]
