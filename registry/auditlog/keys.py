"""The log's signing keys: loaded from files named in configuration, generated in development.

Two Ed25519 keys, one per purpose: the log key signs checkpoints (its name is the log's
origin, as C2SP signed notes require) and the entry key signs each entry's bytes. Private
keys live only in their files (mode 0600) and are never printed or logged; the public
halves are published in the audit_keys table, old ones included, so that everything ever
signed still verifies after a rotation.
"""

import os
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from registry.extensions import db

from . import tlog
from .models import AuditKey, AuditLogHead
from .verifier import ENTRY_KEY_SUFFIX

PURPOSES = ("log", "entry")


class KeyProblem(RuntimeError):
    """A signing key is missing, unreadable or not published; the log cannot be appended to."""


def origin() -> str:
    """Return the log's origin: a schema-less URL naming this log, also the log key's name."""
    return current_app.config.get("AUDIT_ORIGIN") or f"{current_app.config['SERVICE_HOST']}/audit"


def key_name(purpose: str) -> str:
    """Return the name a key of this purpose carries."""
    return origin() if purpose == "log" else origin() + ENTRY_KEY_SUFFIX


def key_path(purpose: str) -> Path:
    """Return the file the private key of this purpose is kept in."""
    configured = current_app.config.get(f"AUDIT_{purpose.upper()}_KEY_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / f"audit-{purpose}.key"


def write_private_key(path: Path, signer_key: str) -> None:
    """Write a private key file readable only by its owner, refusing to overwrite one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(signer_key + "\n")


@dataclass(frozen=True)
class _Cached:
    mtime_ns: int
    checked_at: float
    signer: tlog.Signer


_cache: dict[tuple[str, str], _Cached] = {}
# How long a loaded key is used before its file is looked at again: other processes see a
# rotation within this time, and an append does not pay for a file system call.
RECHECK_SECONDS = 1.0


def create_missing_key_files() -> list[str]:
    """Generate the key file of each purpose that has none; return the purposes created."""
    created = []
    for purpose in PURPOSES:
        path = key_path(purpose)
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        signer_key, _ = tlog.generate_signer_key(key_name(purpose))
        write_private_key(path, signer_key)
        created.append(purpose)
    return created


def signer(purpose: str) -> tlog.Signer:
    """Return the current signer of this purpose, reading its file again only when it changed."""
    cache_key = (current_app.config.get(f"AUDIT_{purpose.upper()}_KEY_FILE") or current_app.instance_path, purpose)
    cached = _cache.get(cache_key)
    if cached is not None and time.monotonic() - cached.checked_at < RECHECK_SECONDS:
        return cached.signer
    path = key_path(purpose)
    if not path.exists():
        if current_app.config["ENV_NAME"] == "production":
            raise KeyProblem(f"The audit {purpose} key file {path} is missing: set AUDIT_{purpose.upper()}_KEY_FILE.")
        signer_key, _ = tlog.generate_signer_key(key_name(purpose))
        try:
            write_private_key(path, signer_key)
        except FileExistsError:
            pass  # another process made it first; use theirs
    mtime = path.stat().st_mtime_ns
    if cached is None or cached.mtime_ns != mtime:
        try:
            loaded = tlog.parse_signer_key(path.read_text().strip())
        except ValueError as error:
            raise KeyProblem(f"The audit {purpose} key file {path} is not a valid signer key: {error}") from None
        if loaded.name != key_name(purpose):
            raise KeyProblem(f"The audit {purpose} key in {path} is named {loaded.name}, not {key_name(purpose)}.")
    else:
        loaded = cached.signer
    _cache[cache_key] = _Cached(mtime, time.monotonic(), loaded)
    return loaded


# Keys already found published, per database engine (a process may use several, as tests do).
_published: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()


def ensure_published(purpose: str, key: tlog.Signer) -> None:
    """Publish the key if no key of its purpose is published yet; refuse an unpublished replacement.

    A key file swapped by hand, outside `flask audit rotate-key`, would sign entries that
    nobody was told to trust: refuse it rather than publish it silently.
    """
    known = _published.setdefault(db.engine, set())
    if key.verifier_key in known:
        return
    keys = _published_of(purpose)
    if not keys:
        # The very first key: processes starting together would race to publish it, so
        # queue behind the log head's lock (as appends do) and look again.
        head = AuditLogHead.__table__
        db.session.execute(sa.update(head).where(head.c.id == 1).values(size=head.c.size))
        keys = _published_of(purpose)
    if key.verifier_key not in keys:
        if keys:
            raise KeyProblem(
                f"The audit {purpose} key is not the published one: use `flask audit rotate-key` to change keys."
            )
        publish(purpose, key)
    known.add(key.verifier_key)


def _published_of(purpose: str) -> list[str]:
    return list(db.session.scalars(sa.select(AuditKey.verifier_key).where(AuditKey.purpose == purpose)))


def publish(purpose: str, key: tlog.Signer) -> None:
    """Add a key's verifier key to the published keys."""
    db.session.add(AuditKey(purpose=purpose, key_id=key.key_id.hex(), verifier_key=key.verifier_key))
    db.session.flush()


def published_keys() -> list[AuditKey]:
    """Return every published key: the current log key first, then other log keys, then entry keys."""
    keys = list(db.session.scalars(sa.select(AuditKey).order_by(AuditKey.id)))
    log_keys = [k for k in keys if k.purpose == "log"][::-1]
    entry_keys = [k for k in keys if k.purpose == "entry"][::-1]
    return log_keys + entry_keys


def forget_cached_keys() -> None:
    """Forget cached keys and publication checks (after a rotation, and between tests)."""
    _cache.clear()
    _published.clear()


def generate_pending_key(purpose: str) -> tuple[tlog.Signer, Path]:
    """Generate a new key into a file beside the current one; it takes over once installed."""
    signer_key, _ = tlog.generate_signer_key(key_name(purpose))
    new_signer = tlog.parse_signer_key(signer_key)
    pending = key_path(purpose).with_name(key_path(purpose).name + f".pending-{new_signer.key_id.hex()}")
    write_private_key(pending, signer_key)
    return new_signer, pending


def install_pending_key(purpose: str, pending: Path, previous_key_id: str) -> Path:
    """Make a pending key current, keeping the previous key's file beside it; return that file."""
    path = key_path(purpose)
    retired = path.with_name(path.name + f".retired-{previous_key_id}")
    os.link(path, retired)
    os.replace(pending, path)
    forget_cached_keys()
    return retired
