"""The auditors' pages: the log newest first with filters, one entry in words, and the export download."""

import io
import re
import tarfile

import pytest

from registry.auditlog.verifier import verify_bundle
from tests.conftest import post_form
from tests.factories import make_authority, make_user


@pytest.fixture
def auditor_client(app, signed_in_client, admin):
    leeds = make_authority(code="LDS", name="Leeds City Council")
    make_authority(code="BRD", name="Bradford Council")
    person = make_user(name="Mo Member", email="mo@example.org")
    admin_client = signed_in_client(admin)
    post_form(admin_client, f"/users/{person.id}/memberships", {"authority_code": "LDS", "role": "approver"}, from_page="/account")
    post_form(admin_client, f"/users/{person.id}/memberships", {"authority_code": "BRD", "role": "viewer"}, from_page="/account")
    assert leeds
    return signed_in_client(make_user(system_role="auditor", email="auditor@example.org"))


def _rows(response) -> list[str]:
    html = response.get_data(as_text=True)
    body = html[html.index("<tbody") : html.index("</tbody>")] if "<tbody" in html else ""
    return re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S)


def test_the_log_lists_entries_newest_first(auditor_client):
    response = auditor_client.get("/audit")
    assert response.status_code == 200
    indexes = [int(re.search(r">(\d+)</a>", row).group(1)) for row in _rows(response)]
    assert indexes == sorted(indexes, reverse=True)


def test_the_log_filters_by_authority_action_and_actor(auditor_client, admin):
    by_authority = _rows(auditor_client.get("/audit?authority=brd"))
    assert len(by_authority) == 1 and "Role given" in by_authority[0]

    by_action = _rows(auditor_client.get("/audit?action=membership.grant"))
    assert len(by_action) == 2

    by_actor = _rows(auditor_client.get("/audit", query_string={"actor": admin.email, "action": "membership.grant"}))
    assert len(by_actor) == 2 and all(admin.name in row for row in by_actor)

    assert _rows(auditor_client.get("/audit?actor=nobody@example.org")) == []


def test_the_authority_filter_offers_the_authorities_the_log_speaks_of_by_name(auditor_client):
    html = auditor_client.get("/audit?authority=brd").get_data(as_text=True)
    select = html[html.index('<select class="govuk-select" id="authority"') : html.index("</select>")]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    assert [(value, text) for value, _, text in options] == [("", "Any authority"), ("BRD", "Bradford Council"), ("LDS", "Leeds City Council")]
    assert [value for value, selected, _ in options if selected] == ["BRD"]


def test_the_log_filters_by_date(auditor_client):
    from registry.core.clock import today

    day = today()
    query = {"since-day": day.day, "since-month": day.month, "since-year": day.year}
    assert len(_rows(auditor_client.get("/audit", query_string=query))) > 0
    next_year = {"since-day": 1, "since-month": 1, "since-year": day.year + 1}
    assert _rows(auditor_client.get("/audit", query_string=next_year)) == []


def test_an_impossible_date_is_explained_linking_to_the_day_box(auditor_client):
    response = auditor_client.get("/audit?since-day=31&since-month=2&since-year=2026")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#since-day">The from date must be a real date' in html


def test_an_entry_page_says_what_changed_and_links_its_receipt(auditor_client):
    response = auditor_client.get("/audit?action=membership.grant")
    index = re.search(r'href="/audit/log/(\d+)"', response.get_data(as_text=True)).group(1)
    html = auditor_client.get(f"/audit/log/{index}").get_data(as_text=True)
    assert "Role given" in html
    assert "viewer" in html or "approver" in html
    assert f"/audit/entries/{index}/receipt" in html


def test_the_log_names_authorities_with_their_codes_beside_them(auditor_client):
    (row,) = _rows(auditor_client.get("/audit?authority=brd"))
    assert "(Bradford Council)" in row and "authority Bradford Council (BRD)" in row
    index = re.search(r'href="/audit/log/(\d+)"', row).group(1)
    html = auditor_client.get(f"/audit/log/{index}").get_data(as_text=True)
    assert "Bradford Council (BRD)" in html


def test_an_entry_page_shows_the_signed_bytes_as_preformatted_text_not_as_tags(auditor_client):
    response = auditor_client.get("/audit?action=membership.grant")
    index = re.search(r'href="/audit/log/(\d+)"', response.get_data(as_text=True)).group(1)
    html = auditor_client.get(f"/audit/log/{index}").get_data(as_text=True)
    assert '<pre class="app-code">{&#34;action&#34;:&#34;membership.grant&#34;' in html
    assert "&lt;pre" not in html


def test_the_export_download_verifies_offline(auditor_client, tmp_path):
    response = auditor_client.get("/audit/export")
    assert response.status_code == 200
    assert response.mimetype == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(response.data), mode="r:gz") as archive:
        archive.extractall(tmp_path, filter="data")
    report = verify_bundle(tmp_path / "audit-log", jobs=1)
    assert report.ok, report.summary()


@pytest.mark.parametrize("path", ["/audit", "/audit/log/0", "/audit/export"])
def test_people_who_are_not_auditors_cannot_see_the_log_pages(app, signed_in_client, path, admin):
    council = make_authority()
    for person in (make_user(memberships={council: "approver"}), admin):
        assert signed_in_client(person).get(path).status_code == 403
