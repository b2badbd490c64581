"""Reminders go to the approvers of the right parties, active ones only, once each."""

from datetime import timedelta

from registry.users.actors import COMMAND_LINE
from registry.extensions import db
from registry.users import services as user_services
from registry.users.roles import Role

from . import add_obligation, approver_ids, move_to, outbox, recipients, send


def _obligation_recipients(milestone: str) -> set[int]:
    return {m.user_id for m in outbox() if m.key.startswith("obligation:") and m.key.split(":")[3] == milestone}


def test_a_review_reminder_goes_to_the_approvers_of_every_party_and_no_one_else(app, runner, councils, agreement):
    move_to(app, agreement.review_due - timedelta(days=30))
    send(runner)
    assert recipients() == approver_ids(councils, "LDS", "BRD", "KIR")


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
    assert "an approver for Leeds City Council and Bradford Council" in theirs[0].email.get_content()
