"""The HTTP cases of litewitness (github.com/FiloSottile/torchwood, cmd/litewitness/testdata/litewitness.txt),
ported as tests of ours: the same requests, in the same order, against one witness.

The requests (a Sigsum log's checkpoints, signatures and proofs) are litewitness's test data, kept as
they are in data/litewitness-add-checkpoint.hurl. One answer differs, on purpose: litewitness answers a
checkpoint from an unknown log with 403, where the current c2sp.org/tlog-witness says 404 ("If the
checkpoint origin is unknown, the witness MUST respond with a \"404 Not Found\""), which is what ours does.
"""

import hashlib
import re
from pathlib import Path

import pytest
from werkzeug.test import Client

from registry.auditlog.verifier import format_verifier_key, parse_verifier_key
from registry.witness.app import WitnessApp
from registry.witness.cosignature import generate_cosigner
from registry.witness.state import WitnessState
from registry.witness.witnessing import Witness

# witnessctl add-sigsum-log -key=ffdc2d4d…: a Sigsum log's origin is sigsum.org/v1/tree/<hex SHA-256 of its key>.
LOG_PUBLIC_KEY = bytes.fromhex("ffdc2d4d98e4124d3feaf788c0c2f9abfd796083d1f0495437f302ec79cf100f")
ORIGIN = "sigsum.org/v1/tree/" + hashlib.sha256(LOG_PUBLIC_KEY).hexdigest()
# Where we answer as the current specification says and litewitness does not: (its status, its words) -> ours.
CURRENT_TEXT = {(403, "unknown log"): (404, "does not watch")}


def read_cases(path: Path) -> list[tuple[str, int, str, bool]]:
    """Return each request of the hurl file: (body, status, expected text, whether the body must equal it)."""
    cases = []
    for block in path.read_text(encoding="utf-8").split("POST http://localhost:7380/add-checkpoint\n")[1:]:
        body = block.split("```\n")[1]
        status = int(re.search(r"^HTTP (\d+)$", block, re.M).group(1))
        contains = re.search(r'^body contains "(.*)"$', block, re.M)
        if contains:
            status, expected = CURRENT_TEXT.get((status, contains.group(1)), (status, contains.group(1)))
            cases.append((body, status, expected, False))
        else:
            equals = re.search(r'^body == "(.*)"$', block, re.M).group(1).replace("\\n", "\n")
            cases.append((body, status, equals, True))
    return cases


CASES = read_cases(Path(__file__).with_name("data") / "litewitness-add-checkpoint.hurl")


def a_witness(folder) -> Client:
    log_key = parse_verifier_key(format_verifier_key(ORIGIN, LOG_PUBLIC_KEY))
    state = WitnessState(folder / "witness.sqlite3")
    return Client(WitnessApp(Witness(generate_cosigner("example.com/witness"), {ORIGIN: [log_key]}, state))), state


def test_the_cases_are_all_read_and_use_the_origin_of_the_log_key():
    assert len(CASES) == 9
    assert ORIGIN == "sigsum.org/v1/tree/4d6d8825a6bb689d459628312889dfbb0bcd41b5211d9e1ce768b0ff0309e562"
    assert [status for _, status, _, _ in CASES] == [200, 403, 404, 422, 422, 200, 409, 200, 409]


@pytest.mark.parametrize("step", range(len(CASES)))
def test_litewitness_case(tmp_path, step):
    """Each case on a new witness that has first been sent the cases before it (they build on one
    another, as in the hurl file), so that each test stands alone wherever the runner puts it."""
    client, state = a_witness(tmp_path)
    try:
        for earlier, (body, status, _, _) in enumerate(CASES[:step]):
            assert client.post("/add-checkpoint", data=body.encode()).status_code == status, f"case {earlier}, sent first"
        body, status, expected, whole = CASES[step]
        response = client.post("/add-checkpoint", data=body.encode())
        assert response.status_code == status, response.text
        assert response.text == expected if whole else expected in response.text
    finally:
        state.close()
