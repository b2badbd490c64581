"""Administrators add and edit partner bodies, in the UI and the API; nobody else can."""

import sqlalchemy as sa

from registry.authorities.models import Authority
from registry.extensions import db
from tests.conftest import post_form
from tests.factories import make_authority, make_user

TRUST = {
    "type": "NHS_TRUST",
    "name": "Leeds Teaching Hospitals NHS Trust",
    "code": "NHS-RR8",
    "ods_code": "rr8",
    "nation": "England",
}


def _authority_count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Authority))


def test_admin_adds_a_partner_body_in_the_ui(signed_in_client, admin):
    client = signed_in_client(admin)
    response = post_form(client, "/authorities/new-partner", TRUST)
    assert response.status_code == 302
    assert response.headers["Location"] == "/authorities/NHS-RR8"
    trust = db.session.scalar(sa.select(Authority).where(Authority.code == "NHS-RR8"))
    assert trust.ods_code == "RR8"
    assert trust.type_name == "NHS trust"
    assert "Leeds Teaching Hospitals NHS Trust has been added" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_nhs_trust_needs_an_ods_code(signed_in_client, admin):
    response = post_form(signed_in_client(admin), "/authorities/new-partner", {**TRUST, "ods_code": ""})
    assert response.status_code == 422
    assert "Enter the ODS code" in response.get_data(as_text=True)
    assert _authority_count() == 0


def test_form_errors_are_listed_in_the_error_summary(signed_in_client, admin):
    response = post_form(signed_in_client(admin), "/authorities/new-partner", {})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for anchor, message in [("#type", "Select the type of body"), ("#name", "Enter the body"), ("#code", "Enter a code")]:
        assert f'href="{anchor}">{message}' in html


def test_a_duplicate_code_is_refused(signed_in_client, admin):
    make_authority(code="NHS-RR8", type="NHS_TRUST", ods_code="XX1")
    response = post_form(signed_in_client(admin), "/authorities/new-partner", TRUST)
    assert response.status_code == 422
    assert "Another authority already has the code NHS-RR8" in response.get_data(as_text=True)
    assert _authority_count() == 1


def test_three_letter_codes_are_kept_for_councils(signed_in_client, admin):
    response = post_form(signed_in_client(admin), "/authorities/new-partner", {**TRUST, "code": "ABC"})
    assert response.status_code == 422
    assert "Three-letter codes are kept for councils" in response.get_data(as_text=True)


def test_admin_edits_a_partner_body_but_not_its_code(signed_in_client, admin):
    make_authority(code="POLICE-WYP", name="West Yorkshire Police", type="POLICE")
    client = signed_in_client(admin)
    response = post_form(client, "/authorities/POLICE-WYP/edit", {"type": "POLICE", "name": "West Yorkshire Police Force", "code": "CHANGED"})
    assert response.status_code == 302
    police = db.session.scalar(sa.select(Authority).where(Authority.code == "POLICE-WYP"))
    assert police.name == "West Yorkshire Police Force"


def test_councils_cannot_be_edited_in_the_ui(signed_in_client, admin):
    make_authority(code="HPL", name="Hartlepool Borough Council")
    assert signed_in_client(admin).get("/authorities/HPL/edit").status_code == 403


def test_people_who_are_not_administrators_cannot_add_partners(signed_in_client):
    council = make_authority()
    approver = make_user(memberships={council: "approver"})
    client = signed_in_client(approver)
    assert client.get("/authorities/new-partner").status_code == 403
    response = post_form(client, "/authorities/new-partner", TRUST, from_page="/dashboard")
    assert response.status_code == 403
    assert _authority_count() == 1


def test_admin_adds_a_partner_through_the_api(api_as, admin):
    response = api_as(admin).post("/api/v1/authorities", json={**TRUST, "code": "nhs-rr8"})
    assert response.status_code == 201
    assert response.json["code"] == "NHS-RR8"
    assert response.json["ods_code"] == "RR8"
    assert response.json["is_local_authority"] is False


def test_api_refuses_a_viewer_with_403_and_changes_nothing(api_as):
    council = make_authority()
    viewer = make_user(memberships={council: "viewer"})
    response = api_as(viewer).post("/api/v1/authorities", json=TRUST)
    assert response.status_code == 403
    assert response.json["error"] == "forbidden"
    assert _authority_count() == 1


def test_api_names_the_fields_of_a_malformed_body(api_as, admin):
    response = api_as(admin).post("/api/v1/authorities", json={"type": "CASTLE", "code": "!"})
    assert response.status_code == 422
    assert response.json["error"] == "validation_failed"
    assert set(response.json["fields"]) == {"type", "code", "name"}
    assert _authority_count() == 0


def test_api_refuses_a_body_that_is_not_json(api_as, admin):
    response = api_as(admin).client.post(
        "/api/v1/authorities", data="code=X", headers={**api_as(admin).headers, "Content-Type": "text/plain"}
    )
    assert response.status_code == 400
    assert response.is_json and response.json["error"] == "json_body_needed"
    assert "Content-Type: application/json, not text/plain" in response.json["message"]
