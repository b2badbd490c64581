"""People choose which reminders they get on their notifications page, where the reminders page went; the command honours it."""

import re
from datetime import timedelta

import pytest

from registry.core.errors import PermissionDenied
from registry.extensions import db
from registry.notifications import services as notification_services
from registry.notifications.models import NotificationPreference
from registry.users.actors import SCHEDULER
from tests.conftest import csrf_token_from, post_form
from tests.snapshots import database_snapshot

from . import add_obligation, audit_entries, keys_for, move_to, send

URL = "/account/notifications"
OLD_URL = "/account/reminders"
REMINDERS = ("review_reminders", "obligation_reminders", "overdue_reminders")


def _choose(person, **choices):
    notification_services.set_preferences(person, choices)
    db.session.commit()


def _kinds_for(person) -> set[str]:
    return {f"{key.split(':')[0]}:{key.split(':')[3]}" for key in keys_for(person)}


def _chosen(person) -> dict[str, str]:
    rows = db.session.scalars(db.select(NotificationPreference).where(NotificationPreference.user_id == person.id))
    return {row.kind: row.delivery for row in rows}


def _send_with_an_obligation_due_at_review(app, runner, agreement, *, days_before: int) -> None:
    """Add an obligation Bradford owes, due the day the review is, and send the reminders `days_before` that day."""
    add_obligation(agreement, owed_by="BRD", due=agreement.review_due)
    move_to(app, agreement.review_due - timedelta(days=days_before))
    send(runner)


def test_turning_review_reminders_off_stops_review_reminders_but_not_obligations(app, runner, councils, agreement):
    person = councils["BRD"].approver
    _choose(person, review_reminders="off")
    _send_with_an_obligation_due_at_review(app, runner, agreement, days_before=30)
    assert _kinds_for(person) == {"obligation:30"}
    assert _kinds_for(councils["BRD"].second_approver) == {"obligation:30", "review:30"}


def test_turning_obligation_reminders_off_stops_obligation_reminders_before_the_date(app, runner, councils, agreement):
    person = councils["BRD"].approver
    _choose(person, obligation_reminders="off")
    _send_with_an_obligation_due_at_review(app, runner, agreement, days_before=7)
    assert _kinds_for(person) == {"review:7"}


def test_overdue_reminders_follow_the_overdue_choice_whatever_their_kind(app, runner, councils, agreement):
    no_overdue, only_overdue = councils["BRD"].approver, councils["BRD"].second_approver
    _choose(no_overdue, overdue_reminders="off")
    _choose(only_overdue, review_reminders="off", obligation_reminders="off")
    _send_with_an_obligation_due_at_review(app, runner, agreement, days_before=-1)
    assert _kinds_for(no_overdue) == set()
    assert _kinds_for(only_overdue) == {"review:overdue", "obligation:overdue"}


def test_the_page_shows_every_reminder_by_email_for_an_approver_who_never_chose(app, signed_in_client, councils):
    page = signed_in_client(councils["LDS"].approver).get(URL).get_data(as_text=True)
    assert len(re.findall(r'name="(?:review|obligation|overdue)_reminders" type="radio" value="email" checked', page)) == 3
    assert "Review reminders" in page and "Obligation reminders" in page and "Overdue reminders" in page


@pytest.mark.parametrize("role", ["contributor", "viewer"])
def test_someone_who_approves_for_no_one_is_shown_reminders_off(app, signed_in_client, councils, role):
    page = signed_in_client(getattr(councils["LDS"], role)).get(URL).get_data(as_text=True)
    assert len(re.findall(r'name="(?:review|obligation|overdue)_reminders" type="radio" value="off" checked', page)) == 3


def test_saving_the_form_changes_the_choice_and_is_audited(app, signed_in_client, councils):
    person = councils["KIR"].approver
    client = signed_in_client(person)
    response = post_form(client, URL, {"review_reminders": "email", "obligation_reminders": "off", "overdue_reminders": "email"})
    assert response.status_code == 302 and response.location.endswith(URL)
    page = client.get(URL).get_data(as_text=True)
    assert "Your choices have been saved." in page
    assert 'name="obligation_reminders" type="radio" value="off" checked' in page
    assert 'name="review_reminders" type="radio" value="email" checked' in page
    assert _chosen(person) == {"obligation_reminders": "off"}
    [entry] = audit_entries("notification.preferences")
    assert entry["actor"] == {"type": "user", "id": person.id}
    assert entry["object"] == {"type": "user", "ref": str(person.id)}
    assert entry["data"] == {"changes": {"obligation_reminders": {"from": "email", "to": "off"}}}
    assert audit_entries("reminder.preferences") == []  # the old page's action is written no more


def test_choosing_off_for_each_turns_every_reminder_off(app, signed_in_client, councils):
    person = councils["KIR"].approver
    assert post_form(signed_in_client(person), URL, {kind: "off" for kind in REMINDERS}).status_code == 302
    assert _chosen(person) == {kind: "off" for kind in REMINDERS}


def test_saving_without_a_change_writes_nothing(app, signed_in_client, councils):
    client = signed_in_client(councils["KIR"].approver)
    before = database_snapshot()
    response = post_form(client, URL, {kind: "email" for kind in REMINDERS})
    assert response.status_code == 302
    assert database_snapshot() == before


def test_an_unknown_choice_shows_the_error_and_changes_nothing(app, signed_in_client, councils):
    person = councils["KIR"].approver
    client = signed_in_client(person)
    before = database_snapshot()
    response = post_form(client, URL, {"review_reminders": "weekly digest"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error: " in page
    assert 'class="govuk-error-summary"' in page and 'href="#review_reminders"' in page
    assert "Choose how you want to hear of review reminders" in page
    assert database_snapshot() == before


def test_a_form_without_its_csrf_token_is_refused(app, signed_in_client, councils):
    client = signed_in_client(councils["KIR"].approver)
    csrf_token_from(client.get(URL).get_data(as_text=True))  # the page has one
    before = database_snapshot()
    response = client.post(URL, data={"review_reminders": "off"})
    assert response.status_code == 400
    assert database_snapshot() == before


@pytest.mark.parametrize("url", [URL, OLD_URL])
def test_signed_out_people_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.location.startswith("/sign-in")


def test_the_command_line_cannot_choose_reminders(app):
    with pytest.raises(PermissionDenied):
        notification_services.set_preferences(SCHEDULER, {kind: "off" for kind in REMINDERS})


def test_the_account_page_links_to_the_notifications_page(app, signed_in_client, councils):
    page = signed_in_client(councils["KIR"].approver).get("/account").get_data(as_text=True)
    assert f'href="{URL}">Choose how you hear of things</a>' in page
    assert f'href="{OLD_URL}"' not in page


def test_the_old_reminders_page_redirects_for_good_to_the_notifications_page(app, signed_in_client, councils):
    response = signed_in_client(councils["KIR"].approver).get(OLD_URL)
    assert response.status_code == 301
    assert response.location == URL


def test_the_old_reminders_page_takes_nothing_posted(app, signed_in_client, councils):
    client = signed_in_client(councils["KIR"].approver)
    before = database_snapshot()
    response = post_form(client, OLD_URL, {"reminders": ["reviews"]}, from_page=URL)
    assert response.status_code == 405
    assert database_snapshot() == before
