"""`flask demo load` makes a West Yorkshire network that looks like a working month, once, and never in production."""

import sqlalchemy as sa

from registry.agreements.models import Agreement, AgreementVersion, Flow, Party
from registry.auditlog.models import AuditEntry
from registry.authorities.models import Authority
from registry.core.clock import today
from registry.demo.agreements import AGREEMENTS
from registry.demo.data import DEMO_PASSWORD, DEMO_USERS, PARTNERS, approver_email
from registry.extensions import db
from registry.notifications.models import Notice
from registry.obligations.models import Attestation
from registry.obligations.queries import obligations_in_force
from registry.users.models import User
from tests.conftest import sign_in

NETWORK = {"LDS", "BRD", "KIR", "CLD", "WKF", "NHS-QWO", "POLICE-WYP", "CHARITY-AVFS"}


def _reference_data(runner):
    assert runner.invoke(args=["authorities", "import"]).exit_code == 0
    assert runner.invoke(args=["legal", "import"]).exit_code == 0


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _dashboard_of(client, email: str) -> str:
    """Sign in as the demo person with this email, with the printed password; return their dashboard."""
    person = db.session.scalar(sa.select(User).where(User.email == email))
    sign_in(client, person, DEMO_PASSWORD)
    return client.get("/dashboard").get_data(as_text=True)


def test_demo_users_are_created_once_and_printed(runner):
    _reference_data(runner)
    first = runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])

    assert first.exit_code == 0 and second.exit_code == 0
    assert f"{len(DEMO_USERS)} created" in first.output
    assert f"0 created, {len(DEMO_USERS)} already there" in second.output
    assert "approver@leeds.example.org" in second.output and DEMO_PASSWORD in second.output
    assert _count(User) == len(DEMO_USERS)


def test_loading_the_demo_twice_adds_nothing_the_second_time(runner):
    _reference_data(runner)
    first = runner.invoke(args=["demo", "load"])
    after_first = (_count(Authority), _count(Agreement), _count(AgreementVersion), _count(Notice), _count(AuditEntry))
    second = runner.invoke(args=["demo", "load"])

    assert f"Demo agreements: {len(AGREEMENTS)} added" in first.output
    assert f"Demo agreements: 0 added, {len(AGREEMENTS)} already there." in second.output
    assert f"Demo partner bodies: 0 added, {len(PARTNERS)} already there." in second.output
    assert "Reminders told: 0." in second.output
    assert (_count(Authority), _count(Agreement), _count(AgreementVersion), _count(Notice), _count(AuditEntry)) == after_first


def test_every_demo_body_has_an_approver_who_can_sign_in_with_the_printed_password(app, demo):
    for code in NETWORK:
        authority = db.session.scalar(sa.select(Authority).where(Authority.code == code))
        assert authority.name in _dashboard_of(app.test_client(), approver_email(code))


def test_the_partner_bodies_are_added_as_an_administrator_adds_them(demo):
    added = db.session.scalars(sa.select(AuditEntry.object_ref).where(AuditEntry.action == "authority.create")).all()
    assert {partner["code"] for partner in PARTNERS} <= set(added)


def test_demo_needs_the_councils_first(runner):
    runner.invoke(args=["legal", "import"])
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "run `flask authorities import` first" in result.output
    assert _count(User) == 0


def test_demo_needs_the_legal_vocabulary_first(runner):
    runner.invoke(args=["authorities", "import"])
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "run `flask legal import` first" in result.output


def test_the_demo_has_at_least_twelve_agreements_between_the_eight_bodies(demo):
    assert _count(Agreement) >= 12
    parties = db.session.scalars(sa.select(Authority.code).join(Party, Party.authority_id == Authority.id).distinct()).all()
    assert set(parties) == NETWORK


def test_the_demo_has_an_agreement_in_every_status(demo):
    statuses = set(db.session.scalars(sa.select(Agreement.status)))
    assert statuses >= {"draft", "proposed", "approved", "active", "under_review", "suspended", "terminated", "expired"}


def test_one_demo_draft_is_back_with_its_lead_because_changes_were_requested(demo):
    sent_back = db.session.scalar(sa.select(AgreementVersion).where(AgreementVersion.state == "changes_requested"))
    assert sent_back.agreement.status == "draft"
    assert "retention" in sent_back.agreement.events[-1].reason


def test_one_demo_proposal_is_approved_by_some_parties_but_not_all(demo):
    proposed = db.session.scalars(sa.select(Agreement).where(Agreement.status == "proposed")).all()
    partly = [a for a in proposed if 0 < len(a.latest_version.approvals) < len(a.latest_version.parties)]
    assert partly


def test_the_demo_shares_special_category_and_criminal_offence_data(demo):
    flows = db.session.scalars(sa.select(Flow)).all()
    assert any(flow.has_special_category_data for flow in flows)
    assert any(flow.has_criminal_offence_data for flow in flows)


def test_demo_obligations_are_met_not_met_and_overdue(demo):
    attested = set(db.session.scalars(sa.select(Attestation.status)))
    standings = {due.standing for due in obligations_in_force(today())}
    assert {"met", "partly_met", "not_met"} <= attested
    assert {"overdue", "not_met", "due"} <= standings


def test_the_demo_has_told_people_the_reminders_due_at_every_milestone(demo):
    keys = db.session.scalars(sa.select(Notice.key)).all()
    milestones = {key.split(":")[3] for key in keys if key.startswith(("review:", "obligation:"))}
    assert milestones == {"90", "30", "7", "overdue"}


def test_the_demo_was_made_through_the_services_so_the_log_records_each_step(demo):
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {
        "agreement.submit", "agreement.approve", "agreement.request_changes", "agreement.start", "agreement.start_review",
        "agreement.suspend", "agreement.terminate", "agreement.expire", "obligation.attest", "reminder.queue",
    } <= actions


def test_a_fresh_install_has_a_log_that_verifies(demo):
    from registry.auditlog import checks

    report = checks.verify_database()
    assert report.ok, report.summary()


def test_the_leeds_approver_has_a_proposal_waiting_for_them(client, demo):
    waiting = _dashboard_of(client, "approver@leeds.example.org").split("Waiting for my approval")[1].split("My unfinished drafts")[0]
    assert "Supporting Families: early help across West Yorkshire" in waiting


def test_leeds_sees_an_obligation_overdue_to_it(client, demo):
    dashboard = _dashboard_of(client, "viewer@leeds.example.org")
    overdue = dashboard.split("Overdue to us")[1].split("Ours to attest")[0]
    assert "Security standard" in overdue and "Overdue" in overdue
    assert "<svg" in dashboard


def test_an_agreement_in_force_has_an_amendment_waiting_for_bradford(client, demo):
    amended = db.session.scalar(sa.select(Agreement).where(Agreement.status == "active", Agreement.latest_version_id != Agreement.current_version_id))
    assert amended.latest_version.state == "proposed" and amended.current_version.number == 1
    waiting = _dashboard_of(client, "approver@bradford.example.org").split("Waiting for my approval")[1].split("My unfinished drafts")[0]
    assert amended.current_version.title in waiting
