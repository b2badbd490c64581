"""POST /add-checkpoint as c2sp.org/tlog-witness (its current text) says a witness answers it."""

import base64

import pytest

from registry.auditlog import tlog
from registry.auditlog.verifier import EMPTY_ROOT
from registry.witness.state import WitnessState

from .conftest import NOW
from .independent import cosignature_time, note_body
from .logs import MemoryLog, add_checkpoint_body


def cosigned_size(state_file, origin):
    state = WitnessState(state_file)
    try:
        return state.latest(origin).size
    finally:
        state.close()


def test_the_first_checkpoint_is_cosigned_from_old_size_0(post, log, cosigner):
    response = post(log.request(0))

    assert response.status_code == 200
    assert response.text.startswith("\u2014 example.org/test-witness ")
    assert cosignature_time(response.text, cosigner.name, cosigner.public.public_key, note_body(log.checkpoint())) == NOW


def test_a_consistent_larger_checkpoint_is_cosigned_and_becomes_the_latest(post, log, state_file):
    assert post(log.request(0, 3)).status_code == 200
    log.append(6)

    response = post(log.request(3))

    assert response.status_code == 200
    assert cosigned_size(state_file, log.origin) == 11


def test_an_old_size_that_is_not_the_latest_is_a_conflict_answering_the_latest_size(post, log, state_file):
    assert post(log.request(0, 3)).status_code == 200

    response = post(log.request(2, 5))

    assert response.status_code == 409
    assert response.headers["Content-Type"] == "text/x.tlog.size"
    assert response.text == "3\n"
    assert cosigned_size(state_file, log.origin) == 3


def test_a_log_that_lost_track_asks_with_old_size_0_and_learns_the_latest(post, log):
    post(log.request(0))
    response = post(log.request(0))
    assert (response.status_code, response.text) == (409, "5\n")


def test_the_same_checkpoint_again_is_cosigned_again(post, log):
    assert post(log.request(0)).status_code == 200
    assert post(log.request(5)).status_code == 200


def test_the_same_size_with_a_different_root_is_refused_as_inconsistent(post, log):
    post(log.request(0))
    other_root = bytes(32)

    response = post(add_checkpoint_body(5, [], log.checkpoint(5, root=other_root)))

    assert response.status_code == 422
    assert "different root" in response.text


def test_a_consistency_proof_that_does_not_verify_is_refused(post, log, state_file):
    post(log.request(0, 3))
    log.append(3)
    proof = log.proof(3)
    proof[0] = bytes(32)

    response = post(add_checkpoint_body(3, proof, log.checkpoint()))

    assert response.status_code == 422
    assert "consistency proof" in response.text
    assert cosigned_size(state_file, log.origin) == 3


def test_a_checkpoint_whose_log_dropped_records_cannot_be_proved_consistent(post, log):
    """The rollback a witness exists to stop: a smaller tree after a larger one."""
    post(log.request(0))
    smaller = log.checkpoint(4)
    assert post(add_checkpoint_body(5, [], smaller)).status_code == 400  # old size above the checkpoint's
    assert post(add_checkpoint_body(4, [], smaller)).status_code == 409


def test_a_proof_sent_with_old_size_0_is_refused(post, log):
    response = post(add_checkpoint_body(0, log.proof(2), log.checkpoint()))
    assert response.status_code == 422


def test_an_empty_tree_must_have_the_empty_root(post, log):
    assert log.root(0) == EMPTY_ROOT
    assert post(add_checkpoint_body(0, [], log.checkpoint(0))).status_code == 200
    not_empty = tlog.sign_note(tlog.format_checkpoint(log.origin, 0, bytes(32)), log.signer)
    response = post(add_checkpoint_body(0, [], not_empty))
    assert response.status_code == 422
    assert "empty tree" in response.text


def test_an_old_size_larger_than_the_checkpoint_is_a_bad_request(post, log):
    response = post(add_checkpoint_body(6, [], log.checkpoint()))
    assert response.status_code == 400


def test_a_log_the_witness_does_not_watch_is_not_found(post):
    stranger = MemoryLog("example.org/another-log").append(2)
    response = post(stranger.request(0))
    assert response.status_code == 404
    assert "does not watch" in response.text


def test_a_checkpoint_signed_by_an_untrusted_key_is_forbidden(post, log):
    impostor = MemoryLog(log.origin)  # same origin, its own key
    impostor.append(5)
    response = post(impostor.request(0))
    assert response.status_code == 403


def test_a_trusted_keys_signature_that_does_not_verify_is_forbidden_even_beside_a_good_one(post, log):
    good = log.checkpoint()
    text, signature_line = good.rsplit("\n\n", 1)
    name, encoded = signature_line.rstrip("\n")[2:].split(" ")
    raw = bytearray(base64.b64decode(encoded))
    raw[-1] ^= 1
    broken = f"\u2014 {name} {base64.b64encode(bytes(raw)).decode()}\n"
    response = post(add_checkpoint_body(0, [], f"{text}\n\n{broken}{signature_line}"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body, says",
    [
        (b"", "no blank line"),
        (b"old 0\n", "no blank line"),
        (b"old 01\n\nx", "old <size>"),
        (b"old -1\n\nx", "old <size>"),
        (b"new 0\n\nx", "old <size>"),
        (b"old 0\nnot base64!\n\nx", "not base64"),
        (b"old 0\nAAAA\n\nx", "32-byte"),
        (b"old 0\n" + b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n" * 64 + b"\nx", "more than 63"),
        (b"old 0\n\n\xff\xfe", "not UTF-8"),
        (b"old 0\n\nexample.org/test-log\n5\n\n", "malformed"),
    ],
)
def test_malformed_requests_are_bad_requests_saying_what_is_wrong(post, body, says):
    response = post(body)
    assert response.status_code == 400
    assert says in response.text


def test_refused_requests_change_nothing(post, log, state_file):
    post(log.request(0, 3))
    for body in (b"old 0\n", add_checkpoint_body(3, [bytes(32)], log.checkpoint()), log.request(1)):
        assert post(body).status_code in (400, 409, 422)
    assert cosigned_size(state_file, log.origin) == 3


def test_the_witness_says_who_it_is_and_only_answers_its_two_routes(witness, cosigner, log):
    from werkzeug.test import Client

    from registry.witness.app import WitnessApp

    client = Client(WitnessApp(witness))
    about = client.get("/")
    assert about.status_code == 200
    assert f"witness {cosigner.public.vkey}" in about.text and f"log {log.origin}" in about.text
    assert client.get("/add-checkpoint").status_code == 405
    assert client.post("/add-checkpoint/").status_code == 404
