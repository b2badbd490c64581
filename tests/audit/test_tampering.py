"""Tampering with the log is caught and named: in the live database, and in an exported bundle.

Each test acts as someone with full control of the database (the append-only triggers
switched off) or of an exported bundle, and checks that verification fails and names
the entry or the checkpoint that gave it away.
"""

import json
import subprocess
import sys

import pytest
import sqlalchemy as sa

from registry.auditlog import checks, export, queries, tlog
from registry.auditlog import recording as services
from registry.auditlog.models import AuditEntry, AuditHash, AuditLogHead
from registry.users.actors import COMMAND_LINE
from registry.extensions import db

from .helpers import append_only_triggers_off

SIZE = 40


@pytest.fixture
def log(app):
    """A log of 40 entries, committed."""
    for n in range(SIZE):
        services.record(COMMAND_LINE, "test.change", "thing", n, {"n": n})
    db.session.commit()


def _entry(index: int) -> AuditEntry:
    return db.session.get(AuditEntry, index)


def _problems() -> str:
    report = checks.verify_database()
    assert not report.ok, "tampering went unnoticed"
    return report.problems[0]


def _set(index: int, **values) -> None:
    with append_only_triggers_off() as connection:
        connection.execute(sa.update(AuditEntry.__table__).where(AuditEntry.__table__.c.index == index).values(**values))


def test_an_untouched_log_verifies(log):
    report = checks.verify_database()
    assert report.ok, report.summary()
    assert report.tree_size == SIZE


def test_one_byte_changed_in_an_entry_is_named(log):
    original = _entry(17).entry
    _set(17, entry=original.replace(b'"n":17', b'"n":71'))
    assert _problems().startswith("entry 17: signature does not verify")


def test_a_deleted_entry_is_named(log):
    with append_only_triggers_off() as connection:
        connection.execute(sa.delete(AuditEntry.__table__).where(AuditEntry.__table__.c.index == 23))
    assert _problems().startswith("entry 23: position 23 holds the entry with index 24")


def test_an_inserted_entry_is_named(log):
    forged = _entry(9)
    with append_only_triggers_off() as connection:
        table = AuditEntry.__table__
        # Make room at index 10 by moving every later entry up one, from the end down.
        for index in range(SIZE - 1, 9, -1):
            connection.execute(sa.update(table).where(table.c.index == index).values(index=index + 1))
        connection.execute(
            sa.insert(table).values(
                index=10, entry=forged.entry, key_id=forged.key_id, signature=forged.signature, checkpoint=forged.checkpoint,
                time=forged.time, action=forged.action, object_type="thing", object_ref="forged",
            )
        )
        connection.execute(sa.update(AuditLogHead.__table__).values(size=SIZE + 1))
    assert _problems().startswith("entry 10: position 10 holds the entry with index 9")


def test_two_swapped_entries_are_named(log):
    a, b = _entry(5), _entry(6)
    first = dict(entry=a.entry, signature=a.signature)
    second = dict(entry=b.entry, signature=b.signature)
    _set(5, **second)
    _set(6, **first)
    assert _problems().startswith("entry 5: position 5 holds the entry with index 6")


def test_a_truncated_log_is_named(log):
    with append_only_triggers_off() as connection:
        connection.execute(sa.delete(AuditEntry.__table__).where(AuditEntry.__table__.c.index >= 35))
    assert _problems() == "the log head says 40 entries but 35 are stored: entries from 35 are missing or extra"


def test_a_checkpoint_signed_by_another_key_is_named(log):
    impostor = tlog.parse_signer_key(tlog.generate_signer_key(queries.keys.origin())[0])
    latest = _entry(SIZE - 1)
    body = latest.checkpoint.split("\n\n")[0] + "\n"
    _set(SIZE - 1, checkpoint=tlog.sign_note(body, impostor))
    assert _problems().startswith("checkpoint: not signed by a trusted log key")


def test_a_log_rolled_back_to_an_older_size_is_caught_by_a_kept_checkpoint(log, runner, tmp_path):
    kept = tmp_path / "kept-checkpoint"
    kept.write_text(queries.current_checkpoint())
    with append_only_triggers_off() as connection:
        first_dropped_hash = tlog.stored_hash_count(30)
        connection.execute(sa.delete(AuditEntry.__table__).where(AuditEntry.__table__.c.index >= 30))
        connection.execute(sa.delete(AuditHash.__table__).where(AuditHash.__table__.c.index >= first_dropped_hash))
    # A consistent older log: it verifies on its own...
    assert checks.verify_database(check_signatures=False).problems[0].startswith("the log head")
    # ...but not against the checkpoint the council kept.
    result = runner.invoke(args=["audit", "verify", "--old-checkpoint", str(kept)])
    assert result.exit_code == 1
    assert "rolled back" in result.output or "older" in result.output


# The same attacks on an exported bundle, checked by the standalone verifier as an auditor runs it.


@pytest.fixture
def bundle(log, tmp_path):
    directory = tmp_path / "bundle"
    export.export_bundle(directory)
    return directory


def _verify(bundle_dir, *args):
    # Run the bundle's own verify.py in a clean interpreter, without the registry on the path.
    return subprocess.run(
        [sys.executable, "-I", str(bundle_dir / "verify.py"), str(bundle_dir), *args],
        capture_output=True, text=True, timeout=120, cwd=bundle_dir.parent,
    )


def _rewrite_lines(bundle_dir, change):
    path = bundle_dir / "entries.jsonl"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(change(lines)))


def test_an_exported_bundle_verifies_offline(bundle):
    result = _verify(bundle)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout


def _edit_byte(lines):
    record = json.loads(lines[12])
    record["entry"] = record["entry"].replace('"n":12', '"n":21')
    lines[12] = json.dumps(record) + "\n"
    return lines


BUNDLE_TAMPERING = {
    "one byte of an entry": (_edit_byte, "entry 12"),
    "a deleted entry": (lambda lines: lines[:20] + lines[21:], "20"),
    "an inserted entry": (lambda lines: lines[:8] + [lines[3]] + lines[8:], "8"),
    "two swapped entries": (lambda lines: lines[:4] + [lines[5], lines[4]] + lines[6:], "4"),
    "a truncated log": (lambda lines: lines[:33], "33"),
}


@pytest.mark.parametrize("attack", BUNDLE_TAMPERING)
def test_tampering_with_a_bundle_is_named(bundle, attack):
    change, named = BUNDLE_TAMPERING[attack]
    _rewrite_lines(bundle, change)
    result = _verify(bundle)
    assert result.returncode == 1
    first_problem = result.stdout.splitlines()[1]
    assert named in first_problem, result.stdout


def test_a_bundle_checkpoint_signed_by_another_key_is_refused_when_keys_are_pinned(bundle):
    impostor = tlog.parse_signer_key(tlog.generate_signer_key(queries.keys.origin())[0])
    checkpoint = (bundle / "checkpoint").read_text()
    (bundle / "checkpoint").write_text(tlog.sign_note(checkpoint.split("\n\n")[0] + "\n", impostor))
    pinned = [line for line in (bundle / "keys").read_text().splitlines()]
    result = _verify(bundle, *[arg for key in pinned for arg in ("--key", key)])
    assert result.returncode == 1
    assert "checkpoint" in result.stdout.splitlines()[1]


def test_a_bundle_rolled_back_is_refused_given_the_kept_checkpoint(log, tmp_path):
    kept = tmp_path / "kept"
    services.record(COMMAND_LINE, "test.change", "thing", "later")
    db.session.commit()
    kept.write_text(queries.current_checkpoint())
    older = tmp_path / "older"
    export.export_bundle(older)
    # Cut the export back to the first 40 entries with their own, genuine, checkpoint.
    _rewrite_lines(older, lambda lines: lines[:SIZE])
    (older / "checkpoint").write_text(queries.checkpoint_at(SIZE))
    result = _verify(older, "--old-checkpoint", str(kept))
    assert result.returncode == 1
    assert "rolled back" in result.stdout or "older" in result.stdout


@pytest.mark.parametrize("column,value", [
    ("action", "test.nothing_to_see"),
    ("actor_user_id", 42),
    ("object_type", "other"),
    ("object_ref", "99"),
])
def test_a_changed_index_column_is_named(log, column, value):
    _set(23, **{column: value})
    assert _problems() == f"entry 23: the {column} column says {value!r} but the signed entry says " + {
        "action": "'test.change'", "actor_user_id": "None", "object_type": "'thing'", "object_ref": "'23'",
    }[column]


def test_a_changed_time_column_is_named(log):
    from datetime import datetime, timezone

    _set(5, time=datetime(2020, 1, 1, tzinfo=timezone.utc))
    assert _problems().startswith("entry 5: the time column says datetime.datetime(2020, 1, 1, 0, 0, tzinfo=")


def test_an_authority_added_to_an_entry_is_named(app):
    from registry.auditlog.models import AuditEntryAuthority

    services.record(COMMAND_LINE, "test.change", "thing", 1, {}, authorities=["LDS"])
    db.session.commit()
    with append_only_triggers_off() as connection:
        connection.execute(sa.insert(AuditEntryAuthority.__table__).values(entry_index=0, authority_code="BRD"))
    assert _problems() == "entry 0: audit_entry_authorities says ['BRD', 'LDS'] but the signed entry says ['LDS']"
