"""Input that used to slip through: each now gets a clear field error, in the UI and the API, and changes nothing."""

from datetime import timedelta

import pytest

from registry.core.clock import today
from tests.conftest import post_form
from tests.snapshots import database_snapshot


URL = "/api/v1/agreements"


def _patch(api, url, body):
    return api.client.patch(url, json=body, headers=api.headers)


def _date_parts(name, day):
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def test_an_impact_assessment_dated_in_the_future_is_refused(councils, draft, api_as, signed_in_client):
    future = today() + timedelta(days=30)
    # Signing in and making a token are recorded themselves: both before the snapshot.
    client, api = signed_in_client(councils["LDS"].contributor), api_as(councils["LDS"].contributor)
    before = database_snapshot()
    response = _patch(api, f"{URL}/{draft.reference}/draft/assurance",
                      {"dpia_status": "completed", "dpia_reference": "DPIA-9", "dpia_date": future.isoformat(), "dpo_consulted": True})
    assert response.status_code == 422 and "today or in the past" in response.json["fields"]["dpia_date"][0]
    page = post_form(client, f"/agreements/{draft.reference}/draft/assurance",
                     {"dpia_status": "completed", "dpia_reference": "DPIA-9", **_date_parts("dpia_date", future), "dpo_consulted": "true"})
    assert page.status_code == 422 and 'href="#dpia_date-day">The assessment date must be today or in the past' in page.get_data(as_text=True)
    assert database_snapshot() == before


def test_an_obligation_due_before_the_agreement_starts_is_refused(councils, draft, api_as, signed_in_client):
    start = draft.latest_version.start_date
    lead = draft.latest_version.parties[0]
    early = start - timedelta(days=10)
    client, api = signed_in_client(councils["LDS"].contributor), api_as(councils["LDS"].contributor)
    before = database_snapshot()
    response = api.post(f"{URL}/{draft.reference}/draft/obligations", json={
        "owed_by_party_id": lead.id, "type": "retention", "description": "Delete it", "due_kind": "date", "due_date": early.isoformat()})
    assert response.status_code == 422 and "on or after the agreement's start date" in response.json["fields"]["due_date"][0]
    page = post_form(client, f"/agreements/{draft.reference}/draft/obligations/new", {
        "owed_by_party_id": lead.id, "type": "retention", "description": "Delete it", "due_kind": "date", **_date_parts("due_date", early)})
    assert page.status_code == 422 and 'href="#due_date-day">The due date must be on or after' in page.get_data(as_text=True)
    assert database_snapshot() == before


def test_moving_the_start_after_an_obligation_falls_due_stops_the_submission(councils, draft, api_as):
    api = api_as(councils["LDS"].contributor)
    version = draft.latest_version
    later = version.start_date + timedelta(days=120)  # after the security certificate's first due date
    assert _patch(api, f"{URL}/{draft.reference}/draft/dates", {
        "start_date": later.isoformat(), "review_date": (later + timedelta(days=200)).isoformat(),
        "review_interval_months": 12, "end_date": version.end_date.isoformat()}).status_code == 200
    problems = api.get(f"{URL}/{draft.reference}/draft").json["problems"]
    assert any("on or after the agreement's start date" in message for message in problems["obligations"])


def test_a_review_date_before_the_start_is_refused(councils, draft, api_as, signed_in_client):
    start = draft.latest_version.start_date
    client, api = signed_in_client(councils["LDS"].contributor), api_as(councils["LDS"].contributor)
    before = database_snapshot()
    response = _patch(api, f"{URL}/{draft.reference}/draft/dates", {
        "start_date": start.isoformat(), "review_date": (start - timedelta(days=1)).isoformat(), "review_interval_months": 12})
    assert response.status_code == 422 and response.json["fields"]["review_date"] == ["The review date must be on or after the start date"]
    page = post_form(client, f"/agreements/{draft.reference}/draft/dates", {
        **_date_parts("start_date", start), **_date_parts("review_date", start - timedelta(days=1)), "review_interval_months": "12"})
    assert page.status_code == 422 and 'href="#review_date-day">The review date must be on or after the start date' in page.get_data(as_text=True)
    assert database_snapshot() == before


def test_an_empty_review_date_filter_is_a_field_error_in_the_api(councils, draft, api_as):
    response = api_as(councils["LDS"].viewer).get(f"{URL}?review_due_before=")
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"review_due_before"}


def test_a_half_filled_review_date_filter_is_a_field_error_on_the_page(councils, draft, signed_in_client):
    page = signed_in_client(councils["LDS"].viewer).get("/agreements?review_due_before-day=3&review_due_before-month=&review_due_before-year=")
    assert page.status_code == 422 and 'href="#review_due_before-day">' in page.get_data(as_text=True)


@pytest.mark.parametrize("body", [None, b"", b"title=x"])
def test_a_patch_without_a_json_body_is_a_400_saying_so(councils, draft, api_as, body):
    api = api_as(councils["LDS"].contributor)
    before = database_snapshot()
    headers = {**api.headers, **({"Content-Type": "application/x-www-form-urlencoded"} if body else {})}
    response = api.client.patch(f"{URL}/{draft.reference}/draft/details", data=body, headers=headers)
    assert response.status_code == 400
    assert response.json["error"] == "json_body_needed" and "application/json" in response.json["message"]
    assert database_snapshot() == before


@pytest.mark.parametrize("value", [0, 1, "yes", "true", None])
def test_a_yes_or_no_is_a_json_boolean_and_nothing_else(councils, api_as, value):
    api = api_as(councils["LDS"].contributor)
    before = database_snapshot()
    response = api.post("/api/v1/datasets", json={"authority_code": "LDS", "name": "Housing waiting list", "security_classification": "OFFICIAL",
                                                  "items": [{"name": "Conviction", "criminal_offence": value}]})
    assert response.status_code == 422
    assert response.json["fields"] == {"items.0.criminal_offence": ["Must be true or false"]}
    assert database_snapshot() == before


def test_terms_answered_with_numbers_are_refused(councils, draft, api_as):
    response = _patch(api_as(councils["LDS"].contributor), f"{URL}/{draft.reference}/draft/terms", {
        "retention": "Two years.", "security_measures": "Encrypted.", "breach_notification_hours": 24,
        "onward_sharing_allowed": 0, "commercial_use_allowed": False, "international_transfers": False})
    assert response.status_code == 422 and set(response.json["fields"]) == {"onward_sharing_allowed"}
