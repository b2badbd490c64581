"""The registry asks its witnesses: cosigned checkpoints served, a witness down, a 409, receipts, bundles, a rollback.

Two real witnesses (registry/witness) run on 127.0.0.1 in this process, each with its own key
and state file, under a 2-of-2 policy written where the registry reads it.
"""

import subprocess
import sys

import pytest
import sqlalchemy as sa

from registry.auditlog import cosigning, export, queries, tlog
from registry.auditlog import recording as services
from registry.auditlog.models import AuditEntry, AuditHash, AuditLogHead, AuditWitness
from registry.auditlog.verifier import (
    check_quorum,
    parse_checkpoint,
    parse_note,
    parse_policy,
    parse_receipt,
    verify_receipt,
)
from registry.extensions import db
from registry.users.actors import COMMAND_LINE
from tests.factories import make_user

from .helpers import append_only_triggers_off
from .witnesses import NAMES, running_witnesses


@pytest.fixture
def witnesses(app, tmp_path):
    """Two witnesses watching the registry's log, served on free ports, and the policy naming both (2 of 2)."""
    with running_witnesses(app, tmp_path, NAMES) as served:
        yield served


def _changes(count: int) -> int:
    """Record count changes and commit them; return the log's size."""
    for n in range(count):
        services.record(COMMAND_LINE, "test.change", "thing", n, {"n": n})
    db.session.commit()
    return queries.log_size()


def _served(client) -> tuple[str, int]:
    checkpoint = client.get("/audit/checkpoint").get_data(as_text=True)
    return checkpoint, parse_checkpoint(parse_note(checkpoint).text).size


def _published_policy(client):
    return parse_policy(client.get("/audit/policy").get_data(as_text=True))


def _state(name: str) -> AuditWitness:
    db.session.expire_all()
    return db.session.get(AuditWitness, name)


def test_after_a_round_the_checkpoint_carries_both_cosignatures_that_verify_against_the_policy(witnesses, client):
    make_user(email="someone@example.org")  # a change the log records
    size = queries.log_size()

    report = cosigning.ask_witnesses()

    assert sorted(report.cosigned) == sorted(NAMES) and report.problems == {}
    checkpoint, served_size = _served(client)
    assert served_size == size
    assert sorted(check_quorum(checkpoint, _published_policy(client))) == sorted(NAMES)
    assert all(_state(name).size == size for name in NAMES)


def test_before_any_round_the_served_checkpoint_does_not_meet_the_quorum(witnesses, client):
    _changes(3)
    checkpoint, _ = _served(client)
    with pytest.raises(Exception, match="no cosignature from leeds-witness, bradford-witness"):
        check_quorum(checkpoint, _published_policy(client))


def test_a_witness_down_is_reported_and_the_checkpoint_stays_on_the_last_size_the_quorum_cosigned(witnesses, client):
    cosigned_size = _changes(5)
    cosigning.ask_witnesses()
    witnesses["bradford-witness"].stop()

    later_size = _changes(5)  # the registry keeps working
    report = cosigning.ask_witnesses()

    assert report.cosigned == ["leeds-witness"]
    assert "could not be reached" in report.problems["bradford-witness"]
    assert "could not be reached" in _state("bradford-witness").last_problem
    assert _state("leeds-witness").size == later_size
    checkpoint, served_size = _served(client)
    assert served_size == cosigned_size
    assert sorted(check_quorum(checkpoint, _published_policy(client))) == sorted(NAMES)


def test_a_witness_that_answers_409_is_asked_again_from_the_size_it_holds(witnesses, client):
    _changes(5)
    cosigning.ask_witnesses()
    # The registry forgets what the witnesses hold (a restored backup, say): each will answer 409.
    db.session.execute(sa.update(AuditWitness).values(size=0))
    db.session.commit()
    size = _changes(7)

    report = cosigning.ask_witnesses()

    assert sorted(report.cosigned) == sorted(NAMES) and report.problems == {}
    assert all(_state(name).size == size for name in NAMES)
    assert _served(client)[1] == size


def test_a_receipt_proves_inclusion_in_a_cosigned_checkpoint(app, witnesses, client, signed_in_client):
    reader = make_user(email="reader@example.org")
    size = _changes(4)
    cosigning.ask_witnesses()
    _changes(2)  # not cosigned yet: receipts stay on the cosigned checkpoint

    text = signed_in_client(reader).get("/audit/entries/2/receipt").get_data(as_text=True)

    receipt = parse_receipt(text)
    log_keys = list(_published_policy(client).logs)
    assert verify_receipt(text, db.session.get(AuditEntry, 2).entry, log_keys).size == size
    assert sorted(check_quorum(receipt.checkpoint, _published_policy(client))) == sorted(NAMES)


def _verify(bundle, *args):
    # The bundle's own verify.py in a clean interpreter, as an auditor runs it.
    return subprocess.run(
        [sys.executable, "-I", str(bundle / "verify.py"), str(bundle), *args],
        capture_output=True, text=True, timeout=120, cwd=bundle.parent,
    )


@pytest.fixture
def fetch_policy(client, tmp_path):
    """Return a function that saves /audit/policy as an auditor fetches it (the log key is published with the first entry)."""

    def fetch():
        path = tmp_path / "policy-fetched.txt"
        path.write_text(client.get("/audit/policy").get_data(as_text=True))
        return path

    return fetch


def test_an_exported_bundle_verifies_with_the_policy(witnesses, fetch_policy, tmp_path):
    size = _changes(6)
    cosigning.ask_witnesses()
    export.export_bundle(tmp_path / "bundle")

    result = _verify(tmp_path / "bundle", "--policy", str(fetch_policy()))

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"tree size:         {size}" in result.stdout
    assert "cosigned by:       bradford-witness, leeds-witness" in result.stdout


def test_flask_audit_verify_with_the_policy_passes_once_the_witnesses_cosigned(witnesses, fetch_policy, runner):
    _changes(6)
    cosigning.ask_witnesses()

    result = runner.invoke(args=["audit", "verify", "--policy", str(fetch_policy())])

    assert result.exit_code == 0, result.output
    assert "cosigned by:       bradford-witness, leeds-witness" in result.output


# The rollback that a verifier without a kept checkpoint could not see: drop the last entries
# and lower the head. The witnesses hold the larger tree and refuse the smaller one.

SIZE, KEPT = 40, 30


@pytest.fixture
def rolled_back(witnesses):
    """A 40-entry log both witnesses cosigned, then cut back to its first 30 entries by someone with the database."""
    _changes(SIZE)
    assert sorted(cosigning.ask_witnesses().cosigned) == sorted(NAMES)
    with append_only_triggers_off() as connection:
        connection.execute(sa.delete(AuditEntry.__table__).where(AuditEntry.__table__.c.index >= KEPT))
        connection.execute(sa.delete(AuditHash.__table__).where(AuditHash.__table__.c.index >= tlog.stored_hash_count(KEPT)))
        connection.execute(sa.update(AuditLogHead.__table__).values(size=KEPT))
    assert queries.log_size() == KEPT


def test_witnesses_refuse_to_cosign_a_rolled_back_log(rolled_back):
    report = cosigning.ask_witnesses()

    assert report.cosigned == []
    assert set(report.problems) == set(NAMES)
    assert all(f"holds a checkpoint of size {SIZE}, larger than the log's {KEPT}" in p for p in report.problems.values())


def test_a_rolled_back_bundle_is_refused_with_the_policy_naming_the_missing_witnesses(rolled_back, fetch_policy, tmp_path):
    cosigning.ask_witnesses()
    export.export_bundle(tmp_path / "bundle")

    result = _verify(tmp_path / "bundle", "--policy", str(fetch_policy()))

    assert result.returncode == 1
    assert f"tree size:         {KEPT}" in result.stdout
    assert "not cosigned as the policy requires (quorum both): no cosignature from leeds-witness, bradford-witness" in result.stdout


def test_flask_audit_verify_with_the_policy_refuses_a_rolled_back_log(rolled_back, fetch_policy, runner):
    result = runner.invoke(args=["audit", "verify", "--policy", str(fetch_policy())])

    assert result.exit_code == 1
    assert "no cosignature from leeds-witness, bradford-witness" in result.output


# What people see: each witness on the audit page, and a warning on administrators' dashboards.


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def auditor(signed_in_client):
    return signed_in_client(make_user(system_role="auditor", email="auditor@example.org"))


def test_the_audit_page_shows_each_witness_and_that_the_quorum_is_met(witnesses, auditor):
    size = _changes(3)
    cosigning.ask_witnesses()

    html = _page(auditor, "/audit")

    for name in NAMES:
        assert name in html and witnesses[name].url in html
    assert f'<td class="govuk-table__cell govuk-table__cell--numeric">{size}</td>' in html
    assert "Quorum met" in html and "Quorum not met" not in html


def test_the_audit_page_says_a_witness_is_down_and_the_quorum_not_met(witnesses, auditor):
    cosigned_size = _changes(3)
    cosigning.ask_witnesses()
    witnesses["bradford-witness"].stop()
    _changes(2)
    cosigning.ask_witnesses()

    html = _page(auditor, "/audit")

    assert "Quorum not met" in html
    assert f"the latest that is has {cosigned_size} entries" in html
    assert "it could not be reached" in html


def test_the_audit_page_has_no_witnesses_section_without_witnesses(app, auditor):
    _changes(1)
    assert 'id="witnesses"' not in _page(auditor, "/audit")


def test_administrators_are_warned_when_changes_wait_too_long_for_the_quorum(app, witnesses, signed_in_client, admin):
    app.config["AUDIT_QUORUM_WARNING_MINUTES"] = 0
    _changes(2)  # and no round since

    html = _page(signed_in_client(admin), "/dashboard")

    assert 'id="quorum-warning"' in html
    assert "leeds-witness: has never cosigned" in html


def test_administrators_are_not_warned_before_the_time_is_up(app, witnesses, signed_in_client, admin):
    app.config["AUDIT_QUORUM_WARNING_MINUTES"] = 30
    _changes(2)
    assert 'id="quorum-warning"' not in _page(signed_in_client(admin), "/dashboard")


def test_administrators_are_not_warned_once_the_quorum_cosigned_the_latest_checkpoint(app, witnesses, signed_in_client, admin):
    app.config["AUDIT_QUORUM_WARNING_MINUTES"] = 0
    admin_client = signed_in_client(admin)
    _changes(2)
    cosigning.ask_witnesses()
    assert 'id="quorum-warning"' not in _page(admin_client, "/dashboard")


def test_only_administrators_are_warned(app, witnesses, signed_in_client):
    app.config["AUDIT_QUORUM_WARNING_MINUTES"] = 0
    _changes(2)
    assert 'id="quorum-warning"' not in _page(signed_in_client(make_user(email="member@example.org")), "/dashboard")


def test_administrators_are_not_warned_without_witnesses(app, signed_in_client, admin):
    app.config["AUDIT_QUORUM_WARNING_MINUTES"] = 0
    _changes(2)
    assert 'id="quorum-warning"' not in _page(signed_in_client(admin), "/dashboard")
