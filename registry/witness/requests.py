"""The body of an add-checkpoint request (c2sp.org/tlog-witness): old size, proof, blank line, checkpoint.

    old <size>
    <base64 hash>            zero to 63 consistency proof lines
    <blank line>
    <signed checkpoint note>
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from .errors import BadRequest

MAX_PROOF_LINES = 63
MAX_BODY_BYTES = 64 * 1024
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,19}")


@dataclass(frozen=True)
class AddCheckpoint:
    old_size: int
    proof: tuple[bytes, ...]
    checkpoint_note: str


def parse_add_checkpoint(body: bytes) -> AddCheckpoint:
    """Read a request body, refusing (400) anything that is not exactly the protocol's shape."""
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest("the request body is too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request body is not UTF-8") from None
    head, separator, note = text.partition("\n\n")
    if not separator:
        raise BadRequest("the request has no blank line before the checkpoint")
    old_line, *proof_lines = head.split("\n")
    keyword, _, size = old_line.partition(" ")
    if keyword != "old" or not _DECIMAL.fullmatch(size):
        raise BadRequest("the first line must be `old <size>`, a decimal with no leading zeroes")
    if len(proof_lines) > MAX_PROOF_LINES:
        raise BadRequest(f"the consistency proof has more than {MAX_PROOF_LINES} lines")
    return AddCheckpoint(int(size), tuple(_hash(line) for line in proof_lines), note)


def _hash(line: str) -> bytes:
    try:
        value = base64.b64decode(line, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest(f"the proof line {line!r} is not base64") from None
    if len(value) != 32:
        raise BadRequest(f"the proof line {line!r} is not a 32-byte hash")
    return value
