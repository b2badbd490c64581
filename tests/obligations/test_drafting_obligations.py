"""Obligations are part of the draft: added, changed and removed through the UI and the API, and part of what is approved."""

from datetime import timedelta

import pytest

from registry.agreements import content, drafting
from registry.agreements.queries import agreement_by_reference
from registry.auditlog.models import AuditEntry
from registry.core.clock import today
from registry.extensions import db
from tests.conftest import post_form
from tests.snapshots import database_snapshot

from ..agreements.builders import agreement_in, complete_draft, three_councils


@pytest.fixture
def councils(app):
    return three_councils()


def _parties(agreement):
    return {p.authority.code: p for p in agreement.latest_version.parties}


def test_an_obligation_added_in_the_form_is_in_the_draft_and_the_log(councils, signed_in_client):
    agreement = complete_draft(councils)
    parties = _parties(agreement)
    client = signed_in_client(councils["BRD"].contributor)
    due = today() + timedelta(days=60)

    response = post_form(client, f"/agreements/{agreement.reference}/draft/obligations/new", {
        "lock_version": agreement.lock_version,
        "owed_by_party_id": parties["BRD"].id, "owed_to_party_id": parties["LDS"].id, "type": "retention",
        "description": "Delete the data when the project ends.", "due_kind": "date",
        "due_date-day": due.day, "due_date-month": due.month, "due_date-year": due.year,
    })

    assert response.status_code == 302
    obligation = agreement_by_reference(agreement.reference).latest_version.obligations[-1]
    assert (obligation.type, obligation.due_kind, obligation.due_date) == ("retention", "date", due)
    assert obligation.owed_by.authority.code == "BRD" and obligation.owed_to.authority.code == "LDS"
    entry = db.session.query(AuditEntry).order_by(AuditEntry.index.desc()).first()
    assert entry.action == "agreement.add_obligation"
    page = client.get(f"/agreements/{agreement.reference}/draft").get_data(as_text=True)
    assert "Delete the data when the project ends." in page


def test_a_malformed_recurrence_gets_clear_errors_and_changes_nothing(councils, signed_in_client):
    agreement = complete_draft(councils)
    parties = _parties(agreement)
    client = signed_in_client(councils["LDS"].contributor)
    url = f"/agreements/{agreement.reference}/draft/obligations/new"
    client.get(url)
    before = database_snapshot()

    response = post_form(client, url, {
        "owed_by_party_id": parties["BRD"].id, "type": "security_standard", "due_kind": "recurring",
        "every_months": "yearly", "due_date-day": "31", "due_date-month": "2", "due_date-year": "2027",
    })

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "govuk-error-summary" in html
    assert 'href="#every_months">Enter the number of months as a whole number, like 12' in html
    assert 'href="#due_date-day">The due date must be a real date' in html
    assert 'href="#description">Describe what is owed' in html
    assert database_snapshot() == before


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"due_kind": "recurring", "due_date": "2027-01-01"}, "every_months", "Enter how many months apart it falls due, like 12 for every year"),
    ({"due_kind": "recurring", "due_date": "2027-01-01", "every_months": 0}, "every_months", "Enter between 1 and 120 months"),
    ({"due_kind": "recurring", "every_months": 12}, "due_date", "Enter the date it first falls due"),
    ({"due_kind": "recurring", "due_date": "2027-01-01", "every_months": "annually"}, "every_months", "Enter the number of months as a whole number, like 12"),
    # "31/12/9999" for "never" would overflow the schedule's and the calendar's arithmetic.
    ({"due_kind": "recurring", "due_date": "9999-12-31", "every_months": 12}, "due_date", "The due date must be between 1900 and 2199"),
    ({"due_kind": "event", "within_hours": 72}, "event", "Describe the event, like a breach of the shared data"),
    ({"due_kind": "event", "event": "a breach"}, "within_hours", "Enter within how many hours of the event, like 72"),
    ({"due_kind": "fortnightly"}, "due_kind", "Say when it falls due"),
])
def test_the_api_refuses_a_malformed_due_rule_naming_the_field(councils, api_as, body, field, message):
    agreement = complete_draft(councils)
    parties = _parties(agreement)
    api = api_as(councils["LDS"].contributor)
    before = database_snapshot()

    response = api.post(f"/api/v1/agreements/{agreement.reference}/draft/obligations", json={
        "owed_by_party_id": parties["BRD"].id, "type": "security_standard", "description": "Keep certified.", **body,
    })

    assert response.status_code == 422
    assert response.json["fields"][field] == [message]
    assert database_snapshot() == before


def test_an_obligation_must_be_owed_by_and_to_parties_of_the_draft(councils, api_as):
    agreement = complete_draft(councils)
    parties = _parties(agreement)
    other = complete_draft(councils)
    api = api_as(councils["LDS"].contributor)
    url = f"/api/v1/agreements/{agreement.reference}/draft/obligations"
    body = {"type": "retention", "description": "Delete it.", "due_kind": "date", "due_date": "2027-06-01"}

    not_a_party = api.post(url, json={**body, "owed_by_party_id": _parties(other)["BRD"].id})
    to_itself = api.post(url, json={**body, "owed_by_party_id": parties["BRD"].id, "owed_to_party_id": parties["BRD"].id})

    assert not_a_party.status_code == 422
    assert not_a_party.json["fields"]["owed_by_party_id"] == ["Choose a party to the agreement"]
    assert to_itself.status_code == 422
    assert "owed_to_party_id" in to_itself.json["fields"]


def test_changing_the_kind_of_due_date_leaves_nothing_stale(councils, api_as):
    agreement = complete_draft(councils)
    obligation = agreement.latest_version.obligations[0]  # recurring
    api = api_as(councils["LDS"].contributor)

    response = api.put(f"/api/v1/agreements/{agreement.reference}/draft/obligations/{obligation.id}", json={
        "owed_by_party_id": obligation.owed_by_party_id, "type": "breach_notification", "description": "Report breaches.",
        "due_kind": "event", "event": "a breach", "within_hours": 72, "due_date": "2027-01-01", "every_months": 12,
    })

    assert response.status_code == 200, response.json
    assert (response.json["due_date"], response.json["every_months"], response.json["within_hours"]) == (None, None, 72)
    assert response.json["owed_to_party_id"] is None


def test_obligations_are_part_of_what_the_parties_approve(councils):
    agreement = complete_draft(councils)
    draft = agreement.latest_version
    before = content.content_hash(content.canonical(content.version_document(draft)))

    drafting.update_obligation(councils["LDS"].contributor, agreement, draft.obligations[0].id, {
        "owed_by_party_id": draft.obligations[0].owed_by_party_id, "owed_to_party_id": None, "type": "security_standard",
        "description": "Hold the Data Security and Protection Toolkit at Standards Met.", "due_kind": "recurring",
        "due_date": today() + timedelta(days=90), "every_months": 12,
    })
    document = content.version_document(draft)

    assert content.content_hash(content.canonical(document)) != before
    assert {o["type"] for o in document["obligations"]} == {"security_standard", "breach_notification"}


def test_an_amendment_keeps_each_obligations_lineage(councils):
    agreement = agreement_in("active", councils)
    from registry.agreements import services

    services.amend(councils["LDS"].contributor, agreement)
    db.session.commit()

    in_force = {o.lineage for o in agreement.current_version.obligations}
    amended = {o.lineage for o in agreement.pending_version.obligations}
    assert in_force == amended and len(amended) == 2
    assert {o.id for o in agreement.current_version.obligations}.isdisjoint({o.id for o in agreement.pending_version.obligations})


def _obligation_body(obligation, **changes) -> dict:
    body = {field: getattr(obligation, field) for field in (
        "owed_by_party_id", "owed_to_party_id", "type", "description", "due_kind", "due_date", "every_months",
        "event", "within_hours")}
    return {**body, **changes}


def test_an_amendment_that_changes_who_owes_it_or_when_makes_it_a_new_obligation(councils):
    from registry.agreements import services

    agreement = agreement_in("active", councils)
    services.amend(councils["LDS"].contributor, agreement)
    db.session.commit()
    draft = agreement.pending_version
    security = next(o for o in draft.obligations if o.type == "security_standard")
    breach = next(o for o in draft.obligations if o.type == "breach_notification")
    security_lineage, breach_lineage = security.lineage, breach.lineage
    parties = {p.authority.code: p for p in draft.parties}
    editor = councils["LDS"].contributor

    drafting.update_obligation(editor, agreement, breach.id, _obligation_body(breach, description="Within a day."))
    drafting.update_obligation(editor, agreement, security.id, _obligation_body(
        security, owed_by_party_id=parties["KIR"].id))
    db.session.commit()

    # The wording changed: the same obligation. Someone else owes it now: a new one.
    assert breach.lineage == breach_lineage
    assert security.lineage != security_lineage
    entry = db.session.query(AuditEntry).order_by(AuditEntry.index.desc()).first()
    assert entry.action == "agreement.update_obligation" and '"new_lineage":true' in entry.entry.decode()


def test_removing_a_party_removes_what_it_owes_and_is_owed(councils):
    agreement = complete_draft(councils)
    brd = _parties(agreement)["BRD"]
    security = next(o for o in agreement.latest_version.obligations if o.type == "security_standard")

    drafting.remove_party(councils["LDS"].contributor, agreement, brd.id)
    db.session.commit()

    assert [o.type for o in agreement.latest_version.obligations] == ["breach_notification"]
    entry = db.session.query(AuditEntry).order_by(AuditEntry.index.desc()).first()
    assert entry.action == "agreement.remove_party"
    assert f'"obligations":["{security.lineage}"]' in entry.entry.decode()


def test_a_frozen_version_cannot_have_obligations_added(councils, api_as):
    agreement = agreement_in("proposed", councils)
    parties = _parties(agreement)
    api = api_as(councils["LDS"].contributor)
    before = database_snapshot()

    response = api.post(f"/api/v1/agreements/{agreement.reference}/draft/obligations", json={
        "owed_by_party_id": parties["BRD"].id, "type": "other", "description": "Anything.", "due_kind": "date", "due_date": "2027-01-01",
    })

    assert response.status_code == 422
    assert response.json["fields"] == {"agreement": ["This agreement has no draft to edit: it is proposed or in force"]}
    assert database_snapshot() == before
