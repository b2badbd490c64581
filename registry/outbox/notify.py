"""GOV.UK Notify: its settings, and the backend that sends each message through one email template.

The template (NOTIFY_TEMPLATE_ID) has two placeholders, ((subject)) as its subject and
((body)) as its whole body; the registry fills them with the message's subject and text.
Notify writes its own email around them (its own headers and formatting), so the HTML
alternative and the threading headers that SMTP carries are not sent this way.

How Notify's answers are taken (its documented errors for POST /v2/notifications/email):
- 201: delivered to Notify;
- 400 ValidationError about email_address: this address can never be sent to: given up;
- any other 400 (BadRequestError: a team-only key, trial mode, a template that wants other
  placeholders): the message is refused and backs off, as SMTP refusals do, since each is
  put right in Notify's settings rather than in the message;
- 403 (AuthError: a bad key, a clock out by more than 30 seconds), 5xx, other statuses,
  and no answer at all: Notify failed, not the message: the run stops, the rest wait;
- 429 (RateLimitError, TooManyRequestsError): the run stops and tries again later.
"""

import uuid
from dataclasses import dataclass, field

from registry.core.errors import DomainError
from registry.core.text import one_line

from .emails import DEFAULT_SUBJECT, recipient
from .failures import Refused, ServiceFailed
from .models import ERROR_LENGTH, NOTIFY, OutboxMessage
from .settings import setting

NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
NOTIFY_TIMEOUT_SECONDS = 30
# Notify's rate limit counts requests per 60 seconds; its daily limit lasts until midnight,
# and trying again every minute until then would only be refused.
RATE_LIMIT_WAIT_SECONDS = 60
DAILY_LIMIT_WAIT_SECONDS = 3600


@dataclass(frozen=True)
class NotifySettings:
    """Where and how to reach Notify. The key is left out of repr, so it never reaches a log."""

    api_key: str = field(repr=False)
    template_id: str
    base_url: str


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def notify_settings() -> NotifySettings:
    """Return the Notify settings: NOTIFY_API_KEY, NOTIFY_TEMPLATE_ID, and NOTIFY_BASE_URL (for tests)."""
    api_key = str(setting("NOTIFY_API_KEY", "")).strip()
    template_id = str(setting("NOTIFY_TEMPLATE_ID", "")).strip()
    # A key is "<name>-<service id>-<secret>", the last two UUIDs: the client signs with them.
    if len(api_key) < 74 or not (_is_uuid(api_key[-73:-37]) and _is_uuid(api_key[-36:])):
        raise DomainError("MAIL_BACKEND is notify: set NOTIFY_API_KEY to the API key Notify gave you "
                          "(its name, then the service id and the secret).")
    if not _is_uuid(template_id):
        raise DomainError("MAIL_BACKEND is notify: set NOTIFY_TEMPLATE_ID to the id of the email template "
                          "whose subject is ((subject)) and whose body is ((body)).")
    return NotifySettings(api_key, template_id, str(setting("NOTIFY_BASE_URL", "") or NOTIFY_BASE_URL).rstrip("/"))


class NotifyBackend:
    """Delivers through GOV.UK Notify's API, with notifications-python-client."""

    name = NOTIFY
    label = "GOV.UK Notify"

    def __init__(self, settings: NotifySettings) -> None:
        # Imported here: only a registry that uses Notify loads the client and requests.
        from notifications_python_client.notifications import NotificationsAPIClient

        self.settings = settings
        self.client = NotificationsAPIClient(settings.api_key, base_url=settings.base_url, timeout=NOTIFY_TIMEOUT_SECONDS)

    def __enter__(self) -> "NotifyBackend":
        return self

    def __exit__(self, *exc_info) -> None:
        self.client.request_session.close()

    def describe(self, error: BaseException) -> str:
        """Return what went wrong, short enough to keep, and never with the key in it."""
        from notifications_python_client.errors import APIError

        if isinstance(error, APIError):
            if error.response is None:  # no answer: the client reports it as 503
                text = f"No answer from GOV.UK Notify: {type(error.__cause__).__name__}: {error.__cause__}"
            else:
                text = f"GOV.UK Notify answered {error.status_code}: " + "; ".join(
                    f"{kind}: {message}" for kind, message in _errors(error)
                )
        else:
            text = f"{type(error).__name__}: {error}"
        for secret in (self.settings.api_key, self.settings.api_key[-36:]):
            text = text.replace(secret, "[hidden]")
        return text[:ERROR_LENGTH]

    def send(self, message: OutboxMessage) -> None:
        """Send one message, or raise CannotBuild, Refused or ServiceFailed (registry/outbox/failures.py)."""
        from notifications_python_client.errors import HTTPError, InvalidResponse

        address = recipient(message.to_address)
        try:
            self.client.send_email_notification(
                email_address=address,
                template_id=self.settings.template_id,
                personalisation={"subject": one_line(message.subject) or DEFAULT_SUBJECT, "body": message.body},
                # Notify asks that a reference hold no personal data: the outbox id, then.
                reference=f"outbox-{message.id}",
            )
        except InvalidResponse:
            # A 2xx answer without the JSON: Notify took the message. Sending it again would
            # send it twice.
            return
        except HTTPError as error:
            raise _classify(error, self.describe(error)) from error


def _errors(error) -> list[tuple[str, str]]:
    """Return the (error, message) pairs of a Notify error answer: {"status_code": …, "errors": [{…}]}."""
    found = error.message
    if isinstance(found, list):
        return [(str(e.get("error", "")), str(e.get("message", ""))) for e in found if isinstance(e, dict)]
    return [("", str(found))]


def _classify(error, description: str) -> Exception:
    status = error.status_code if error.response is not None else None
    errors = _errors(error)
    if status == 400:
        about_the_address = all(kind == "ValidationError" and message.startswith("email_address") for kind, message in errors)
        return Refused(description, give_up=bool(errors) and about_the_address)
    if status == 429:
        daily = any(kind == "TooManyRequestsError" for kind, _ in errors)
        return ServiceFailed(description, wait=DAILY_LIMIT_WAIT_SECONDS if daily else RATE_LIMIT_WAIT_SECONDS, busy=True)
    return ServiceFailed(description)
