"""A witness's key: it makes C2SP tlog-cosignature lines (Ed25519, type 0x04).

What a cosignature signs, its key ID and how it is checked are in the standalone verifier
(registry/auditlog/verifier.py), which auditors run; this module only signs, and keeps the key.
The private key file is `PRIVATE+KEY+<name>+<hex key ID>+base64(0x04 || seed)`.
"""

from __future__ import annotations

import base64
import functools
import os
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.auditlog.verifier import (
    COSIGNATURE_TYPE,
    SIGNATURE_PREFIX,
    WitnessKey,
    cosignature_message,
    is_valid_key_name,
    witness_key_id,
)


@dataclass(frozen=True)
class Cosigner:
    """A witness's private key under its name."""

    name: str
    private_key: Ed25519PrivateKey

    @functools.cached_property
    def public(self) -> WitnessKey:
        raw = self.private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return WitnessKey(self.name, witness_key_id(self.name, raw), raw)

    def cosign(self, checkpoint_text: str, timestamp: int) -> str:
        """Return the cosignature line (newline included) of the checkpoint's text at this time."""
        signature = self.private_key.sign(cosignature_message(checkpoint_text, timestamp))
        raw = self.public.key_id + struct.pack(">Q", timestamp) + signature
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(raw).decode()}\n"


def generate_cosigner(name: str) -> Cosigner:
    """Return a new witness key under a name."""
    if not is_valid_key_name(name):
        raise ValueError(f"{name!r} is not a valid key name (no spaces or plus signs)")
    return Cosigner(name, Ed25519PrivateKey.generate())


def format_private_key(cosigner: Cosigner) -> str:
    """Return the private key string: keep it secret."""
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
