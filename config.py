"""Configuration for each environment: development (the default), test and production."""

import os
from pathlib import Path


class Config:
    """Settings shared by every environment; each can be overridden by an environment variable."""

    ENV_NAME = "base"
    SERVICE_NAME = "Data Sharing Agreement Registry"
    # Where the registry says it lives: the audit log's origin (issue 3) and links in emails.
    SERVICE_HOST = os.environ.get("REGISTRY_HOST", "registry.example-council.gov.uk")
    # Where links in emails and calendar feeds point (registry/core/links.py).
    SERVICE_URL = os.environ.get("REGISTRY_URL") or f"https://{SERVICE_HOST}"

    # Set from DATABASE_URL when the app is created (registry/core/settings.py); SQLite in
    # the instance folder when unset outside production.
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SESSION_COOKIE_NAME = "registry_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    # A signed-in session ends after this long without a request, and after the absolute limit.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    WTF_CSRF_SSL_STRICT = True

    # Sign-in throttling (NCSC: throttle rather than lock out for good).
    SIGN_IN_MAX_FAILURES_PER_EMAIL = 5
    SIGN_IN_MAX_FAILURES_PER_ADDRESS = 50
    SIGN_IN_THROTTLE_MINUTES = 15
    # How many reverse proxies stand in front of the app (each adding to X-Forwarded-For):
    # their headers are trusted for the client's address and scheme. 0 trusts none, so
    # nobody can claim another address by sending the header themselves.
    TRUSTED_PROXIES = int(os.environ.get("REGISTRY_TRUSTED_PROXIES", "0"))

    PASSWORD_MIN_LENGTH = 12
    # An invitation's link works for this many days from when it was (last) sent; a password
    # reset link for this many minutes.
    INVITATION_VALID_DAYS = 7
    PASSWORD_RESET_VALID_MINUTES = 60
    # Requests for reset emails, per email address and per client address over the window:
    # enough for someone whose email is slow to ask again, too few to flood an inbox.
    PASSWORD_RESET_MAX_PER_EMAIL = 3
    PASSWORD_RESET_MAX_PER_ADDRESS = 20
    PASSWORD_RESET_THROTTLE_MINUTES = 60

    API_TITLE = "Data Sharing Agreement Registry API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS = {
        "info": {"description": "Data-sharing agreements between UK public authorities."},
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "A personal API token."}
            }
        },
        "security": [{"bearerAuth": []}],
    }

    PER_PAGE = 25

    # Single sign-on: the OpenID providers by name. None reads them from the OIDC_* environment
    # variables when first needed (registry/sso/providers.py); the tests set their own.
    SSO_PROVIDERS = None

    # The hour (UK time, 0-23) from which `flask notifications digest` writes each person's
    # daily digest of the notifications they chose to hear of that way.
    NOTIFICATIONS_DIGEST_HOUR = int(os.environ.get("NOTIFICATIONS_DIGEST_HOUR", "7"))

    # A party that has not approved a proposed version this many days after it was sent is
    # reminded by `flask reminders send`; after twice as many, its administrators are told too.
    SIGNOFF_CHASE_AFTER_DAYS = int(os.environ.get("SIGNOFF_CHASE_AFTER_DAYS", "7"))

    # Witnesses of the audit log (c2sp.org/tlog-witness): a tlog-policy file of `witness`,
    # `group` and `quorum` lines, each witness with its URL (relative paths are in the instance
    # folder). The registry adds its own `log` lines. Unset, or the file absent: `quorum none`.
    AUDIT_WITNESS_POLICY = os.environ.get("AUDIT_WITNESS_POLICY", "witnesses.policy")
    # At most one round of asking the witnesses every this many seconds, after changes.
    AUDIT_WITNESS_ROUND_SECONDS = float(os.environ.get("AUDIT_WITNESS_ROUND_SECONDS", "3"))
    # How long a witness may take to answer.
    AUDIT_WITNESS_TIMEOUT_SECONDS = float(os.environ.get("AUDIT_WITNESS_TIMEOUT_SECONDS", "5"))
    # Administrators are warned on their dashboard when the latest checkpoint has gone without
    # the quorum's cosignatures for longer than this.
    AUDIT_QUORUM_WARNING_MINUTES = int(os.environ.get("AUDIT_QUORUM_WARNING_MINUTES", "30"))

    # The largest request body accepted, in bytes (413 beyond it): no form or API body here
    # comes near 1 MiB, and a cap stops anyone making a worker read gigabytes.
    MAX_CONTENT_LENGTH = int(os.environ.get("REGISTRY_MAX_BODY_BYTES", str(1024 * 1024)))


class DevelopmentConfig(Config):
    """Runs on this machine with SQLite in the instance folder; cookies work over plain HTTP."""

    ENV_NAME = "development"
    # `make run` serves on 127.0.0.1:$PORT; emails and calendar feeds link there.
    SERVICE_URL = os.environ.get("REGISTRY_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
    # REGISTRY_TODAY=2027-06-01 makes the app take that day for today, to watch reviews
    # fall due and obligations go overdue; production ignores it (registry/core/clock.py).
    TODAY = os.environ.get("REGISTRY_TODAY") or None
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_SSL_STRICT = False


class TestConfig(DevelopmentConfig):
    """Used by the test suite; the database URL is set by the fixtures."""

    ENV_NAME = "test"
    TESTING = True
    # Links as production builds them, so tests see what recipients would.
    SERVICE_URL = f"https://{Config.SERVICE_HOST}"
    TODAY = None  # tests move time themselves, never from the environment
    SECRET_KEY = "test-secret-key-not-for-production"
    # Argon2 at production cost makes a suite with hundreds of sign-ins crawl; tests use
    # the same algorithm with small parameters.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    """Runs behind HTTPS on PostgreSQL; refuses to start without its own secret key."""

    ENV_NAME = "production"


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    """Return the configuration class named by `name` or by REGISTRY_ENV (default: development)."""
    name = name or os.environ.get("REGISTRY_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"REGISTRY_ENV must be one of {', '.join(CONFIGS)}; got {name!r}") from None


PROJECT_ROOT = Path(__file__).resolve().parent
