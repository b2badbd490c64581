"""People choose which reminders they get, on their account's reminders page; the command honours it."""

import re
from datetime import timedelta

import pytest

from registry.users.actors import SCHEDULER
from registry.core.errors import PermissionDenied
from registry.extensions import db
from registry.reminders import services
from registry.reminders.models import ReminderPreference
from tests.conftest import csrf_token_from, post_form
from tests.snapshots import database_snapshot

from . import add_obligation, audit_entries, move_to, outbox, send

URL = "/account/reminders"


def _choose(person, **choices):
    services.set_preferences(person, {"reviews": True, "obligations": True, "overdue": True, **choices})
    db.session.commit()


def _kinds_for(person) -> set[str]:
    return {f"{m.key.split(':')[0]}:{m.key.split(':')[3]}" for m in outbox() if m.user_id == person.id}


def _send_with_an_obligation_due_at_review(app, runner, agreement, *, days_before: int) -> None:
    """Add an obligation Bradford owes, due the day the review is, and send the reminders `days_before` that day."""
    add_obligation(agreement, owed_by="BRD", due=agreement.review_due)
    move_to(app, agreement.review_due - timedelta(days=days_before))
    send(runner)


def test_turning_reviews_off_stops_review_reminders_but_not_obligations(app, runner, councils, agreement):
    person = councils["BRD"].approver
    _choose(person, reviews=False)
    _send_with_an_obligation_due_at_review(app, runner, agreement, days_before=30)
    assert _kinds_for(person) == {"obligation:30"}
    assert _kinds_for(councils["BRD"].second_approver) == {"obligation:30", "review:30"}


def test_turning_obligations_off_stops_obligation_reminders_before_the_date(app, runner, councils, agreement):
    person = councils["BRD"].approver
    _choose(person, obligations=False)
    _send_with_an_obligation_due_at_review(app, runner, agreement, days_before=7)
    assert _kinds_for(person) == {"review:7"}


def test_overdue_reminders_follow_the_overdue_choice_whatever_their_kind(app, runner, councils, agreement):
    no_overdue, only_overdue = councils["BRD"].approver, councils["BRD"].second_approver
    _choose(no_overdue, overdue=False)
    _choose(only_overdue, reviews=False, obligations=False)
    _send_with_an_obligation_due_at_review(app, runner, agreement, days_before=-1)
    assert _kinds_for(no_overdue) == set()
    assert _kinds_for(only_overdue) == {"review:overdue", "obligation:overdue"}


def test_the_page_shows_everything_on_for_someone_who_never_chose(app, signed_in_client, councils):
    page = signed_in_client(councils["LDS"].approver).get(URL).get_data(as_text=True)
    assert len(re.findall(r'name="reminders" type="checkbox" value="\w+" checked', page)) == 3
    assert "You get reminders as an approver for:" in page and "Leeds City Council" in page


def test_someone_who_approves_for_no_one_is_told_they_get_none(app, signed_in_client, councils):
    page = signed_in_client(councils["LDS"].viewer).get(URL).get_data(as_text=True)
    assert "You are not an approver for any authority" in page


def test_saving_the_form_changes_the_choice_and_is_audited(app, signed_in_client, councils):
    person = councils["KIR"].approver
    client = signed_in_client(person)
    response = post_form(client, URL, {"reminders": ["reviews", "overdue"]})
    assert response.status_code == 302 and response.location.endswith(URL)
    page = client.get(URL).get_data(as_text=True)
    assert "Your reminder choices have been saved." in page
    assert 'value="obligations" checked' not in page and 'value="reviews" checked' in page
    preference = db.session.get(ReminderPreference, person.id)
    assert (preference.reviews, preference.obligations, preference.overdue) == (True, False, True)
    [entry] = audit_entries("reminder.preferences")
    assert entry["actor"] == {"type": "user", "id": person.id}
    assert entry["object"] == {"type": "user", "ref": str(person.id)}
    assert entry["data"] == {"changes": {"obligations": {"from": True, "to": False}}}


def test_unticking_everything_turns_every_reminder_off(app, signed_in_client, councils):
    person = councils["KIR"].approver
    assert post_form(signed_in_client(person), URL, {}).status_code == 302
    preference = db.session.get(ReminderPreference, person.id)
    assert (preference.reviews, preference.obligations, preference.overdue) == (False, False, False)


def test_saving_without_a_change_writes_nothing(app, signed_in_client, councils):
    client = signed_in_client(councils["KIR"].approver)
    before = database_snapshot()
    response = post_form(client, URL, {"reminders": ["reviews", "obligations", "overdue"]})
    assert response.status_code == 302
    assert database_snapshot() == before


def test_an_unknown_choice_shows_the_error_and_changes_nothing(app, signed_in_client, councils):
    person = councils["KIR"].approver
    client = signed_in_client(person)
    before = database_snapshot()
    response = post_form(client, URL, {"reminders": ["reviews", "weekly digest"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error: " in page
    assert 'class="govuk-error-summary"' in page and 'href="#reminders"' in page
    assert "Select reminders from the list" in page
    assert database_snapshot() == before


def test_a_form_without_its_csrf_token_is_refused(app, signed_in_client, councils):
    client = signed_in_client(councils["KIR"].approver)
    csrf_token_from(client.get(URL).get_data(as_text=True))  # the page has one
    before = database_snapshot()
    response = client.post(URL, data={"reminders": ["reviews"]})
    assert response.status_code == 400
    assert database_snapshot() == before


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.location.startswith("/sign-in")


def test_the_command_line_cannot_choose_reminders(app):
    with pytest.raises(PermissionDenied):
        services.set_preferences(SCHEDULER, {"reviews": False, "obligations": False, "overdue": False})


def test_the_account_page_links_to_the_reminders_page(app, signed_in_client, councils):
    page = signed_in_client(councils["KIR"].approver).get("/account").get_data(as_text=True)
    assert f'href="{URL}"' in page
