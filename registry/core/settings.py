"""Settings that depend on the environment: the database URL and the secret key."""

import os
import secrets
from pathlib import Path

from flask import Flask

MIN_SECRET_KEY_LENGTH = 32


def complete(app: Flask) -> None:
    """Fill in the database URL and secret key, refusing to run production without its own key."""
    config = app.config
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL")
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        if config["ENV_NAME"] == "production":
            raise RuntimeError("Set DATABASE_URL: production needs PostgreSQL, e.g. postgresql+psycopg://user@host/db")
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'registry.sqlite3'}"
    config["SQLALCHEMY_DATABASE_URI"] = _with_psycopg3(config["SQLALCHEMY_DATABASE_URI"])

    for name in ("AUDIT_LOG_KEY_FILE", "AUDIT_ENTRY_KEY_FILE", "AUDIT_ORIGIN"):
        if not config.get(name) and os.environ.get(name):
            config[name] = os.environ[name]
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _secret_key_for(app)
    if config["ENV_NAME"] == "production" and len(config["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters of random data")


def _with_psycopg3(url: str) -> str:
    # Hosting platforms hand out postgres:// and postgresql:// URLs; SQLAlchemy would pick
    # psycopg2 for those, and we ship psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _secret_key_for(app: Flask) -> str:
    if app.config["ENV_NAME"] == "production":
        raise RuntimeError("Set SECRET_KEY: production refuses to start without its own secret key")
    # Development keeps a generated key in the instance folder so sessions survive restarts.
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip()
