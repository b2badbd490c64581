"""The counterpart view: what another authority owes mine, what mine owes it, and what is overdue, as a page, CSV and JSON."""

import csv
import io
from datetime import timedelta

import pytest

from registry.agreements import drafting
from registry.core.clock import today
from registry.extensions import db
from tests.factories import make_authority, make_user

from ..agreements.builders import agreement_in


def test_leeds_sees_what_bradford_owes_it_and_nothing_it_owes_bradford(councils, active, signed_in_client):
    page = signed_in_client(councils["LDS"].viewer).get("/authorities/LDS/partners/BRD")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    owed_to_us, owed_by_us = html.split("What Leeds City Council owes")[0], html.split("What Leeds City Council owes")[1]
    assert "Hold Cyber Essentials Plus and send the certificate." in owed_to_us
    assert "Nothing is recorded." in owed_by_us
    assert active.reference in html


def test_an_obligation_owed_to_every_other_party_shows_for_each_of_them(councils, active, api_as):
    api = api_as(councils["LDS"].viewer)

    from_kirklees = api.get("/api/v1/authorities/LDS/partners/KIR").json

    assert [item["type"] for item in from_kirklees["they_owe_us"]] == ["breach_notification"]
    assert set(from_kirklees["they_owe_us"][0]["owed_to"]) == {"LDS", "BRD"}
    assert from_kirklees["we_owe_them"] == []


def test_overdue_shows_on_both_sides_once_the_due_date_passes(app, councils, active, api_as):
    leeds, bradford = api_as(councils["LDS"].viewer), api_as(councils["BRD"].viewer)
    app.config["TODAY"] = today() + timedelta(days=91)

    seen_by_leeds = leeds.get("/api/v1/authorities/LDS/partners/BRD").json
    seen_by_bradford = bradford.get("/api/v1/authorities/BRD/partners/LDS").json

    assert seen_by_leeds["overdue_to_us"] == 1 and seen_by_leeds["they_owe_us"][0]["overdue"] is True
    assert seen_by_bradford["overdue_by_us"] == 1 and seen_by_bradford["we_owe_them"][0]["overdue"] is True


def test_the_csv_has_a_row_per_obligation_matching_the_json(app, councils, active, signed_in_client, api_as):
    client = signed_in_client(councils["BRD"].viewer)
    as_json = api_as(councils["BRD"].viewer).get("/api/v1/authorities/BRD/partners/LDS").json

    response = client.get("/authorities/BRD/partners/LDS.csv")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == len(as_json["they_owe_us"]) + len(as_json["we_owe_them"]) == 1
    assert rows[0]["direction"] == "owed_by_us"
    assert rows[0]["agreement_reference"] == active.reference
    assert rows[0]["next_due"] == as_json["we_owe_them"][0]["next_due"]
    assert rows[0]["overdue"] == "no"
    assert (rows[0]["owed_by"], rows[0]["owed_by_name"]) == ("BRD", "Bradford Council")
    assert as_json["we_owe_them"][0]["owed_to_names"] == ["Leeds City Council"] and rows[0]["owed_to_names"] == "Leeds City Council"


def test_csv_cells_a_spreadsheet_would_run_are_made_inert(councils, signed_in_client):
    agreement = agreement_in("draft", councils)
    parties = {p.authority.code: p for p in agreement.latest_version.parties}
    drafting.add_obligation(councils["LDS"].contributor, agreement, {
        "owed_by_party_id": parties["BRD"].id, "owed_to_party_id": parties["LDS"].id, "type": "other",
        "description": '=HYPERLINK("http://example.invalid","x")', "due_kind": "date", "due_date": today() + timedelta(days=10),
    })
    db.session.commit()
    from registry.agreements import services
    from registry.users.actors import SCHEDULER

    services.submit(councils["LDS"].contributor, agreement)
    for code in ("LDS", "BRD", "KIR"):
        services.approve(councils[code].approver, agreement, councils[code].authority, content_hash=agreement.latest_version.content_hash)
    services.start(SCHEDULER, agreement)
    db.session.commit()

    rows = list(csv.DictReader(io.StringIO(signed_in_client(councils["LDS"].viewer).get("/authorities/LDS/partners/BRD.csv").get_data(as_text=True))))

    formula_row = next(row for row in rows if row["type"] == "other")
    assert formula_row["description"] == '\'=HYPERLINK("http://example.invalid","x")'


@pytest.mark.parametrize("url", [
    "/authorities/NOPE/partners/BRD", "/authorities/LDS/partners/NOPE",
    "/authorities/LDS/partners/NOPE.csv", "/authorities/LDS/partners/LDS",
])
def test_an_unknown_authority_in_the_counterpart_view_is_404(councils, active, signed_in_client, url):
    assert signed_in_client(councils["LDS"].viewer).get(url).status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/authorities/NOPE/partners/BRD", "/api/v1/authorities/LDS/partners/NOPE"])
def test_the_api_answers_an_unknown_authority_with_404_json(councils, active, api_as, url):
    response = api_as(councils["LDS"].viewer).get(url)
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


@pytest.mark.parametrize("who", ["member of the other authority", "member of an unrelated council", "admin"])
def test_only_members_and_auditors_see_what_an_authority_owes_and_is_owed(councils, active, signed_in_client, api_as, who):
    person = {
        "member of the other authority": councils["BRD"].approver,
        "member of an unrelated council": make_user(memberships={make_authority(code="WKF", name="Wakefield Council"): "approver"}),
        "admin": make_user(system_role="admin"),
    }[who]

    assert signed_in_client(person).get("/authorities/LDS/partners/BRD").status_code == 403
    assert signed_in_client(person).get("/authorities/LDS/partners/BRD.csv").status_code == 403
    assert api_as(person).get("/api/v1/authorities/LDS/partners/BRD").status_code == 403
    assert api_as(person).get("/api/v1/obligations?authority=LDS").status_code == 403


def test_an_auditor_sees_any_authoritys_counterparts(councils, active, signed_in_client):
    assert signed_in_client(make_user(system_role="auditor")).get("/authorities/LDS/partners/BRD").status_code == 200


def test_the_obligations_list_needs_an_authority(councils, api_as):
    response = api_as(councils["LDS"].viewer).get("/api/v1/obligations")
    assert response.status_code == 422
    assert response.json["fields"] == {"authority": ["Give the code of an authority, like BRD"]}


def test_the_excel_download_has_the_same_rows_as_the_csv(councils, active, signed_in_client):
    from openpyxl import load_workbook

    client = signed_in_client(councils["LDS"].viewer)
    as_csv = list(csv.DictReader(io.StringIO(client.get("/authorities/LDS/partners/BRD.csv").get_data(as_text=True))))
    response = client.get("/authorities/LDS/partners/BRD.xlsx")

    assert response.status_code == 200
    header, *rows = load_workbook(io.BytesIO(response.get_data()), read_only=True).active.iter_rows(values_only=True)
    assert list(header) == list(as_csv[0])
    as_excel = [dict(zip(header, row)) for row in rows]
    assert [row["agreement_reference"] for row in as_excel] == [row["agreement_reference"] for row in as_csv]
    assert [row["description"] for row in as_excel] == [row["description"] for row in as_csv]


def test_an_authoritys_obligations_download_matches_the_apis_list(councils, active, signed_in_client, api_as):
    from openpyxl import load_workbook

    as_json = api_as(councils["BRD"].viewer).get("/api/v1/obligations?authority=BRD").json
    response = signed_in_client(councils["BRD"].viewer).get("/authorities/BRD/obligations.xlsx")

    assert response.status_code == 200
    header, *rows = load_workbook(io.BytesIO(response.get_data()), read_only=True).active.iter_rows(values_only=True)
    as_excel = [dict(zip(header, row)) for row in rows]
    assert len(as_excel) == len(as_json["items"]) > 0
    assert [(row["agreement_reference"], row["owed_by"], row["description"]) for row in as_excel] == [
        (item["agreement_reference"], item["owed_by"], item["description"]) for item in as_json["items"]
    ]
    assert {row["direction"] for row in as_excel if row["owed_by"] == "BRD"} == {"owed_by_us"}


def test_the_authority_page_links_to_its_obligations_download_for_its_people_only(councils, active, signed_in_client):
    link = 'href="/authorities/LDS/obligations.csv"'

    assert link in signed_in_client(councils["LDS"].viewer).get("/authorities/LDS").get_data(as_text=True)
    assert link not in signed_in_client(councils["BRD"].viewer).get("/authorities/LDS").get_data(as_text=True)
    assert signed_in_client(councils["BRD"].viewer).get("/authorities/LDS/obligations.csv").status_code == 403
