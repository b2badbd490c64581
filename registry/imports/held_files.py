"""Uploaded registers held between the wizard's steps, in the instance folder, named by their SHA-256."""

import re
from pathlib import Path

from flask import current_app

from registry.core.errors import NotFound

from .reading import Upload

_SHA256 = re.compile(r"[0-9a-f]{64}")


def _path(sha256: str) -> Path:
    if not _SHA256.fullmatch(sha256 or ""):
        raise NotFound("There is no uploaded file to import: upload the register again.")
    return Path(current_app.instance_path) / "imports" / sha256


def keep(upload: Upload) -> None:
    """Hold the file until the import is done or dropped."""
    path = _path(upload.sha256)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(upload.data)


def held(sha256: str, file_name: str) -> Upload:
    """Return the file held under its SHA-256."""
    path = _path(sha256)
    if not path.exists():
        raise NotFound("There is no uploaded file to import: upload the register again.")
    return Upload(file_name, path.read_bytes())


def drop(sha256: str) -> None:
    """Forget the file once it is imported."""
    _path(sha256).unlink(missing_ok=True)
