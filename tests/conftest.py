"""Fixtures for every test: an app on a fresh, migrated database; clients; sign-in and API helpers.

The app is built once per worker, and its database (built once by the real migrations)
is put back to the migrated template before each test (tests/databases.py). Set
TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
whole suite on PostgreSQL.
"""

import contextlib
import contextvars
import os
import re
import shutil
import socket
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from jinja2 import FileSystemBytecodeCache

from registry import create_app
from registry.auditlog import appending, keys
from registry.extensions import db

from .databases import database_for
from .factories import TEST_PASSWORD, make_api_token, make_user
from . import shared_data
from .html_checks import assert_no_duplicate_ids

# The copied standalone verifier (tests/standalone.py), for the audit and record tests alike.
pytest_plugins = ("tests.standalone",)

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """Build this worker's database by migration; yield it with a snapshot of it as migrated."""
    found = database_for(TEST_DATABASE_URL, tmp_path_factory.mktemp("database"))
    found.migrated = found.snapshot()
    yield found
    found.close()


@pytest.fixture
def database_url(database, _shared_app):
    """Return the URL of this worker's database, put back to just migrated for this test."""
    shared, _ = _shared_app
    with shared.app_context():
        # The app's pooled connections stay open: nothing holds a transaction open across the restore.
        db.session.remove()
    database.restore(database.migrated)
    return database.url


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


def _no_waiting_for_the_disk(engine) -> None:
    """Let a test database skip waiting for the disk at each commit: a crash loses nothing a test needs."""
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL: .ci/run starts a throwaway cluster with fsync off

    @sa.event.listens_for(engine, "connect")
    def _synchronous_off(dbapi_connection, connection_record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.close()


@pytest.fixture(scope="session")
def _shared_app(database, tmp_path_factory):
    """Build the app once per worker: building one costs more than most tests."""
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database.url}, instance_path=str(tmp_path_factory.mktemp("instance")))
    app.test_client_class = IsolatedClient
    # Compiled templates are shared by every worker and every run.
    cache = tmp_path_factory.getbasetemp().parent / "jinja-bytecode"
    cache.mkdir(exist_ok=True)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    with app.app_context():
        _no_waiting_for_the_disk(db.engine)
        # The worker's audit log keys, made once; each test starts from a copy of them.
        for purpose in keys.PURPOSES:
            keys.signer(purpose)  # generates the key file in development and tests
        app.config["TEST_KEY_FILES"] = [keys.key_path(purpose) for purpose in keys.PURPOSES]
    # So that tests/shared_data.py can keep and put back snapshots of it.
    app.config["TEST_DATABASE"] = database
    # A folder of this run's, shared by its worker processes (tests/demo/crawl.py keeps the demo walks there).
    run_folder = tmp_path_factory.getbasetemp()
    app.config["TEST_RUN_FOLDER"] = str(run_folder.parent if os.environ.get("PYTEST_XDIST_WORKER") else run_folder)
    pristine = dict(app.config)
    yield app, pristine
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_shared_app, database_url, tmp_path):
    """Return the app on a fresh database, with an application context for the test's own queries.

    The app is built once per worker; each test gets the configuration it was built with,
    and no cache carried over from the test before.
    """
    shared, pristine = _shared_app
    shared.config.clear()
    shared.config.update(pristine)
    # A fresh instance folder holding copies of the worker's keys: a test may rotate its own,
    # and data kept from one test for the next (tests/shared_data.py) is signed with the same.
    shared.instance_path = str(tmp_path / "instance")
    os.makedirs(shared.instance_path)
    for key_file in pristine["TEST_KEY_FILES"]:
        shutil.copy2(key_file, shared.instance_path)
    keys.forget_cached_keys()
    appending.forget_cached_head()
    shared_data.start_test()
    with shared.app_context():
        yield shared
        db.session.remove()


@pytest.fixture
def new_app(app):
    """Return another app on the test's database and keys, for a test that adds routes of its own.

    The shared app cannot take new routes once it has served a request.
    """
    fresh = create_app("test", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}, instance_path=app.instance_path)
    fresh.test_client_class = IsolatedClient
    yield fresh
    with fresh.app_context():
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


def sign_in_quickly(client, user):
    """Give the client a signed-in session for the user without the sign-in form (tests of the form use sign_in).

    The same server-side session the form starts, and the same cookie, without fetching
    the form, hashing a password or writing a sign-in entry to the log.
    """
    from registry.auth import sessions

    sessions.start_session(user)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    return client


@pytest.fixture
def signed_in_client(app):
    """Return a function that makes a new client with the given user signed in."""

    def make(user):
        return sign_in_quickly(app.test_client(), user)

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


def pytest_collection_modifyitems(config, items):
    """Run the browser tests first: they are the longest, and started last they keep one worker busy alone."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)
