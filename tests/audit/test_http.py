"""The log over HTTP: checkpoint, keys and hash tiles for anyone; entries for auditors; receipts; proofs."""

import base64

import pytest

from registry.auditlog import keys, tlog
from registry.auditlog.verifier import (
    Tile,
    hash_leaf,
    open_checkpoint,
    parse_verifier_keys,
    tile_path,
    verify_consistency,
    verify_inclusion,
    verify_receipt,
)
from tests.factories import make_authority, make_user
from tests.shared_data import shared_fixture

from .helpers import all_entries


@shared_fixture
def log_of_300():
    """A log of 300 entries: one full tile at level 0, and a partial one (built once per worker, then put back)."""
    from registry.auditlog import recording as services
    from registry.users.actors import COMMAND_LINE
    from registry.extensions import db

    for n in range(300):
        services.record(COMMAND_LINE, "test.change", "thing", n)
    db.session.commit()


def _log_keys(client):
    return [k for k in parse_verifier_keys(client.get("/audit/keys").get_data(as_text=True)) if k.name == keys.origin()]


def test_checkpoint_is_public_signed_text(client, log_of_300):
    response = client.get("/audit/checkpoint")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    checkpoint = open_checkpoint(response.get_data(as_text=True), _log_keys(client))
    assert checkpoint.size == 300


def test_keys_list_the_current_log_key_first(client, log_of_300):
    lines = client.get("/audit/keys").get_data(as_text=True).splitlines()
    assert lines[0] == keys.signer("log").verifier_key
    assert keys.signer("entry").verifier_key in lines


def test_full_hash_tiles_are_public_and_immutable(client, log_of_300):
    response = client.get("/audit/tile/0/000")
    assert response.status_code == 200
    assert len(response.data) == 256 * 32
    assert "immutable" in response.headers["Cache-Control"]
    entries = all_entries()
    assert response.data[:32] == hash_leaf(entries[0].entry)


def test_partial_tiles_and_level_one_tiles_are_served(client, log_of_300):
    partial = client.get("/audit/tile/0/001.p/44")
    assert partial.status_code == 200 and len(partial.data) == 44 * 32
    assert "immutable" not in partial.headers["Cache-Control"]
    level_one = client.get("/audit/tile/1/000.p/1")
    assert level_one.status_code == 200
    # The level-1 tile's hash is the root of the first 256 entries.
    first_256 = [hash_leaf(e.entry) for e in all_entries()[:256]]
    from registry.auditlog.verifier import root_from_leaf_hashes

    assert level_one.data == root_from_leaf_hashes(first_256)


@pytest.mark.parametrize("path", ["/audit/tile/0/002", "/audit/tile/0/001.p/45", "/audit/tile/0/1", "/audit/tile/0/x000/000", "/audit/tile/banana"])
def test_tiles_the_log_does_not_have_are_404_json(client, log_of_300, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.is_json


def test_entry_bundles_are_for_auditors_only(app, client, log_of_300, signed_in_client, api_as):
    council = make_authority(code="LDS")
    path = "/audit/tile/entries/000"
    assert client.get(path).status_code == 401
    assert client.get(path).is_json
    assert signed_in_client(make_user(memberships={council: "approver"})).get(path).status_code == 403
    assert api_as(make_user(system_role="admin")).get(path).status_code == 403

    auditor = make_user(system_role="auditor")
    for reader in (signed_in_client(auditor), api_as(auditor)):
        response = reader.get(path)
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
    from registry.auditlog.verifier import parse_entry_bundle

    assert parse_entry_bundle(response.data) == [e.entry for e in all_entries()[:256]]


def test_an_auditor_reads_an_entry_with_its_signature(app, log_of_300, api_as):
    body = api_as(make_user(system_role="auditor")).get("/audit/entries/7").json
    entry = all_entries()[7]
    assert body["entry"].encode() == entry.entry
    assert base64.b64decode(body["signature"]) == entry.signature
    assert body["key_id"] == entry.key_id


def test_a_receipt_proves_inclusion_offline(app, log_of_300, signed_in_client, client):
    reader = signed_in_client(make_user())
    response = reader.get("/audit/entries/42/receipt")
    assert response.status_code == 200
    entry = all_entries()[42].entry
    checkpoint = verify_receipt(response.get_data(as_text=True), entry, _log_keys(client))
    assert checkpoint.size >= 300
    with pytest.raises(Exception):
        verify_receipt(response.get_data(as_text=True), entry + b" ", _log_keys(client))


def test_receipts_need_someone_signed_in(client, log_of_300):
    assert client.get("/audit/entries/1/receipt").status_code == 401


def test_unknown_entry_is_404(app, log_of_300, api_as):
    assert api_as(make_user(system_role="auditor")).get("/audit/entries/10000").status_code == 404


def test_api_inclusion_proof_verifies_against_its_checkpoint(app, client, log_of_300, api_as):
    body = api_as(make_user()).get("/api/v1/audit/proofs/inclusion", query_string={"index": 123, "size": 200}).json
    checkpoint = open_checkpoint(body["checkpoint"], _log_keys(client))
    assert checkpoint.size == body["tree_size"] == 200
    verify_inclusion(
        base64.b64decode(body["leaf_hash"]), 123, 200, [base64.b64decode(h) for h in body["proof"]], checkpoint.root_hash
    )


def test_api_consistency_proof_links_two_checkpoints(app, client, log_of_300, api_as):
    body = api_as(make_user()).get("/api/v1/audit/proofs/consistency", query_string={"old": 17, "new": 299}).json
    old = open_checkpoint(body["old_checkpoint"], _log_keys(client))
    new = open_checkpoint(body["new_checkpoint"], _log_keys(client))
    verify_consistency(17, 299, [base64.b64decode(h) for h in body["proof"]], old.root_hash, new.root_hash)


@pytest.mark.parametrize(
    "url, query, status",
    [
        ("/api/v1/audit/proofs/inclusion", {"index": 10_000}, 404),
        ("/api/v1/audit/proofs/inclusion", {"index": 5, "size": 10_000}, 422),
        ("/api/v1/audit/proofs/inclusion", {"index": "five"}, 422),
        ("/api/v1/audit/proofs/inclusion", {}, 422),
        ("/api/v1/audit/proofs/consistency", {"old": 0}, 422),
        ("/api/v1/audit/proofs/consistency", {"old": 250, "new": 100}, 422),
    ],
)
def test_bad_proof_requests_get_clear_json_errors(app, log_of_300, api_as, url, query, status):
    response = api_as(make_user()).get(url, query_string=query)
    assert response.status_code == status
    assert response.json["message"]


def test_api_checkpoint_says_what_the_note_says(app, client, log_of_300, api_as):
    body = api_as(make_user()).get("/api/v1/audit/checkpoint").json
    assert body["origin"] == keys.origin()
    assert body["size"] == 302  # the 300 changes, then the asker's account and token
    assert body["checkpoint"] == client.get("/audit/checkpoint").get_data(as_text=True)
    assert tile_path(Tile(0, 1, 45)) == "tile/0/001.p/45"
    assert tlog.format_checkpoint(body["origin"], body["size"], base64.b64decode(body["root_hash"])) in body["checkpoint"]
