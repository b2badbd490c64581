"""The page of one outbox message: administrators only; to whom, subject, where it stands, its text, and its HTML shown safely."""

import re
from datetime import timedelta
from html import unescape

import pytest

from registry.core.db import utcnow
from tests.factories import make_authority, make_user

from . import add_raw

HOSTILE_HTML = '<h1>Approved</h1><p style="color: #1d70b8">In force.</p><script>parent.document.title = "pwned"</script>"><img src="https://tracker.example/pixel.gif">'


def _url(message) -> str:
    return f"/outbox/{message.id}"


@pytest.mark.parametrize("system_role", [None, "auditor"])
def test_only_administrators_see_a_message(signed_in_client, system_role):
    message = add_raw()
    person = make_user(system_role=system_role, memberships={make_authority(): "approver"})
    assert signed_in_client(person).get(_url(message)).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    message = add_raw()
    response = client.get(_url(message))
    assert response.status_code == 302 and response.location.startswith("/sign-in")


def test_a_message_that_is_not_there_is_not_found(signed_in_client, admin):
    assert signed_in_client(admin).get("/outbox/4040").status_code == 404


def test_the_page_shows_recipient_subject_text_and_that_it_waits(signed_in_client, admin):
    message = add_raw(to_address="pat@example.org", subject="Approved: DSA-2026-0001", body="Dear Pat,\n\nIt is approved.\n",
                      thread="agreement:DSA-2026-0001", unsubscribe_url="https://registry.example/account/notifications")
    response = signed_in_client(admin).get(_url(message))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "pat@example.org" in html and "<h1 class=\"govuk-heading-l\">Approved: DSA-2026-0001</h1>" in html
    assert re.search(r'id="text-body">Dear Pat,\n\nIt is approved.\n</div>', html)
    assert "Waiting" in html and "agreement:DSA-2026-0001" in html
    assert "https://registry.example/account/notifications" in html
    assert "&lt;thread-" in html  # the thread's root Message-ID, for whoever checks threading
    assert "This message is text only." in html
    # The Outbox link is marked as the current section.
    assert re.search(r'govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" href="/outbox"', html)


@pytest.mark.parametrize("fields, shown", [
    ({"sent_via": "smtp", "attempts": 1}, ["Sent", "By SMTP on"]),
    ({"sent_via": "notify", "attempts": 2}, ["Sent", "Through GOV.UK Notify on", "after 2 tries"]),
    ({"sent_via": "mailbox", "attempts": 1}, ["Delivered to the development mailbox", "Nothing was sent anywhere"]),
], ids=["smtp", "notify", "mailbox"])
def test_the_page_says_how_a_message_went(signed_in_client, admin, fields, shown):
    message = add_raw(sent_at=utcnow(), **fields)
    html = signed_in_client(admin).get(_url(message)).get_data(as_text=True)
    assert all(text in html for text in shown), html


def test_the_page_says_why_a_message_failed_and_when_it_is_tried_again(signed_in_client, admin):
    failed = add_raw(key="raw:failed", attempts=3, last_error="SMTPRecipientsRefused: 550 No such mailbox",
                     next_attempt_at=utcnow() + timedelta(minutes=20))
    given_up = add_raw(key="raw:given-up", attempts=1, last_error="Cannot be made into an email: the address is not one",
                       given_up_at=utcnow())
    client = signed_in_client(admin)
    failed_page = client.get(_url(failed)).get_data(as_text=True)
    assert "Not sent" in failed_page and "Tried 3 times. Last error: SMTPRecipientsRefused: 550 No such mailbox" in failed_page
    assert "Next try after" in failed_page
    given_up_page = client.get(_url(given_up)).get_data(as_text=True)
    assert "Cannot be sent" in given_up_page and "It will not be tried again" in given_up_page


def test_the_html_is_shown_in_a_sandbox_that_runs_nothing(signed_in_client, admin):
    message = add_raw(html_body=HOSTILE_HTML)
    response = signed_in_client(admin).get(_url(message))
    html = response.get_data(as_text=True)

    [frame] = re.findall(r"<iframe [^>]*>", html)
    assert 'sandbox=""' in frame and 'title="The email as HTML"' in frame
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame).group(1)
    assert unescape(srcdoc) == HOSTILE_HTML  # the whole document, escaped into the attribute
    assert "<script>parent" not in html and '"><img' not in html  # nothing of it is markup in the page
    assert "&lt;script&gt;parent.document.title" in html  # the source, shown as text
    policy = response.headers["Content-Security-Policy"]
    # The frame inherits this policy: its styles may show, its scripts and outside images may not.
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert re.search(r"script-src 'self' 'nonce-[^']+';", policy) and "img-src 'self' data:" in policy


def test_a_text_only_message_keeps_the_strict_policy(signed_in_client, admin):
    message = add_raw()
    policy = signed_in_client(admin).get(_url(message)).headers["Content-Security-Policy"]
    assert "style-src 'self';" in policy


def test_the_message_page_is_read_only(app):
    methods = {m for rule in app.url_map.iter_rules() if rule.rule == "/outbox/<int:message_id>" for m in rule.methods}
    assert methods == {"GET", "HEAD", "OPTIONS"}
