"""One way to record: a signed, canonical entry, its tree hashes and a new checkpoint, in the caller's transaction."""

import json

import pytest
import rfc8785
import sqlalchemy as sa

from registry.auditlog import checks, keys, queries, tlog
from registry.auditlog import recording as services
from registry.auditlog.models import AuditHash, AuditKey
from registry.auditlog.verifier import (
    hash_leaf,
    open_checkpoint,
    parse_verifier_key,
    verify_entry_signature,
)
from registry.users.actors import COMMAND_LINE
from registry.core.unit_of_work import unit_of_work
from registry.extensions import db
from tests.factories import make_authority, make_user

from .helpers import all_entries, entry_bodies, recomputed_root, stored_hash_count


def _published(purpose):
    return [parse_verifier_key(k.verifier_key) for k in keys.published_keys() if k.purpose == purpose]


def test_a_change_and_its_entry_commit_together(app):
    council = make_authority(code="LDS")
    with unit_of_work():
        entry_index = services.record(COMMAND_LINE, "authority.update", "authority", "LDS", {"note": 1}, authorities=[council])
    assert queries.log_size() == entry_index + 1
    assert entry_bodies()[-1]["action"] == "authority.update"


def test_a_rolled_back_change_leaves_nothing_of_its_entry(app):
    make_user()  # the log now has one entry
    size, hashes = queries.log_size(), stored_hash_count()

    with pytest.raises(RuntimeError):
        with unit_of_work():
            services.record(COMMAND_LINE, "authority.update", "authority", "LDS", {"note": 1})
            raise RuntimeError("the change failed after recording")

    assert queries.log_size() == size
    assert stored_hash_count() == hashes
    assert len(all_entries()) == size


def test_entries_are_stored_as_their_exact_canonical_bytes(app):
    make_user(system_role="auditor")
    (entry,) = all_entries()
    body = json.loads(entry.entry)
    assert entry.entry == rfc8785.dumps(body)
    assert body["v"] == 1 and body["index"] == 0
    assert body["action"] == "user.create"
    assert body["actor"] == {"type": "system", "name": "command-line"}
    assert body["time"].endswith("Z")


def test_each_entry_is_signed_by_the_published_entry_key(app):
    make_user()
    (entry,) = all_entries()
    (entry_key,) = _published("entry")
    assert entry.key_id == entry_key.key_id.hex()
    verify_entry_signature(entry.entry, entry.signature, entry_key)


def test_each_entry_carries_a_checkpoint_of_the_tree_it_ends(app):
    for _ in range(5):
        make_user()
    log_keys = _published("log")
    entries = all_entries()
    for entry in entries:
        checkpoint = open_checkpoint(entry.checkpoint, log_keys)
        assert checkpoint.size == entry.index + 1
        assert checkpoint.origin == keys.origin()
    assert open_checkpoint(queries.current_checkpoint(), log_keys).root_hash == recomputed_root()


def test_stored_hashes_are_those_of_the_tree_of_the_entries(app):
    for _ in range(9):
        make_user()
    recomputed: list[bytes] = []
    for n, entry in enumerate(all_entries()):
        recomputed += tlog.stored_hashes_for_record(n, hash_leaf(entry.entry), lambda idx: [recomputed[i] for i in idx])
    stored = list(db.session.scalars(sa.select(AuditHash.hash).order_by(AuditHash.index)))
    assert stored == recomputed


def test_entries_hold_no_personal_free_text(app, signed_in_client):
    person = make_user(name="Priya Private", email="priya.private@example.org")
    from tests.conftest import post_form

    post_form(signed_in_client(person), "/account/api-tokens", {"name": "Priya's laptop script"}, from_page="/account")
    text = b"".join(entry.entry for entry in all_entries())
    assert b"Priya" not in text and b"priya" not in text
    token_entry = next(body for body in entry_bodies() if body["action"] == "api_token.create")
    assert token_entry["data"]["name_sha256"] == services.commitment("Priya's laptop script")


def test_an_entry_too_large_for_a_tile_is_refused_and_nothing_is_written(app):
    with pytest.raises(services.EntryTooLarge):
        with unit_of_work():
            services.record(COMMAND_LINE, "test.large", "thing", "1", {"blob": "x" * 70_000})
    assert queries.log_size() == 0


def test_a_key_file_swapped_by_hand_is_refused(app, tmp_path):
    make_user()
    keys.key_path("entry").unlink()
    keys.forget_cached_keys()
    with pytest.raises(keys.KeyProblem, match="rotate-key"):
        make_user()
    db.session.rollback()
    assert queries.log_size() == 1


def test_the_first_keys_are_published_with_the_first_entry(app):
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditKey)) == 0
    make_user()
    assert {k.purpose for k in keys.published_keys()} == {"log", "entry"}


def test_the_empty_log_has_a_signed_checkpoint_of_the_empty_tree(app):
    log_key = parse_verifier_key(keys.signer("log").verifier_key)
    checkpoint = open_checkpoint(queries.current_checkpoint(), [log_key])
    assert checkpoint.size == 0
    assert checkpoint.root_hash == tlog.tree_hash(0, lambda _: [])


def test_every_change_in_the_foundation_is_an_entry(app, runner, signed_in_client, admin):
    from tests.conftest import post_form, sign_in

    council = make_authority(code="LDS", name="Leeds City Council")
    person = make_user()
    client = app.test_client()
    sign_in(client, admin)  # through the form: signing in is a change the log holds
    post_form(client, f"/users/{person.id}/memberships", {"authority_code": "LDS", "role": "approver"}, from_page="/account")
    post_form(client, f"/users/{person.id}/system-role", {"system_role": "auditor"}, from_page="/account")
    post_form(client, f"/users/{person.id}/deactivate", from_page="/account")
    post_form(client, f"/users/{person.id}/reactivate", from_page="/account")
    post_form(client, "/authorities/new-partner", {"type": "FIRE", "name": "Fire Service", "code": "FIRE-WY"}, from_page="/account")
    post_form(client, "/authorities/FIRE-WY/edit", {"type": "FIRE", "name": "Fire and Rescue"}, from_page="/account")
    membership = db.session.scalar(sa.select(person.memberships[0].__class__))
    post_form(client, f"/users/{person.id}/memberships/{membership.id}/revoke", from_page="/account")
    post_form(client, "/sign-out", from_page="/account")

    actions = [body["action"] for body in entry_bodies()]
    for action in [
        "user.create", "user.sign_in", "membership.grant", "user.set_system_role", "user.deactivate",
        "user.reactivate", "authority.create", "authority.update", "membership.revoke", "user.sign_out",
    ]:
        assert action in actions
    assert council.code == "LDS"
    grant = next(body for body in entry_bodies() if body["action"] == "membership.grant")
    assert grant["authorities"] == ["LDS"]
    assert grant["actor"] == {"type": "user", "id": admin.id}


def test_entries_recorded_together_are_appended_in_order_each_with_its_own_checkpoint(app):
    make_user()  # the log does not start empty
    changes = [
        services.Change("authority.update", "authority", code, {"note": n}, authorities=[code])
        for n, code in enumerate(["LDS", "BRD", "KIR"])
    ]
    with unit_of_work():
        indexes = services.record_many(COMMAND_LINE, changes)

    assert indexes == [1, 2, 3]
    bodies = entry_bodies()[1:]
    assert [(b["index"], b["object"]["ref"], b["authorities"], b["data"]) for b in bodies] == [
        (1, "LDS", ["LDS"], {"note": 0}), (2, "BRD", ["BRD"], {"note": 1}), (3, "KIR", ["KIR"], {"note": 2}),
    ]
    log_keys = _published("log")
    assert [open_checkpoint(e.checkpoint, log_keys).size for e in all_entries()] == [1, 2, 3, 4]
    assert open_checkpoint(queries.current_checkpoint(), log_keys).root_hash == recomputed_root()
    assert checks.verify_database().ok


def test_an_entry_recorded_after_a_batch_follows_it(app):
    with unit_of_work():
        services.record_many(COMMAND_LINE, [services.Change("authority.update", "authority", "LDS")] * 2)
    with unit_of_work():
        index = services.record(COMMAND_LINE, "authority.update", "authority", "BRD")
    with unit_of_work():
        later = services.record_many(COMMAND_LINE, [services.Change("authority.update", "authority", "KIR")])

    assert (index, later) == (2, [3])
    assert stored_hash_count() == tlog.stored_hash_count(4)
    assert checks.verify_database().ok


def test_a_rolled_back_batch_leaves_nothing_of_its_entries(app):
    make_user()
    size, hashes = queries.log_size(), stored_hash_count()

    with pytest.raises(RuntimeError):
        with unit_of_work():
            services.record_many(COMMAND_LINE, [services.Change("authority.update", "authority", "LDS")] * 3)
            raise RuntimeError("the change failed after recording")

    assert (queries.log_size(), stored_hash_count(), len(all_entries())) == (size, hashes, size)
    # The head the batch left behind was never committed: the next entry takes the index it would have had.
    with unit_of_work():
        assert services.record(COMMAND_LINE, "authority.update", "authority", "LDS") == size
    assert checks.verify_database().ok


def test_recording_no_changes_writes_nothing(app):
    with unit_of_work():
        assert services.record_many(COMMAND_LINE, []) == []
    assert queries.log_size() == 0
