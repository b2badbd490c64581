"""The outbox page: administrators only, newest first, what was sent and what failed, read-only."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.core.db import utcnow
from registry.core.templating import format_datetime
from registry.extensions import db
from registry.outbox.models import OutboxMessage
from tests.agreements.builders import three_councils
from tests.factories import make_user

from tests.reminders import active_agreement, move_to, send

URL = "/outbox"


@pytest.fixture
def councils(app):
    return three_councils()


@pytest.mark.parametrize("system_role", [None, "auditor"])
def test_only_administrators_see_the_outbox(signed_in_client, councils, system_role):
    person = make_user(system_role=system_role, memberships={councils["LDS"].authority: "approver"})
    response = signed_in_client(person).get(URL)
    assert response.status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.location.startswith("/sign-in")


def test_the_outbox_shows_what_was_sent(app, runner, signed_in_client, admin, councils, smtp_server):
    agreement = active_agreement(councils)
    move_to(app, agreement.review_due - timedelta(days=30))
    send(runner)
    page = signed_in_client(admin).get(URL).get_data(as_text=True)
    assert "6 messages" in page
    assert councils["BRD"].approver.email in page
    assert f"Review due in 30 days: {agreement.reference} Supporting families" in page
    assert page.count("govuk-tag--green") == 6  # each one tagged Sent


def test_the_outbox_shows_errors_and_filters_the_unsent(app, signed_in_client, admin):
    person = make_user()
    db.session.add_all([
        OutboxMessage(key="test:sent", user_id=person.id, to_address=person.email, subject="Went out", body="…", sent_at=utcnow(), attempts=1),
        OutboxMessage(key="test:failed", user_id=person.id, to_address=person.email, subject="Stuck", body="…", attempts=3,
                      last_error="ConnectionRefusedError: [Errno 111] Connection refused",
                      next_attempt_at=utcnow() + timedelta(minutes=20)),
    ])
    db.session.commit()
    client = signed_in_client(admin)
    everything = client.get(URL).get_data(as_text=True)
    assert "Went out" in everything and "Stuck" in everything
    assert "Tried 3 times. Last error: ConnectionRefusedError" in everything
    stuck = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.key == "test:failed"))
    assert f"Next try after {format_datetime(stuck.next_attempt_at)}" in everything
    assert everything.index("Stuck") < everything.index("Went out")  # newest first
    unsent = client.get(URL + "?unsent=true").get_data(as_text=True)
    assert "Stuck" in unsent and "Went out" not in unsent and "1 message" in unsent


def test_the_outbox_is_paginated(app, signed_in_client, admin):
    db.session.add_all(
        OutboxMessage(key=f"test:{n}", to_address="someone@example.org", subject=f"Message {n:02d}", body="…") for n in range(55)
    )
    db.session.commit()
    client = signed_in_client(admin)
    first = client.get(URL).get_data(as_text=True)
    assert "55 messages, showing 1 to 50" in first and 'rel="next"' in first
    second = client.get(URL + "?page=2").get_data(as_text=True)
    assert "showing 51 to 55" in second


def test_a_bad_filter_shows_the_error(signed_in_client, admin):
    response = signed_in_client(admin).get(URL + "?unsent=perhaps")
    assert response.status_code == 422
    assert "Select unsent only, or leave it unticked" in response.get_data(as_text=True)


def test_the_outbox_link_is_in_the_menu_for_administrators_only(signed_in_client, admin, councils):
    assert f'href="{URL}"' in signed_in_client(admin).get("/account").get_data(as_text=True)
    assert f'href="{URL}"' not in signed_in_client(councils["LDS"].approver).get("/account").get_data(as_text=True)


def test_the_outbox_is_read_only(app):
    methods = {m for rule in app.url_map.iter_rules() if rule.rule == URL for m in rule.methods}
    assert methods <= {"GET", "HEAD", "OPTIONS"}


def test_each_message_links_to_its_own_page_and_mailings_still_to_be_written_out_are_counted(signed_in_client, admin):
    from . import mail_to_many, queue

    (message_id,) = queue(1, prefix="one", subject="One message")
    mail_to_many(3)
    page = signed_in_client(admin).get(URL).get_data(as_text=True)
    assert f'href="/outbox/{message_id}">One message</a>' in page
    assert "1 email to many people is waiting for the sender to write a message for each of them." in page
