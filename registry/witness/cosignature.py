"""C2SP tlog-cosignature, Ed25519 (type 0x04): the signed message, the key ID and the signature line.

The signed message is `cosignature/v1\\n`, `time <t>\\n`, then the checkpoint's note text; the
signature is the 8-byte big-endian timestamp followed by the 64-byte Ed25519 signature; the
key ID is SHA-256(name || "\\n" || 0x04 || public key)[:4]. A witness's verifier key (vkey) is
`name+<hex key ID>+base64(0x04 || public key)`.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from registry.auditlog.verifier import SIGNATURE_PREFIX, VerificationError, is_valid_key_name

COSIGNATURE_TYPE = 0x04
HEADER = "cosignature/v1\n"
SIGNATURE_SIZE = 8 + 64
MAX_TIMESTAMP = 2**63 - 1


def cosigner_key_id(name: str, public_key: bytes) -> bytes:
    """Return the key ID of an Ed25519 cosigner key: SHA-256(name || "\\n" || 0x04 || key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([COSIGNATURE_TYPE]) + public_key).digest()[:4]


def signed_message(checkpoint_text: str, timestamp: int) -> bytes:
    """Return the bytes a cosignature signs: the header, the time line and the checkpoint's text."""
    if not 0 < timestamp <= MAX_TIMESTAMP:
        raise ValueError("a cosignature's timestamp must be from 1 to 2^63 - 1")
    return f"{HEADER}time {timestamp}\n{checkpoint_text}".encode()


@dataclass(frozen=True)
class CosignerKey:
    """A witness's public key under its name, as its vkey publishes it."""

    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return cosigner_key_id(self.name, self.public_key)

    @property
    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([COSIGNATURE_TYPE]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def timestamp_of(self, checkpoint_text: str, line: str) -> int | None:
        """Return the time of this key's valid cosignature on the checkpoint in `line`, else None."""
        try:
            name, key_id, timestamp, signature = parse_cosignature_line(line)
        except VerificationError:
            return None
        if (name, key_id) != (self.name, self.key_id) or timestamp == 0:
            return None
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, signed_message(checkpoint_text, timestamp))
        except (InvalidSignature, ValueError):
            return None
        return timestamp


def parse_cosigner_vkey(text: str) -> CosignerKey:
    """Parse a witness vkey, `name+<hex key ID>+base64(0x04 || key)`, checking its key ID."""
    name, _, rest = text.strip().partition("+")
    hex_id, _, encoded = rest.partition("+")
    try:
        key = base64.b64decode(encoded, validate=True)
    except ValueError:
        raise VerificationError(f"the witness key {text!r} is not valid base64") from None
    if not is_valid_key_name(name) or len(key) != 33 or key[0] != COSIGNATURE_TYPE:
        raise VerificationError(f"{text!r} is not an Ed25519 cosignature/v1 verifier key")
    cosigner = CosignerKey(name, key[1:])
    if cosigner.key_id.hex() != hex_id.lower():
        raise VerificationError(f"the witness key {name}+{hex_id} has the wrong key ID for its public key")
    return cosigner


def parse_cosignature_line(line: str) -> tuple[str, bytes, int, bytes]:
    """Split a cosignature line into (key name, key ID, timestamp, Ed25519 signature)."""
    if not line.startswith(SIGNATURE_PREFIX):
        raise VerificationError(f"{line!r} is not a signature line")
    name, _, encoded = line[len(SIGNATURE_PREFIX):].rstrip("\n").partition(" ")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except ValueError:
        raise VerificationError(f"the signature line {line!r} is not valid base64") from None
    if len(raw) != 4 + SIGNATURE_SIZE:
        raise VerificationError(f"the signature line {line!r} is not a cosignature")
    (timestamp,) = struct.unpack(">Q", raw[4:12])
    return name, raw[:4], timestamp, raw[12:]


@dataclass(frozen=True)
class Cosigner:
    """A witness's private key: it cosigns checkpoints."""

    name: str
    private_key: Ed25519PrivateKey

    @functools.cached_property
    def public(self) -> CosignerKey:
        raw = self.private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return CosignerKey(self.name, raw)

    def cosign(self, checkpoint_text: str, timestamp: int) -> str:
        """Return the cosignature line (newline included) of the checkpoint's text at this time."""
        signature = self.private_key.sign(signed_message(checkpoint_text, timestamp))
        raw = self.public.key_id + struct.pack(">Q", timestamp) + signature
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(raw).decode()}\n"


def generate_cosigner(name: str) -> Cosigner:
    """Return a new witness key under a name."""
    if not is_valid_key_name(name):
        raise ValueError(f"{name!r} is not a valid key name (no spaces or plus signs)")
    return Cosigner(name, Ed25519PrivateKey.generate())


def format_private_key(cosigner: Cosigner) -> str:
    """Return `PRIVATE+KEY+<name>+<hex key ID>+base64(0x04 || seed)`: keep it secret."""
    seed = cosigner.private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    encoded = base64.b64encode(bytes([COSIGNATURE_TYPE]) + seed).decode()
    return f"PRIVATE+KEY+{cosigner.name}+{cosigner.public.key_id.hex()}+{encoded}"


def parse_private_key(text: str) -> Cosigner:
    """Parse a witness's private key string, checking its key ID against its public key."""
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not is_valid_key_name(parts[2]):
        raise ValueError("not a witness private key (PRIVATE+KEY+<name>+<key ID>+<key>)")
    raw = base64.b64decode(parts[4], validate=True)
    if len(raw) != 33 or raw[0] != COSIGNATURE_TYPE:
        raise ValueError("not an Ed25519 cosignature/v1 private key")
    cosigner = Cosigner(parts[2], Ed25519PrivateKey.from_private_bytes(raw[1:]))
    if cosigner.public.key_id.hex() != parts[3].lower():
        raise ValueError("the private key's key ID does not match its public key")
    return cosigner


def write_private_key(path, cosigner: Cosigner) -> None:
    """Write the key file readable by its owner only, refusing to overwrite one."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(format_private_key(cosigner) + "\n")
