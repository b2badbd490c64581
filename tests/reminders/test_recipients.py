"""Reminders go to the approvers of the right parties and to their contributors who asked, active ones only, once each."""

from datetime import timedelta

import pytest

from registry.users.actors import COMMAND_LINE
from registry.extensions import db
from registry.notifications import services as notification_services
from registry.users import services as user_services
from registry.users.roles import Role
from tests.notifications.conftest import text_of

from . import add_obligation, approver_ids, emailed, move_to, recipients, send, told


def _obligation_recipients(milestone: str) -> set[int]:
    return {row.user_id for row in told() if row.key.startswith("obligation:") and row.key.split(":")[3] == milestone}


def _ask(person, **choices):
    notification_services.set_preferences(person, choices)
    db.session.commit()


def test_a_review_reminder_goes_to_the_approvers_of_every_party_and_no_one_else(app, runner, councils, agreement):
    move_to(app, agreement.review_due - timedelta(days=30))
    send(runner)
    assert recipients() == approver_ids(councils, "LDS", "BRD", "KIR")
    assert emailed() == approver_ids(councils, "LDS", "BRD", "KIR")


def test_an_obligation_due_soon_goes_to_the_owing_partys_approvers_only(app, runner, councils, agreement):
    due = agreement.review_due - timedelta(days=200)
    add_obligation(agreement, owed_by="BRD", due=due)
    move_to(app, due - timedelta(days=7))
    send(runner)
    assert _obligation_recipients("7") == approver_ids(councils, "BRD")


def test_an_overdue_obligation_also_goes_to_those_it_is_owed_to(app, runner, councils, agreement):
    due = agreement.review_due - timedelta(days=200)
    add_obligation(agreement, owed_by="BRD", due=due)
    move_to(app, due + timedelta(days=1))
    send(runner)
    assert _obligation_recipients("overdue") == approver_ids(councils, "BRD", "LDS", "KIR")


def test_an_overdue_obligation_owed_to_one_party_goes_to_that_party_and_the_owing_one(app, runner, councils, agreement):
    due = agreement.review_due - timedelta(days=200)
    add_obligation(agreement, owed_by="BRD", owed_to="KIR", due=due)
    move_to(app, due + timedelta(days=1))
    send(runner)
    assert _obligation_recipients("overdue") == approver_ids(councils, "BRD", "KIR")


def test_a_deactivated_approver_gets_nothing(app, runner, councils, agreement):
    leaver = councils["LDS"].second_approver
    user_services.deactivate_user(COMMAND_LINE, leaver)
    db.session.commit()
    move_to(app, agreement.review_due - timedelta(days=30))
    send(runner)
    assert leaver.id not in recipients()
    assert recipients() == approver_ids(councils, "LDS", "BRD", "KIR") - {leaver.id}


def test_someone_approving_for_two_parties_gets_one_message(app, runner, councils, agreement, smtp_server):
    both = councils["LDS"].approver
    user_services.grant_membership(COMMAND_LINE, both, councils["BRD"].authority, Role.APPROVER)
    db.session.commit()
    move_to(app, agreement.review_due - timedelta(days=30))
    send(runner)
    theirs = [m for m in smtp_server.messages if m.envelope.rcpt_tos == [both.email]]
    assert len(theirs) == 1
    assert "an approver for Leeds City Council and Bradford Council" in text_of(theirs[0].email)


@pytest.mark.parametrize("delivery", ["email", "digest", "inbox"])
def test_a_contributor_who_asks_for_review_reminders_gets_them_as_they_chose(app, runner, councils, agreement, delivery):
    asking = councils["BRD"].contributor
    _ask(asking, review_reminders=delivery)
    move_to(app, agreement.review_due - timedelta(days=30))
    send(runner)
    assert recipients() == approver_ids(councils, "LDS", "BRD", "KIR") | {asking.id}
    assert (asking.id in emailed()) == (delivery == "email")


def test_contributors_who_never_asked_get_no_reminders(app, runner, councils, agreement):
    due = agreement.review_due - timedelta(days=60)
    add_obligation(agreement, owed_by="BRD", due=due)
    move_to(app, due + timedelta(days=1))
    send(runner)
    contributors = {councils[code].contributor.id for code in ("LDS", "BRD", "KIR")}
    assert recipients() == approver_ids(councils, "LDS", "BRD", "KIR")
    assert not recipients() & contributors


def test_a_contributors_reminder_greets_them_and_says_they_asked(app, runner, councils, agreement, smtp_server):
    asking = councils["BRD"].contributor
    _ask(asking, review_reminders="email")
    move_to(app, agreement.review_due - timedelta(days=30))
    send(runner)
    [email] = [m.email for m in smtp_server.messages if m.envelope.rcpt_tos == [asking.email]]
    body = text_of(email)
    assert body.startswith(f"Dear {asking.name},")
    assert ("You get this because you are a contributor for Bradford Council, a party to this agreement, "
            "and asked for review reminders.") in body


def test_a_contributor_of_the_owing_party_who_asks_is_taken_to_the_obligations_not_the_attest_form(
        app, runner, councils, agreement, smtp_server):
    asking = councils["BRD"].contributor
    _ask(asking, obligation_reminders="email")
    due = agreement.review_due - timedelta(days=60)
    obligation = add_obligation(agreement, owed_by="BRD", due=due)
    move_to(app, due - timedelta(days=7))
    send(runner)
    assert _obligation_recipients("7") == approver_ids(councils, "BRD") | {asking.id}
    [email] = [m.email for m in smtp_server.messages if m.envelope.rcpt_tos == [asking.email]]
    body = text_of(email)
    assert "a contributor for Bradford Council, which owes it, and asked for obligation reminders" in body
    assert f"/agreements/{agreement.reference}#obligations\n" in body
    assert f"/obligations/{obligation.id}/attest" not in body  # only an approver can attest


def test_an_overdue_reminder_reaches_a_contributor_who_asked_for_overdue_ones_only(app, runner, councils, agreement):
    asking = councils["KIR"].contributor
    _ask(asking, overdue_reminders="inbox")
    due = agreement.review_due - timedelta(days=60)
    add_obligation(agreement, owed_by="BRD", due=due)
    move_to(app, due - timedelta(days=7))
    send(runner)
    assert asking.id not in recipients()
    move_to(app, due + timedelta(days=1))
    send(runner)
    assert _obligation_recipients("overdue") == approver_ids(councils, "BRD", "LDS", "KIR") | {asking.id}


def test_a_viewer_is_not_reminded_even_if_they_ask(app, runner, councils, agreement):
    viewer = councils["LDS"].viewer
    _ask(viewer, review_reminders="email")
    move_to(app, agreement.review_due - timedelta(days=30))
    send(runner)
    assert viewer.id not in recipients()
