"""A cosignature check written from the text of c2sp.org/tlog-cosignature alone, not from the witness's code.

    key ID    = SHA-256(<name> || "\\n" || 0x04 || 32-byte Ed25519 public key)[:4]
    line      = "— " <name> " " base64(key ID || u64 big-endian timestamp || 64-byte Ed25519 signature)
    message   = "cosignature/v1\\n" "time " <decimal timestamp> "\\n" <checkpoint note body>
"""

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def cosignature_time(line: str, name: str, public_key: bytes, checkpoint_body: str) -> int:
    """Return the cosignature's timestamp if the line is a valid cosignature by the key; raise otherwise."""
    assert line.startswith("\u2014 ") and line.endswith("\n"), line
    line_name, encoded = line[2:-1].split(" ")
    assert line_name == name
    raw = base64.b64decode(encoded, validate=True)
    assert len(raw) == 4 + 8 + 64
    assert raw[:4] == hashlib.sha256(name.encode() + b"\n\x04" + public_key).digest()[:4]
    timestamp = int.from_bytes(raw[4:12], "big")
    assert timestamp > 0
    message = b"cosignature/v1\ntime " + str(timestamp).encode() + b"\n" + checkpoint_body.encode()
    Ed25519PublicKey.from_public_bytes(public_key).verify(raw[12:], message)  # raises InvalidSignature
    return timestamp


def note_body(signed_note: str) -> str:
    """The note's text: everything before the blank line that precedes its signatures, newline included."""
    return signed_note[: signed_note.rindex("\n\n") + 1]
