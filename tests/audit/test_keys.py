"""The log's keys: private files of mode 0600, never printed; rotation adds a key and old entries still verify."""

import pytest

from registry import create_app
from registry.auditlog import checks, keys
from registry.auditlog.verifier import open_checkpoint, parse_verifier_key
from tests.cli import succeeds
from tests.factories import make_user

from .helpers import entry_bodies


@pytest.fixture
def no_key_files(app):
    """An instance folder without the keys every test is otherwise given, as on a new machine."""
    for purpose in keys.PURPOSES:
        keys.key_path(purpose).unlink()
    keys.forget_cached_keys()


def test_development_generates_private_key_files(app, no_key_files):
    make_user()
    for purpose in ("log", "entry"):
        path = keys.key_path(purpose)
        assert str(path.parent) == app.instance_path
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.read_text().startswith("PRIVATE+KEY+")


def test_key_paths_come_from_configuration(database_url, tmp_path):
    app = create_app(
        "test",
        {"SQLALCHEMY_DATABASE_URI": database_url, "AUDIT_LOG_KEY_FILE": str(tmp_path / "elsewhere" / "log.key")},
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        assert keys.key_path("log") == tmp_path / "elsewhere" / "log.key"


def test_production_refuses_to_sign_without_its_key_files(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=str(tmp_path))
    with app.app_context(), pytest.raises(keys.KeyProblem, match="AUDIT_LOG_KEY_FILE"):
        keys.signer("log")
    assert not (tmp_path / "audit-log.key").exists()


def test_private_keys_are_never_printed(app, runner):
    make_user()
    secrets = [keys.key_path(p).read_text().strip().split("+", 4)[4] for p in ("log", "entry")]
    outputs = "".join(
        runner.invoke(args=args).output
        for args in (["audit", "keys"], ["audit", "checkpoint"], ["audit", "rotate-key"], ["audit", "verify"])
    )
    assert not any(secret in outputs for secret in secrets)


def test_rotating_keys_records_it_and_everything_still_verifies(app, runner, client):
    make_user()
    old_log_key = keys.signer("log").verifier_key
    old_checkpoint = client.get("/audit/checkpoint").get_data(as_text=True)

    succeeds(runner, "audit", "rotate-key")
    make_user()

    assert keys.signer("log").verifier_key != old_log_key
    published = client.get("/audit/keys").get_data(as_text=True).splitlines()
    assert published[0] == keys.signer("log").verifier_key
    assert old_log_key in published
    rotations = [body for body in entry_bodies() if body["action"] == "audit.rotate_key"]
    assert [r["data"]["purpose"] for r in rotations] == ["log", "entry"]
    assert rotations[0]["data"]["verifier_key"] == keys.signer("log").verifier_key
    # The checkpoint signed before the rotation still opens with the old key, and the log extends it.
    assert open_checkpoint(old_checkpoint, [parse_verifier_key(old_log_key)]).size == 1
    report = checks.verify_database(old_checkpoint=old_checkpoint)
    assert report.ok, report.summary()


def test_a_failed_rotation_leaves_no_new_key(app, runner, monkeypatch):
    make_user()
    from registry.audit import services

    def refuse(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "record", refuse)
    result = runner.invoke(args=["audit", "rotate-key", "--purpose", "log"])
    assert result.exit_code != 0
    assert len([k for k in keys.published_keys() if k.purpose == "log"]) == 1
    assert not list(keys.key_path("log").parent.glob("*.pending-*"))


def test_init_keys_creates_missing_key_files_and_prints_only_public_keys(app, runner, no_key_files):
    output = succeeds(runner, "audit", "init-keys")
    assert "log key" in output and "(created)" in output
    for purpose in ("log", "entry"):
        secret = keys.key_path(purpose).read_text().strip().split("+", 4)[4]
        assert secret not in output
        assert keys.signer(purpose).verifier_key in output
    again = runner.invoke(args=["audit", "init-keys"])
    assert "(already there)" in again.output and "(created)" not in again.output
