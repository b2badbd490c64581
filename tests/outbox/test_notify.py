"""GOV.UK Notify, against a local server that answers as Notify's documentation says: what is sent, and each documented error.

Each 400 is about one message: it waits and backs off, or is given up if Notify says the
address is not an address. 403, 5xx and no answer are Notify failing: the run stops and the
rest wait. 429 is Notify asking us to slow down: the run stops, and says how long to wait.
"""

import socket

import pytest

from registry.core.errors import DomainError
from registry.outbox import delivery
from registry.outbox.models import NOTIFY
from registry.outbox.notify import DAILY_LIMIT_WAIT_SECONDS, RATE_LIMIT_WAIT_SECONDS, notify_settings

from . import add_raw, messages_in_outbox, queue
from .conftest import API_KEY, BAD_REQUEST, DAILY_LIMIT, NOT_AN_ADDRESS, RATE_LIMITED, SECRET, SERVER_ERROR, TEMPLATE_ID


def _send(runner):
    return runner.invoke(args=["mail", "send"])


def test_each_message_goes_through_the_template_with_its_subject_and_body(runner, notify_server):
    ids = queue(3, html_body="<p>Not for Notify</p>", thread="agreement:DSA-2026-0001")

    result = _send(runner)

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "3 sent, 0 failed"
    assert [n["email_address"] for n in notify_server.notifications] == [f"test-{n}@example.org" for n in range(3)]
    first = notify_server.notifications[0]
    assert first["template_id"] == TEMPLATE_ID
    assert first["personalisation"] == {"subject": "Message 0", "body": "Message 0.\n"}
    assert first["reference"] == f"outbox-{ids[0]}"  # no personal data in Notify's reference
    assert all(m.sent_via == NOTIFY and m.sent_at and m.attempts == 1 for m in messages_in_outbox())
    assert _send(runner).output.strip() == "0 sent, 0 failed"
    assert notify_server.requests == 3


def test_a_subject_stored_with_a_line_break_goes_on_one_line(runner, notify_server):
    add_raw(subject="Old\r\nsubject")
    _send(runner)
    assert notify_server.notifications[0]["personalisation"]["subject"] == "Old subject"


def test_an_address_notify_says_is_not_an_address_is_given_up_and_the_rest_go(runner, notify_server):
    queue(1, prefix="before")
    bad = add_raw(key="raw:bad", to_address="someone@localhost")  # one address to us; Notify wants a dot
    queue(1, prefix="after")

    result = _send(runner)

    assert result.exit_code == 1
    assert f"Message {bad.id} was refused by GOV.UK Notify for good" in result.output
    assert result.output.strip().endswith("2 sent, 0 failed, 1 cannot be sent")
    by_key = {m.key: m for m in messages_in_outbox()}
    assert by_key["raw:bad"].given_up_at is not None and by_key["raw:bad"].next_attempt_at is None
    assert by_key["raw:bad"].last_error == "GOV.UK Notify answered 400: ValidationError: email_address Not a valid email address"
    assert _send(runner).output.strip() == "0 sent, 0 failed"  # not tried again


def test_an_address_that_is_no_address_at_all_never_reaches_notify(runner, notify_server):
    add_raw(to_address="not an address")
    result = _send(runner)
    assert "cannot be made into an email" in result.output
    assert notify_server.requests == 0


def test_a_bad_request_for_one_message_backs_off_and_the_rest_go(runner, notify_server):
    ids = queue(3)
    notify_server.answers["test-1@example.org"] = BAD_REQUEST

    result = _send(runner)

    assert result.exit_code == 1 and result.output.strip().endswith("2 sent, 1 failed")
    assert "Stopped" not in result.output
    refused = messages_in_outbox()[1]
    assert refused.id == ids[1] and refused.sent_at is None and refused.given_up_at is None
    assert refused.next_attempt_at is not None
    assert "400: BadRequestError: Can't send to this recipient using a team-only API key" in refused.last_error


@pytest.mark.parametrize("answer", [SERVER_ERROR, (503, "Exception", "Service unavailable")], ids=["500", "503"])
def test_a_notify_failure_stops_the_run_and_the_rest_wait(runner, notify_server, answer):
    queue(3)
    notify_server.answers["test-1@example.org"] = answer

    result = _send(runner)

    assert result.exit_code == 1
    assert "Stopped sending: GOV.UK Notify failed. The rest wait for the next run." in result.output
    first, failed, untried = messages_in_outbox()
    assert first.sent_at is not None
    assert failed.sent_at is None and failed.next_attempt_at is None and f"answered {answer[0]}" in failed.last_error
    assert untried.attempts == 0 and untried.last_error == ""

    notify_server.answers.clear()
    assert _send(runner).output.strip() == "2 sent, 0 failed"  # it goes first when Notify is back


def test_a_key_notify_does_not_know_stops_the_run_and_is_never_kept(app, runner, notify_server):
    wrong_secret = "00000000-0000-4000-8000-000000000000"
    app.config["NOTIFY_API_KEY"] = API_KEY.replace(SECRET, wrong_secret)
    queue(2)

    result = _send(runner)

    assert result.exit_code == 1 and "Stopped sending: GOV.UK Notify failed" in result.output
    first, second = messages_in_outbox()
    assert "403: AuthError: Invalid token: signature, api token not found" in first.last_error
    assert wrong_secret not in first.last_error
    assert second.attempts == 0 and notify_server.notifications == []


@pytest.mark.parametrize("answer, wait", [(RATE_LIMITED, RATE_LIMIT_WAIT_SECONDS), (DAILY_LIMIT, DAILY_LIMIT_WAIT_SECONDS)],
                         ids=["rate limit", "daily limit"])
def test_too_many_requests_stops_the_run_until_later(app, notify_server, answer, wait):
    queue(2)
    notify_server.answers["test-0@example.org"] = answer

    report = delivery.send_queued()

    assert report.stopped and report.busy and report.wait == wait
    assert "Stopped sending: GOV.UK Notify asked us to slow down" in report.problems()[-1]
    first, second = messages_in_outbox()
    assert first.next_attempt_at is None and f"429: {answer[1]}" in first.last_error
    assert second.attempts == 0


def test_no_answer_from_notify_stops_the_run(app, runner, notify_server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    app.config["NOTIFY_BASE_URL"] = f"http://127.0.0.1:{closed}"
    queue(2)

    result = _send(runner)

    assert result.exit_code == 1 and "Stopped sending: GOV.UK Notify failed" in result.output
    first, second = messages_in_outbox()
    assert first.last_error.startswith("No answer from GOV.UK Notify: ConnectionError")
    assert second.attempts == 0


@pytest.mark.parametrize("name, value", [
    ("NOTIFY_API_KEY", ""), ("NOTIFY_API_KEY", "not-a-key"), ("NOTIFY_TEMPLATE_ID", ""), ("NOTIFY_TEMPLATE_ID", "welcome"),
])
def test_missing_or_malformed_settings_are_refused_before_anything_is_sent(app, runner, notify_server, name, value):
    app.config[name] = value
    queue(1)
    with pytest.raises(DomainError):
        notify_settings()
    result = _send(runner)
    assert result.exit_code == 1 and name in result.output
    assert messages_in_outbox()[0].attempts == 0 and notify_server.requests == 0


def test_the_key_is_never_in_the_settings_repr(app, notify_server):
    assert SECRET not in repr(notify_settings())
