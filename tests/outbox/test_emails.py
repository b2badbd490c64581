"""The emails a real SMTP server receives: text with an HTML alternative, threading, unsubscribe and auto-reply headers, safe headers."""

import pytest

from registry.outbox import emails
from tests.cli import succeeds

from . import add_raw, messages_in_outbox, queue

THREAD = "agreement:DSA-2026-0001"
PREFERENCES = "https://registry.example-council.gov.uk/account/notifications"


def _send(runner) -> None:
    succeeds(runner, "mail", "send")


def _received(smtp_server) -> dict:
    return {m.envelope.rcpt_tos[0]: m.email for m in smtp_server.messages}


def test_an_html_body_goes_as_the_alternative_to_the_text(runner, smtp_server):
    queue(1, prefix="html", html_body="<h1>Approved</h1><p>DSA-2026-0001 is in force.</p>")
    queue(1, prefix="plain")
    _send(runner)

    received = _received(smtp_server)
    both, plain = received["html-0@example.org"], received["plain-0@example.org"]
    assert both.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in both.iter_parts()] == ["text/plain", "text/html"]
    assert both.get_body(("plain",)).get_content().rstrip() == "Message 0."
    assert "<h1>Approved</h1>" in both.get_body(("html",)).get_content()
    assert plain.get_content_type() == "text/plain" and plain.get_content().rstrip() == "Message 0."


def test_every_email_says_it_was_sent_by_a_machine(runner, smtp_server):
    queue(1)
    _send(runner)
    [email] = _received(smtp_server).values()
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["X-Auto-Response-Suppress"] == "All"


def test_the_unsubscribe_header_points_at_the_preferences_page(runner, smtp_server):
    queue(1, prefix="chosen", unsubscribe_url=PREFERENCES)
    queue(1, prefix="none")
    _send(runner)

    received = _received(smtp_server)
    # Long enough to be folded onto a line of its own, as RFC 5322 allows.
    assert received["chosen-0@example.org"]["List-Unsubscribe"].strip() == f"<{PREFERENCES}>"
    # One-click unsubscribing needs an endpoint that takes the POST; there is none.
    assert received["chosen-0@example.org"]["List-Unsubscribe-Post"] is None
    assert received["none-0@example.org"]["List-Unsubscribe"] is None


def test_one_threads_messages_answer_the_same_root_and_each_has_its_own_id(app, runner, smtp_server):
    queue(3, prefix="dsa1", thread=THREAD)
    queue(1, prefix="dsa2", thread="agreement:DSA-2026-0002")
    queue(1, prefix="alone")
    _send(runner)

    received = _received(smtp_server)
    host = app.config["SERVICE_HOST"]
    root = emails.thread_root_id(THREAD, host)
    assert root.startswith("<thread-") and root.endswith(f"@{host}>")
    for n in range(3):
        email = received[f"dsa1-{n}@example.org"]
        assert email["In-Reply-To"] == root and email["References"] == root
        assert email["Thread-Topic"] == THREAD
    other = received["dsa2-0@example.org"]
    assert other["In-Reply-To"] != root and other["References"] == emails.thread_root_id("agreement:DSA-2026-0002", host)
    alone = received["alone-0@example.org"]
    assert alone["In-Reply-To"] is None and alone["References"] is None and alone["Thread-Topic"] is None
    ids = [email["Message-ID"] for email in received.values()]
    assert len(set(ids)) == 5 and root not in ids
    assert all(message_id.endswith(f"@{host}>") for message_id in ids)


def test_a_message_keeps_its_message_id_when_tried_again(app):
    queue(1)
    [message] = messages_in_outbox()
    first = emails.email_for(message, sender="registry@example.org", host="example.org")
    again = emails.email_for(message, sender="registry@example.org", host="example.org")
    assert first["Message-ID"] == again["Message-ID"] == emails.message_id(message, "example.org")


def test_a_database_started_afresh_never_reuses_a_message_id(app):
    message = add_raw(key="k")
    before = emails.message_id(message, "example.org")
    # The same id and key, written at another time (a fresh database counts from 1 again).
    message.created_at = message.created_at.replace(year=message.created_at.year + 1)
    assert emails.message_id(message, "example.org") != before


def test_stored_thread_and_link_with_line_breaks_cannot_add_headers(runner, smtp_server):
    # Written straight into the table, past enqueue()'s checks, as an old or hand-made row might be.
    add_raw(key="raw:thread", to_address="thread@example.org", thread="agreement:1\r\nBcc: everyone@example.org")
    add_raw(key="raw:link", to_address="link@example.org", unsubscribe_url="https://x.example/\r\nBcc: everyone@example.org")
    _send(runner)

    received = _received(smtp_server)
    assert len(smtp_server.messages) == 2
    assert all(m.envelope.rcpt_tos != ["everyone@example.org"] for m in smtp_server.messages)
    assert all(email["Bcc"] is None for email in received.values())
    assert received["thread@example.org"]["Thread-Topic"] == "agreement:1 Bcc: everyone@example.org"
    # Not a URL: the message goes without the header rather than not at all.
    assert received["link@example.org"]["List-Unsubscribe"] is None


@pytest.mark.parametrize("url, ok", [
    (PREFERENCES, True),
    ("http://127.0.0.1:5000/account/notifications", True),
    ("mailto:unsubscribe@example.org", False),
    ("https://x.example/a b", False),
    ("https://x.example/a>", False),
    ("https://x.example/ü", False),
    ("/account/notifications", False),
])
def test_only_plain_web_addresses_make_an_unsubscribe_header(url, ok):
    assert emails.is_unsubscribe_url(url) is ok
