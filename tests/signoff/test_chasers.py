"""Chasers: `flask reminders send` reminds a party that has not approved after SIGNOFF_CHASE_AFTER_DAYS (7),
and after twice that tells its authority's administrators too. Each goes once, however often the job runs.
"""

import pytest

from registry.core.errors import PermissionDenied
from registry.signoff import queries, services
from registry.signoff.models import Chase
from registry.extensions import db
from tests.factories import make_user
from tests.reminders import audit_entries, send

from .conftest import approve, days_after_sending


@pytest.fixture
def administrator(app):
    return make_user(name="Registry administrator", email="admin@registry.example", system_role="admin")


def approvers(councils, *codes) -> set[str]:
    return {person.email for code in codes for person in (councils[code].approver, councils[code].second_approver)}


def run(runner):
    result = send(runner)
    assert result.exit_code == 0, result.output
    return result


def test_nothing_is_chased_before_7_days(app, councils, proposed, runner, mailbox):
    days_after_sending(app, 6)

    result = run(runner)

    assert "chaser" not in result.output
    assert mailbox.received() == {}


def test_a_party_that_has_not_approved_after_7_days_is_reminded(app, councils, proposed, runner, mailbox):
    approve(councils, proposed, "LDS", "BRD")
    days_after_sending(app, 7)

    result = run(runner)

    assert "1 sign-off chaser written" in result.output
    received = mailbox.received()
    assert set(received) == approvers(councils, "KIR")
    email = received[councils["KIR"].approver.email][0]
    assert email["Subject"].strip() == f"Still waiting for your approval after 7 days: {proposed.reference} version 1"
    text = email.get_body(preferencelist=("plain",)).get_content()
    assert "Kirklees Council has not yet approved version 1 of the agreement" in text
    assert f"/agreements/{proposed.reference}/approve" in text


def test_every_party_still_to_approve_is_reminded_and_no_one_else(app, councils, proposed, administrator, runner, mailbox):
    approve(councils, proposed, "BRD")
    days_after_sending(app, 8)

    run(runner)

    assert set(mailbox.received()) == approvers(councils, "LDS", "KIR")


def test_running_twice_sends_once(app, councils, proposed, runner, mailbox):
    days_after_sending(app, 7)

    run(runner)
    second = run(runner)

    assert "chaser" not in second.output
    received = mailbox.received()
    assert all(len(emails) == 1 for emails in received.values())
    assert len(received) == 6  # two approvers at each of the three parties


def test_the_reminder_goes_once_over_the_following_days(app, councils, proposed, runner, mailbox):
    for day in (7, 8, 9, 13):
        days_after_sending(app, day)
        run(runner)

    assert len(mailbox.received()[councils["BRD"].approver.email]) == 1


def test_after_twice_as_long_the_administrators_are_told_too(app, councils, proposed, administrator, runner, mailbox):
    approve(councils, proposed, "LDS", "KIR")
    days_after_sending(app, 7)
    run(runner)
    days_after_sending(app, 14)

    run(runner)

    received = mailbox.received()
    told = received[administrator.email]
    assert [email["Subject"].strip() for email in told] == [
        f"Waiting too long: Bradford Council has not approved {proposed.reference} after 14 days"]
    text = told[0].get_body(preferencelist=("plain",)).get_content()
    assert "/authorities/BRD/sign-off" in text
    assert "Supporting families" not in text  # administrators cannot read the agreement itself
    assert [email["Subject"].strip() for email in received[councils["BRD"].approver.email]] == [
        f"Still waiting for your approval after 7 days: {proposed.reference} version 1",
        f"Still waiting for your approval after 14 days: {proposed.reference} version 1",
    ]
    assert "The registry's administrators have been told too." in received[councils["BRD"].approver.email][1].get_body(
        preferencelist=("plain",)).get_content()


def test_the_administrators_hear_once_however_often_it_runs(app, councils, proposed, administrator, runner, mailbox):
    approve(councils, proposed, "LDS", "KIR")
    for day in (14, 14, 15, 30):
        days_after_sending(app, day)
        run(runner)

    assert len(mailbox.received()[administrator.email]) == 1


def test_a_party_that_waited_twice_as_long_unreminded_gets_only_the_escalation(app, councils, proposed, administrator, runner, mailbox):
    approve(councils, proposed, "LDS", "KIR")
    days_after_sending(app, 20)

    run(runner)

    received = mailbox.received()
    assert [email["Subject"].strip() for email in received[councils["BRD"].approver.email]] == [
        f"Still waiting for your approval after 20 days: {proposed.reference} version 1"]
    assert len(received[administrator.email]) == 1


def test_the_number_of_days_is_a_setting(app, councils, proposed, runner, mailbox):
    app.config["SIGNOFF_CHASE_AFTER_DAYS"] = 3
    days_after_sending(app, 3)

    run(runner)

    assert set(mailbox.received()) == approvers(councils, "LDS", "BRD", "KIR")


def test_a_setting_of_0_turns_the_chasers_off(app, councils, proposed, administrator, runner, mailbox):
    app.config["SIGNOFF_CHASE_AFTER_DAYS"] = 0
    days_after_sending(app, 30)

    run(runner)

    assert mailbox.received() == {}


def test_a_party_approving_stops_its_chasers(app, councils, proposed, administrator, runner, mailbox):
    days_after_sending(app, 7)
    run(runner)
    approve(councils, proposed, "BRD")
    days_after_sending(app, 14)

    run(runner)

    assert len(mailbox.received()[councils["BRD"].approver.email]) == 1


def test_each_chaser_is_recorded_and_audited_without_personal_data(app, councils, proposed, runner, smtp_server):
    approve(councils, proposed, "LDS", "BRD")
    days_after_sending(app, 7)

    run(runner)

    chase = db.session.query(Chase).one()
    assert (chase.kind, chase.authority.code, chase.sent_by_id) == ("reminder", "KIR", None)
    [entry] = audit_entries("agreement.chase")
    assert entry["actor"] == {"type": "system", "name": "scheduler"}
    assert entry["data"] == {"version": 1, "authority": "KIR", "stage": "reminder", "waiting_days": 7, "told": 2}
    assert entry["authorities"] == ["KIR", "LDS"]


def test_the_agreement_page_says_when_a_party_was_reminded(app, councils, proposed, administrator, runner, smtp_server,
                                                         signed_in_client):
    approve(councils, proposed, "LDS", "KIR")
    days_after_sending(app, 7)
    run(runner)
    days_after_sending(app, 14)
    run(runner)

    html = signed_in_client(councils["LDS"].approver).get(f"/agreements/{proposed.reference}").get_data(as_text=True)

    assert "Reminded by the registry on" in html
    assert "Administrators told on" in html


def test_the_dry_run_lists_the_chasers_due_and_sends_nothing(app, councils, proposed, runner, mailbox):
    approve(councils, proposed, "LDS", "BRD")
    days_after_sending(app, 7)

    result = send(runner, "--dry-run")

    assert f"sign-off reminder: {proposed.reference} version 1, waiting for Kirklees Council" in result.output
    assert "1 sign-off chaser would be written" in result.output
    assert mailbox.received() == {}
    assert db.session.query(Chase).count() == 0


def test_only_the_scheduled_job_sends_chasers(councils, proposed):
    with pytest.raises(PermissionDenied):
        services.send_chasers(councils["LDS"].approver, proposed.latest_version.submitted_at.date())


def test_until_authorities_have_administrators_of_their_own_the_registrys_administrators_are_everyones(councils, administrator):
    make_user(name="An auditor", system_role="auditor")

    found = queries.administrators_of([councils["BRD"].authority.id, councils["KIR"].authority.id])

    assert {authority_id: [person.email for person in people] for authority_id, people in found.items()} == {
        councils["BRD"].authority.id: [administrator.email], councils["KIR"].authority.id: [administrator.email]}
