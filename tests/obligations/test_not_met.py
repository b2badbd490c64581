"""An obligation attested as not met (or partly met) says what was missed, and stands as not met until an attestation says met."""

import csv
import io
from datetime import timedelta

import pytest

from registry.core.clock import today
from registry.extensions import db
from registry.obligations.models import Attestation
from tests.conftest import post_form

from ..reminders import move_to, outbox, send


def _attest(api, obligation, **body):
    return api.post(f"/api/v1/obligations/{obligation.id}/attestations", json=body)


def _listed(api, obligation, authority="BRD"):
    items = api.get(f"/api/v1/obligations?authority={authority}").json["items"]
    return next(item for item in items if item["obligation_id"] == obligation.id)


@pytest.mark.parametrize("status", ["not_met", "partly_met"])
def test_not_met_needs_a_note_saying_what_was_missed(councils, obligation, api_as, signed_in_client, status):
    response = _attest(api_as(councils["BRD"].approver), obligation, status=status)
    assert response.status_code == 422
    assert "what was not met" in response.json["fields"]["note"][0]

    form = post_form(signed_in_client(councils["BRD"].approver), f"/obligations/{obligation.id}/attest", {"status": status})
    assert form.status_code == 422
    assert 'href="#note">Say what was not met' in form.get_data(as_text=True)
    assert db.session.query(Attestation).count() == 0


def test_met_needs_no_note(councils, obligation, api_as):
    assert _attest(api_as(councils["BRD"].approver), obligation, status="met").status_code == 201


def test_not_met_keeps_the_date_open_and_stands_as_not_met_until_met(app, councils, obligation, api_as):
    approver = api_as(councils["BRD"].approver)
    first_due = today() + timedelta(days=90)

    assert _attest(approver, obligation, status="not_met", note="Certificate lapsed; renewal booked for March.").status_code == 201
    item = _listed(approver, obligation)
    assert item["next_due"] == first_due.isoformat()  # the date is still open
    assert item["not_met"] is True and item["standing"] == "not_met" and item["standing_name"] == "Not met"
    assert item["attestations_for_due"] == 1

    move_to(app, first_due + timedelta(days=1))
    item = _listed(approver, obligation)
    assert item["overdue"] is True and item["not_met"] is True

    assert _attest(approver, obligation, status="met", note="Renewed.", sequence=2).status_code == 201
    item = _listed(approver, obligation)
    assert item["not_met"] is False and item["overdue"] is False
    assert item["next_due"] == first_due.replace(year=first_due.year + 1).isoformat()
    assert [a.sequence for a in db.session.query(Attestation).order_by(Attestation.id)] == [1, 2]


def test_the_dashboard_and_the_counterpart_view_show_it_as_not_met(councils, obligation, api_as, signed_in_client):
    _attest(api_as(councils["BRD"].approver), obligation, status="partly_met", note="Two of three controls in place.")

    leeds = signed_in_client(councils["LDS"].approver)
    dashboard = leeds.get("/dashboard").get_data(as_text=True)
    assert "What partners owe us that they say is not met" in dashboard and "Two of three controls in place." in dashboard
    bradford = signed_in_client(councils["BRD"].approver).get("/dashboard").get_data(as_text=True)
    assert "What we owe that we said is not met" in bradford

    counterpart = api_as(councils["LDS"].approver).get("/api/v1/authorities/LDS/partners/BRD").json
    assert counterpart["not_met_to_us"] == 1 and counterpart["they_owe_us"][0]["standing"] == "partly_met"
    page = leeds.get("/authorities/LDS/partners/BRD").get_data(as_text=True)
    assert "Partly met" in page and "not met for" in page

    rows = list(csv.DictReader(io.StringIO(leeds.get("/authorities/LDS/partners/BRD.csv").get_data(as_text=True))))
    (security,) = [row for row in rows if row["type"] == "security_standard"]
    assert security["not_met"] == "yes" and security["standing"] == "Partly met"


def test_the_api_filters_what_is_not_met(councils, obligation, api_as):
    api = api_as(councils["BRD"].approver)
    _attest(api, obligation, status="not_met", note="Not yet.")
    items = api.get("/api/v1/obligations?authority=BRD&not_met=true").json["items"]
    assert [item["obligation_id"] for item in items] == [obligation.id]
    assert obligation.id not in [item["obligation_id"] for item in api.get("/api/v1/obligations?authority=BRD&not_met=false").json["items"]]


def test_a_not_met_form_sent_twice_records_one_attestation(councils, obligation, signed_in_client):
    client = signed_in_client(councils["BRD"].approver)
    page = client.get(f"/obligations/{obligation.id}/attest").get_data(as_text=True)
    assert 'name="sequence" value="1"' in page
    from tests.conftest import csrf_token_from

    form = {"csrf_token": csrf_token_from(page), "status": "not_met", "note": "Lapsed.", "sequence": "1",
            "due_on": (today() + timedelta(days=90)).isoformat()}
    assert client.post(f"/obligations/{obligation.id}/attest", data=form).status_code == 302
    again = client.post(f"/obligations/{obligation.id}/attest", data=form)
    assert again.status_code == 409
    assert "Someone attested to this obligation while you were reading it" in again.get_data(as_text=True)
    assert db.session.query(Attestation).count() == 1


def test_reminders_say_it_was_not_met(app, runner, councils, obligation, api_as, smtp_server):
    _attest(api_as(councils["BRD"].approver), obligation, status="not_met", note="Lapsed.")
    move_to(app, today() + timedelta(days=91))
    send(runner)
    subjects = [m.subject for m in outbox() if "Obligation" in m.subject]
    assert subjects and all(s.startswith("Obligation not met, overdue: Security standard") for s in subjects)
    body = next(m.body for m in outbox() if "Obligation" in m.subject)
    assert "Bradford Council said it was not met, so it stands as not met." in body
