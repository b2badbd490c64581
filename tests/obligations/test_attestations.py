"""Attesting: the owing party's approver says whether an obligation was met; it is audited, gets a receipt, and moves the due date on."""

from datetime import timedelta

import pytest

from registry.auditlog.models import AuditEntry
from registry.core.clock import today
from registry.extensions import db
from registry.obligations.models import Attestation
from tests.conftest import csrf_token_from, post_form
from tests.factories import make_authority, make_user
from tests.snapshots import database_snapshot

from ..agreements.builders import agreement_in


def test_the_owing_approver_attests_in_the_browser_and_gets_a_receipt(councils, obligation, signed_in_client):
    client = signed_in_client(councils["BRD"].approver)
    first_due = today() + timedelta(days=90)

    response = post_form(client, f"/obligations/{obligation.id}/attest", {
        "status": "met", "note": "Certificate renewed.", "evidence_reference": "CE+ 12345",
    })

    assert response.status_code == 302
    attestation = db.session.query(Attestation).one()
    assert (attestation.status, attestation.due_on, attestation.authority.code) == ("met", first_due, "BRD")
    entry = db.session.get(AuditEntry, attestation.audit_index)
    assert entry.action == "obligation.attest"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"/audit/entries/{attestation.audit_index}/receipt" in page
    receipt = client.get(f"/audit/entries/{attestation.audit_index}/receipt")
    assert receipt.status_code == 200 and receipt.mimetype == "text/plain"


def test_a_recurring_obligation_falls_due_again_a_period_later(councils, obligation, api_as):
    api = api_as(councils["BRD"].approver)
    first_due = today() + timedelta(days=90)

    api.post(f"/api/v1/obligations/{obligation.id}/attestations", json={"status": "met", "note": "Certificate renewed."})
    listed = api.get("/api/v1/obligations?authority=BRD&owed=by").json["items"]

    security = next(item for item in listed if item["type"] == "security_standard")
    assert security["next_due"] == first_due.replace(year=first_due.year + 1).isoformat()
    assert security["last_attestation"]["status"] == "met"
    assert security["last_attestation"]["due_on"] == first_due.isoformat()


def test_overdue_is_computed_from_the_date_not_stored(app, councils, active, api_as):
    api = api_as(councils["LDS"].viewer)

    def security_to_leeds():
        items = api.get("/api/v1/obligations?authority=LDS&owed=to").json["items"]
        return next(item for item in items if item["type"] == "security_standard")

    assert security_to_leeds()["overdue"] is False
    app.config["TODAY"] = today() + timedelta(days=91)
    assert security_to_leeds()["overdue"] is True
    assert not any("overdue" in column.name for column in Attestation.__table__.columns)


@pytest.mark.parametrize("who", [
    "contributor of the owing party", "viewer of the owing party", "approver of the party owed",
    "approver of a party not owed", "approver of an unrelated council", "auditor", "admin",
])
def test_only_the_owing_partys_approver_may_attest(councils, obligation, api_as, signed_in_client, who):
    people = {
        "contributor of the owing party": councils["BRD"].contributor,
        "viewer of the owing party": councils["BRD"].viewer,
        "approver of the party owed": councils["LDS"].approver,
        "approver of a party not owed": councils["KIR"].approver,
    }
    if who == "approver of an unrelated council":
        person = make_user(memberships={make_authority(code="WKF", name="Wakefield Council"): "approver"})
    elif who in ("auditor", "admin"):
        person = make_user(system_role=who)
    else:
        person = people[who]
    browser, api = signed_in_client(person), api_as(person)
    before = database_snapshot()

    by_api = api.post(f"/api/v1/obligations/{obligation.id}/attestations", json={"status": "met"})
    by_form = browser.post(f"/obligations/{obligation.id}/attest", data={"status": "met"})
    form_page = browser.get(f"/obligations/{obligation.id}/attest")

    assert by_api.status_code == 403
    assert by_api.json["error"] == "forbidden"
    # Without a CSRF token the form is refused before it is read; with one, the policy refuses it.
    assert by_form.status_code in (400, 403)
    assert form_page.status_code == 403
    assert database_snapshot() == before


def test_a_refused_form_with_a_valid_token_is_still_403_and_changes_nothing(councils, obligation, signed_in_client):
    browser = signed_in_client(councils["BRD"].contributor)
    # The sign-out button in every page's header carries the session's CSRF token.
    token = csrf_token_from(browser.get("/dashboard").get_data(as_text=True))
    before = database_snapshot()

    response = browser.post(f"/obligations/{obligation.id}/attest", data={"status": "met", "csrf_token": token})

    assert response.status_code == 403
    assert database_snapshot() == before


def test_an_attestation_needs_a_status(councils, obligation, signed_in_client, api_as):
    browser, api_client = signed_in_client(councils["BRD"].approver), api_as(councils["BRD"].approver)
    before = database_snapshot()

    page = post_form(browser, f"/obligations/{obligation.id}/attest", {"status": "done"})
    api = api_client.post(f"/api/v1/obligations/{obligation.id}/attestations", json={"note": "x"})

    assert page.status_code == 422
    assert 'href="#status">Say whether it was met, partly met or not met' in page.get_data(as_text=True)
    assert api.status_code == 422
    assert api.json["fields"] == {"status": ["Say whether it was met, partly met or not met"]}
    assert database_snapshot() == before


@pytest.mark.parametrize("state", ["draft", "proposed"])
def test_an_obligation_of_an_agreement_not_in_force_cannot_be_attested(councils, api_as, state):
    agreement = agreement_in(state, councils)
    obligation = next(o for o in agreement.latest_version.obligations if o.type == "security_standard")
    api = api_as(councils["BRD"].approver)
    before = database_snapshot()

    response = api.post(f"/api/v1/obligations/{obligation.id}/attestations", json={"status": "met"})

    assert response.status_code == 404
    assert database_snapshot() == before


def test_attesting_an_unknown_obligation_is_404(councils, api_as):
    response = api_as(councils["BRD"].approver).post("/api/v1/obligations/999999/attestations", json={"status": "met"})
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


def test_the_log_holds_hashes_of_the_free_text_not_the_text(councils, obligation, api_as):
    response = api_as(councils["BRD"].approver).post(
        f"/api/v1/obligations/{obligation.id}/attestations",
        json={"status": "not_met", "note": "Lapsed in March.", "evidence_reference": "RISK-7"},
    )

    entry = db.session.get(AuditEntry, response.json["audit_index"])
    text = entry.entry.decode()
    assert "Lapsed in March." not in text and "RISK-7" not in text
    assert "note_sha256" in text and '"status":"not_met"' in text.replace(" ", "")


def test_a_form_sent_twice_attests_once_and_the_second_is_told_why(councils, obligation, signed_in_client):
    client = signed_in_client(councils["BRD"].approver)
    url = f"/obligations/{obligation.id}/attest"
    first_due = today() + timedelta(days=90)
    page = client.get(url).get_data(as_text=True)
    assert f'name="due_on" value="{first_due.isoformat()}"' in page
    form = {"csrf_token": csrf_token_from(page), "due_on": first_due.isoformat(), "status": "met"}

    first = client.post(url, data=form)
    before = database_snapshot()
    second = client.post(url, data=form)

    assert first.status_code == 302
    assert second.status_code == 409
    assert "no longer due on" in second.get_data(as_text=True)
    assert database_snapshot() == before
    assert [a.due_on for a in db.session.query(Attestation)] == [first_due]


def test_the_api_refuses_an_attestation_for_a_date_no_longer_due(councils, obligation, api_as):
    api = api_as(councils["BRD"].approver)
    first_due = today() + timedelta(days=90)
    url = f"/api/v1/obligations/{obligation.id}/attestations"
    assert api.post(url, json={"status": "met", "due_on": first_due.isoformat()}).status_code == 201
    before = database_snapshot()

    again = api.post(url, json={"status": "met", "due_on": first_due.isoformat()})

    assert again.status_code == 409
    assert again.json["error"] == "conflict"
    assert again.json["details"]["next_due"] > first_due.isoformat()
    assert database_snapshot() == before


def test_the_database_holds_one_attestation_per_due_date(councils, active, obligation):
    import sqlalchemy as sa

    first_due = today() + timedelta(days=90)

    def attestation():
        return Attestation(
            obligation=obligation, lineage=obligation.lineage, agreement_id=active.id,
            authority_id=councils["BRD"].authority.id, due_on=first_due, status="met",
            attested_by_id=councils["BRD"].approver.id,
        )

    db.session.add(attestation())
    db.session.commit()
    db.session.add(attestation())
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
