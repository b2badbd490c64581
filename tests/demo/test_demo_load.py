"""`flask demo load` creates the demo sign-ins once, and never in production."""

import sqlalchemy as sa

from registry.demo.data import DEMO_PASSWORD, DEMO_USERS
from registry.extensions import db
from registry.users.models import User
from tests.conftest import sign_in


def _reference_data(runner):
    assert runner.invoke(args=["authorities", "import"]).exit_code == 0
    assert runner.invoke(args=["legal", "import"]).exit_code == 0


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
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == len(DEMO_USERS)


def test_the_demo_approver_can_sign_in_with_the_printed_password(runner, client):
    _reference_data(runner)
    runner.invoke(args=["demo", "load"])
    assert "Leeds City Council" in _dashboard_of(client, "approver@leeds.example.org")


def test_demo_needs_the_councils_first(runner):
    runner.invoke(args=["legal", "import"])
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "run `flask authorities import` first" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_demo_needs_the_legal_vocabulary_first(runner):
    runner.invoke(args=["authorities", "import"])
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "run `flask legal import` first" in result.output


def test_the_demo_agreement_waits_for_the_approvers(runner, client):
    _reference_data(runner)
    runner.invoke(args=["demo", "load"])
    assert "Supporting Families: early help across West Yorkshire" in _dashboard_of(client, "approver@bradford.example.org")


def test_a_fresh_install_has_a_log_that_verifies(runner):
    from registry.auditlog import checks

    _reference_data(runner)
    runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])
    assert "Demo agreement: already there" in second.output
    report = checks.verify_database()
    assert report.ok, report.summary()


def test_the_demo_has_an_agreement_in_force_with_an_overdue_obligation(runner, client):
    _reference_data(runner)
    first = runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])
    assert "Demo agreement in force: started, with an obligation overdue" in first.output
    assert "Demo agreement in force: already there" in second.output
    dashboard = _dashboard_of(client, "viewer@leeds.example.org")
    overdue = dashboard.split("Overdue to us")[1].split("Ours to attest")[0]
    assert "Security standard" in overdue and "Overdue" in overdue
    assert "<svg" in dashboard
