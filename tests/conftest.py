"""Fixtures for every test: an app on a fresh, migrated database; clients; sign-in and API helpers.

The database is built once per run by the real migrations, then each test gets a fresh
copy: a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL. Set
TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
whole suite on PostgreSQL.
"""

import contextlib
import contextvars
import itertools
import os
import re
import shutil
import socket
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from registry import create_app
from registry.extensions import db

from .factories import TEST_PASSWORD, make_api_token, make_user
from .html_checks import assert_no_duplicate_ids

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def _is_postgres() -> bool:
    return bool(TEST_DATABASE_URL) and TEST_DATABASE_URL.startswith("postgresql")


def _migrate(url: str, instance_path) -> None:
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url}, instance_path=str(instance_path))
    with app.app_context():
        upgrade()
        db.engine.dispose()


class PostgresDatabases:
    """Makes one template database by migration, then a fresh copy of it for each test."""

    def __init__(self, url: str, instance_path) -> None:
        self.base = sa.make_url(url)
        # Unique per test process, so parallel runs on one server do not collide.
        self.prefix = f"{self.base.database}_t{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self.counter = itertools.count()
        self.admin = sa.create_engine(self.base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.template}"')
        _migrate(self.url_for(self.template), instance_path)

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text(statement))

    def url_for(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def fresh(self) -> str:
        name = f"{self.prefix}_{next(self.counter)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self.drop(self.template)
        self.admin.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Migrate an empty database to head once per test run."""
    instance_path = tmp_path_factory.mktemp("template-instance")
    if _is_postgres():
        databases = PostgresDatabases(TEST_DATABASE_URL, instance_path)
        yield databases
        databases.close()
    else:
        path = tmp_path_factory.mktemp("template") / "registry.sqlite3"
        _migrate(f"sqlite:///{path}", instance_path)
        yield path


@pytest.fixture
def database_url(database_template, tmp_path):
    """Return the URL of a fresh, migrated, empty database for this test."""
    if isinstance(database_template, PostgresDatabases):
        name = database_template.fresh()
        yield database_template.url_for(name)
        database_template.drop(name)
    else:
        path = tmp_path / "registry.sqlite3"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own application context, as in a real server.

    Flask would otherwise reuse the test's application context, and so the test's database
    session, for every request: a test could then pass on objects cached in that session
    rather than on what the request committed.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()
        # Every page any test fetches is held to this, not only the pages a test looks at.
        if response.mimetype == "text/html":
            assert_no_duplicate_ids(response.get_data(as_text=True), f"{response.request.method} {response.request.path}")
        return response


@pytest.fixture
def app(database_url, tmp_path):
    """Return the app on a fresh database, with an application context for the test's own queries."""
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=str(tmp_path / "instance"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """Return a browser-like client with no one signed in."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a runner for the app's CLI commands."""
    return app.test_cli_runner()


def csrf_token_from(html: str) -> str:
    """Return the CSRF token in a page's first form."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def post_form(client, url: str, data: dict | None = None, *, from_page: str | None = None, **kwargs):
    """Post a form the way a browser does: fetch the page for its CSRF token first."""
    page = client.get(from_page or url)
    form = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), **(data or {})}
    return client.post(url, data=form, **kwargs)


def sign_in(client, user, password: str = TEST_PASSWORD):
    """Sign the user in through the real sign-in form; return the response."""
    response = post_form(client, "/sign-in", {"email": user.email, "password": password})
    assert response.status_code == 302, f"sign-in failed with {response.status_code}"
    return response


@pytest.fixture
def signed_in_client(app):
    """Return a function that makes a new client with the given user signed in."""

    def make(user):
        new_client = app.test_client()
        sign_in(new_client, user)
        return new_client

    return make


class ApiClient:
    """Calls the JSON API with a user's bearer token."""

    def __init__(self, client, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, url, **kwargs):
        return self.client.get(url, headers=self.headers, **kwargs)

    def post(self, url, json=None, **kwargs):
        return self.client.post(url, json=json, headers=self.headers, **kwargs)

    def put(self, url, json=None, **kwargs):
        return self.client.put(url, json=json, headers=self.headers, **kwargs)

    def delete(self, url, **kwargs):
        return self.client.delete(url, headers=self.headers, **kwargs)


@pytest.fixture
def api_as(app):
    """Return a function that makes an API client acting as the given user (or nobody)."""

    def make(user=None):
        token = make_api_token(user) if user is not None else None
        return ApiClient(app.test_client(), token)

    return make


class QueryCounter:
    """Counts the SQL statements sent while it listens."""

    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


@pytest.fixture
def count_queries(app):
    """Count every SQL statement the app sends during the test (reset `.count` to start again)."""
    counter = QueryCounter()
    sa.event.listen(db.engine, "before_cursor_execute", counter)
    yield counter
    sa.event.remove(db.engine, "before_cursor_execute", counter)


@pytest.fixture
def admin(app):
    """Return an administrator."""
    return make_user(email="admin@example.org", system_role="admin")


@contextlib.contextmanager
def _running_smtp_server(app, **server_options):
    """Run an aiosmtpd server on 127.0.0.1 on a free port and point the app's mail at it, while in the block."""
    # Imported here: only the mail tests need them.
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    server = SimpleNamespace(port=None, messages=[], refused=set(), hang_up_on=set())

    class Collect:
        async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
            if address in server.refused:
                return "550 5.1.1 No such mailbox here"
            if address in server.hang_up_on:
                smtp.transport.close()  # drops the connection mid-message, as a failing server might
                return "421 4.3.0 Closing"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, smtp, session, envelope):
            server.messages.append(SimpleNamespace(
                envelope=envelope,
                email=message_from_bytes(envelope.original_content, policy=policy.default),
                encrypted=session.ssl is not None,
                login=session.auth_data.login.decode() if session.authenticated else None,
            ))
            return "250 Message accepted for delivery"

    # aiosmtpd's Controller cannot listen on port 0 (it connects to its port to check it
    # started), so take a free port from the system first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        server.port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=server.port, **server_options)
    controller.start()
    previous = {name: app.config.get(name) for name in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    try:
        yield server
    finally:
        app.config.update(previous)
        controller.stop()


@pytest.fixture
def smtp_server(app):
    """Run a real SMTP server (aiosmtpd) on 127.0.0.1 on a free port, and point the app's mail at it.

    Yields an object with `.port`, `.refused` (addresses to refuse, with 550), `.hang_up_on` (addresses
    on which it drops the connection) and `.messages`: every message received, in order, each
    with `.envelope` (its `.mail_from` and `.rcpt_tos`), `.email` (the parsed message),
    `.encrypted` (whether it came over TLS) and `.login` (who signed in, if anyone).
    """
    with _running_smtp_server(app) as server:
        yield server


SMTP_LOGIN, SMTP_PASSWORD = "registry", "smtp-password-for-tests"


@pytest.fixture
def secure_smtp_server(app, tmp_path):
    """Like smtp_server, but it insists on STARTTLS and a login, with a self-signed certificate for 127.0.0.1.

    Yields the server with `.certificate`: the path of its certificate, for a client to trust.
    """
    import ssl

    from aiosmtpd.smtp import AuthResult

    certificate, key = _self_signed_certificate(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(certificate, key)

    def check_password(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login, auth_data.password) == (SMTP_LOGIN.encode(), SMTP_PASSWORD.encode())
        # handled=False: a refusal is answered by aiosmtpd itself, with 535.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    with _running_smtp_server(app, tls_context=tls, require_starttls=True, auth_required=True,
                              authenticator=check_password) as server:
        server.certificate = certificate
        yield server


def _self_signed_certificate(folder):
    """Write a self-signed certificate and key for the address 127.0.0.1; return their paths."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test SMTP server")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ))
    return str(certificate_path), str(key_path)
