"""A local GOV.UK Notify for the outbox's tests: an HTTP server on 127.0.0.1 that answers POST /v2/notifications/email as Notify's documentation says.

It checks the JSON Web Token the client signs with the key's secret (HS256, issued by the
service id, within 30 seconds), the template and the address, and answers 201 with the
documented body, or Notify's documented errors: {"status_code": …, "errors": [{"error": …,
"message": …}]}. A test can make it answer any status for a given address.
"""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import jwt
import pytest

SERVICE_ID = str(uuid.UUID("26785a09-ab16-4eb0-8407-a37497a57506"))
SECRET = str(uuid.UUID("3d844edf-8d35-48ac-975b-e847b4f122b0"))
API_KEY = f"registry_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"

BAD_REQUEST = (400, "BadRequestError", "Can't send to this recipient using a team-only API key")
NOT_AN_ADDRESS = (400, "ValidationError", "email_address Not a valid email address")
RATE_LIMITED = (429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds")
DAILY_LIMIT = (429, "TooManyRequestsError", "Exceeded send limits (250000) for today")
SERVER_ERROR = (500, "Exception", "Internal server error")


def _errors(status: int, error: str, message: str) -> dict:
    return {"status_code": status, "errors": [{"error": error, "message": message}]}


def _auth_problem(header: str | None) -> tuple[int, dict] | None:
    """Return Notify's answer to a bad Authorization header, or None if the token is good."""
    if not header or not header.startswith("Bearer "):
        return 401, _errors(401, "AuthError", "Unauthorized: authentication token must be provided")
    token = header.removeprefix("Bearer ")
    try:
        claims = jwt.decode(token, key=SECRET, algorithms=["HS256"], options={"verify_iat": False})
    except jwt.InvalidTokenError:
        return 403, _errors(403, "AuthError", "Invalid token: signature, api token not found")
    if claims.get("iss") != SERVICE_ID:
        return 403, _errors(403, "AuthError", "Invalid token: service not found")
    if abs(time.time() - int(claims.get("iat", 0))) > 30:
        return 403, _errors(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
    return None


def _looks_like_an_address(address: str) -> bool:
    # Notify's own check is stricter than the registry's: a domain needs a dot.
    local, _, domain = address.rpartition("@")
    return bool(local) and "." in domain and " " not in address


@pytest.fixture
def notify_server(app):
    """Run a local Notify on a free port and point the app at it (MAIL_BACKEND=notify).

    Yields an object with `.url`, `.notifications` (each accepted request's JSON, in order),
    `.requests` (how many POSTs came) and `.answers`: {address: (status, error, message)} to
    answer that status for that address instead of 201.
    """
    server_state = SimpleNamespace(notifications=[], requests=0, answers={}, lock=threading.Lock())

    class Notify(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet: pytest shows failures, not every request
            pass

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            with server_state.lock:
                server_state.requests += 1
            if self.path != "/v2/notifications/email":
                return self._answer(404, _errors(404, "NotFound", "Not Found"))
            problem = _auth_problem(self.headers.get("Authorization"))
            if problem:
                return self._answer(*problem)
            request = json.loads(raw)
            address = request.get("email_address", "")
            if address in server_state.answers:
                status, error, message = server_state.answers[address]
                return self._answer(status, _errors(status, error, message))
            if not _looks_like_an_address(address):
                return self._answer(400, _errors(*NOT_AN_ADDRESS))
            if request.get("template_id") != TEMPLATE_ID:
                return self._answer(400, _errors(400, "BadRequestError", "Template not found"))
            personalisation = request.get("personalisation") or {}
            missing = [name for name in ("subject", "body") if name not in personalisation]
            if missing:
                return self._answer(400, _errors(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}"))
            notification_id = str(uuid.uuid4())
            with server_state.lock:
                server_state.notifications.append(request)
            base = f"http://127.0.0.1:{self.server.server_port}"
            self._answer(201, {
                "id": notification_id,
                "reference": request.get("reference"),
                "content": {"subject": personalisation["subject"], "body": personalisation["body"],
                            "from_email": "registry@notifications.service.gov.uk"},
                "uri": f"{base}/v2/notifications/{notification_id}",
                "template": {"id": TEMPLATE_ID, "version": 1, "uri": f"{base}/v2/template/{TEMPLATE_ID}"},
            })

    server = ThreadingHTTPServer(("127.0.0.1", 0), Notify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server_state.url = f"http://127.0.0.1:{server.server_port}"
    app.config.update(MAIL_BACKEND="notify", NOTIFY_API_KEY=API_KEY, NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
                      NOTIFY_BASE_URL=server_state.url)
    try:
        yield server_state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
