"""How each person hears of each kind of event: email now (the default), a daily digest, or the inbox only."""

from datetime import datetime, timedelta

import pytest

from registry.agreements import services
from registry.auditlog.models import AuditEntry
from registry.core.clock import UK_TIME
from registry.extensions import db
from registry.notifications import services as notification_services
from registry.notifications.models import Notification
from registry.users.actors import SCHEDULER
from tests.conftest import post_form
from tests.snapshots import database_snapshot

from .conftest import addresses, subject, text_of

URL = "/api/v1/notifications/preferences"


def _choose(client, **choices):
    return post_form(client, "/account/notifications", choices, from_page="/account/notifications")


def _submit(councils, agreement):
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()


@pytest.fixture
def draft(councils):
    from tests.agreements.builders import complete_draft

    from .conftest import start_listening

    agreement = complete_draft(councils)
    start_listening()
    return agreement


def test_the_page_shows_each_kind_with_email_now_chosen_until_the_person_chooses(councils, signed_in_client):
    page = signed_in_client(councils["BRD"].approver).get("/account/notifications").get_data(as_text=True)
    assert "Agreements waiting for your approval" in page and "Overdue reminders" in page
    assert 'name="proposals" type="radio" value="email" checked' in page
    assert 'name="review_reminders" type="radio" value="email" checked' in page


def test_a_contributor_gets_reminders_only_if_they_ask(councils, signed_in_client):
    page = signed_in_client(councils["BRD"].contributor).get("/account/notifications").get_data(as_text=True)
    assert 'name="review_reminders" type="radio" value="off" checked' in page
    assert 'name="proposals" type="radio" value="email" checked' in page


def test_inbox_only_means_no_email_but_the_inbox_has_it(councils, draft, signed_in_client, mailbox):
    bradford = councils["BRD"].approver
    assert _choose(signed_in_client(bradford), proposals="inbox").status_code == 302

    _submit(councils, draft)

    received = mailbox.received()
    assert bradford.email not in received and councils["BRD"].second_approver.email in received
    assert [n.title for n in db.session.scalars(db.select(Notification).where(Notification.user_id == bradford.id))] == [
        f"Approval needed: {draft.reference} Supporting families, version 1"]


def test_a_digest_waits_for_the_hour_then_goes_once_listing_what_happened(app, councils, draft, signed_in_client, mailbox):
    bradford = councils["BRD"].approver
    assert _choose(signed_in_client(bradford), proposals="digest").status_code == 302
    _submit(councils, draft)
    assert bradford.email not in mailbox.received()

    hour = app.config["NOTIFICATIONS_DIGEST_HOUR"]
    morning = datetime.now(UK_TIME).replace(hour=hour, minute=5)
    before_the_hour = morning - timedelta(hours=1)
    assert notification_services.send_digests(SCHEDULER, before_the_hour) == 0
    assert notification_services.send_digests(SCHEDULER, morning) == 1
    assert notification_services.send_digests(SCHEDULER, morning + timedelta(hours=2)) == 0  # once a day
    db.session.commit()

    digests = mailbox.received()[bradford.email]
    assert len(digests) == 1
    assert subject(digests[0]) == "Your daily summary: 1 new notification"
    assert f"Approval needed: {draft.reference}" in text_of(digests[0])
    digest_entries = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action == "notification.digest")).all()
    assert digest_entries == ["notification.digest"]


def test_the_digest_command_writes_nothing_for_people_who_chose_email(councils, draft, runner, mailbox):
    _submit(councils, draft)
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and "0 digests written" in result.output
    received = mailbox.received()
    assert all("daily summary" not in subject(email) for emails in received.values() for email in emails)


def test_choosing_is_audited_without_anything_personal(councils, signed_in_client):
    bradford = councils["BRD"].approver
    _choose(signed_in_client(bradford), endings="digest", overdue_reminders="off")
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "notification.preferences")).one()
    text = bytes(entry.entry).decode()
    assert '"endings":{"from":"email","to":"digest"}' in text and '"overdue_reminders":{"from":"email","to":"off"}' in text
    assert bradford.email not in text


def test_a_choice_not_offered_is_refused_with_the_error_on_the_field_and_nothing_changes(councils, signed_in_client, api_as):
    client = signed_in_client(councils["BRD"].approver)
    api = api_as(councils["BRD"].approver)
    before = database_snapshot()

    response = _choose(client, proposals="off")  # only reminders can be turned off
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.startswith("<!DOCTYPE html>") and "<title>Error:" in page
    assert 'href="#proposals">Choose how you want to hear of agreements waiting for your approval' in page
    answer = api.put(URL, json={"proposals": "pigeon"})
    assert answer.status_code == 422 and "proposals" in answer.get_json()["fields"]
    assert database_snapshot() == before


def test_the_api_reads_and_changes_choices(councils, api_as):
    api = api_as(councils["BRD"].contributor)
    assert api.get(URL).get_json()["obligation_reminders"] == "off"
    changed = api.put(URL, json={"obligation_reminders": "email"})
    assert changed.status_code == 200 and changed.get_json()["obligation_reminders"] == "email"
    assert api.get(URL).get_json()["proposals"] == "email"


def test_one_agreements_emails_thread_together_with_text_html_and_a_way_to_stop(councils, draft, mailbox):
    _submit(councils, draft)
    services.approve(councils["BRD"].approver, draft, councils["BRD"].authority, content_hash=draft.latest_version.content_hash)
    db.session.commit()

    asked, approved = mailbox.received()[councils["LDS"].approver.email]  # the lead's approver hears of both

    assert subject(asked).startswith("Approval needed") and subject(approved).startswith("Bradford Council approved")
    assert asked["In-Reply-To"] == approved["In-Reply-To"] and asked["References"] == approved["References"]
    assert asked["Message-ID"] != approved["Message-ID"]
    for email in (asked, approved):
        assert email["Auto-Submitted"] == "auto-generated"
        assert email["List-Unsubscribe"].strip() == "<https://registry.example-council.gov.uk/account/notifications>"
        html = email.get_body(preferencelist=("html",)).get_content()
        assert '<html lang="en">' in html and draft.reference in html
    assert "https://registry.example-council.gov.uk/account/notifications" in text_of(asked)
