"""Administrators add and change legal bases through the web forms; nobody else can."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.legal.models import LegalBasis
from registry.legal.queries import legal_basis_by_code
from tests.audit.helpers import entry_bodies
from tests.conftest import post_form
from tests.factories import make_authority, make_legal_basis, make_user
from tests.snapshots import database_snapshot

GATEWAY = {
    "kind": "gateway",
    "mandatory": "true",
    "code": "gw-hra2017-s10",
    "citation": "Homelessness Reduction Act 2017, section 10",
    "title": "Homelessness Reduction Act 2017, section 10",
    "summary": "Specified public authorities must refer people who may be homeless to a housing authority.",
    "url": "https://www.legislation.gov.uk/ukpga/2017/13/section/10",
    "commenced-day": "1",
    "commenced-month": "10",
    "commenced-year": "2018",
    "public_authority_may_rely": "true",
    "notes": "A duty to refer, with consent, under Housing Act 1996 s213B.",
}


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(LegalBasis))


def _summary_links(html: str) -> list[tuple[str, str]]:
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary)


def _refused(client, form: dict) -> str:
    """Send the new legal basis form; check it is refused with 422; return the page."""
    response = post_form(client, "/legal-bases/new", form)
    assert response.status_code == 422
    return response.get_data(as_text=True)


def test_admin_adds_a_gateway_in_the_ui(signed_in_client, admin):
    client = signed_in_client(admin)
    response = post_form(client, "/legal-bases/new", GATEWAY)
    assert response.status_code == 302
    assert response.headers["Location"] == "/legal-bases/GW-HRA2017-S10"
    gateway = legal_basis_by_code("GW-HRA2017-S10")
    assert gateway.mandatory is True
    assert gateway.commenced == date(2018, 10, 1)
    assert gateway.part is None and gateway.special_category is False
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Homelessness Reduction Act 2017, section 10 has been added" in page


def test_adding_a_legal_basis_is_audited(signed_in_client, admin):
    post_form(signed_in_client(admin), "/legal-bases/new", GATEWAY)
    last = entry_bodies()[-1]
    assert last["action"] == "legal_basis.create"
    assert last["object"] == {"type": "legal_basis", "ref": "GW-HRA2017-S10"}
    assert last["actor"]["id"] == admin.id
    assert last["data"]["mandatory"] is True
    assert last["data"]["commenced"] == "2018-10-01"


def test_an_empty_form_lists_each_problem_in_the_error_summary_in_page_order(signed_in_client, admin):
    response = post_form(signed_in_client(admin), "/legal-bases/new", {})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error: " in html
    assert _summary_links(html) == [
        ("#kind", "Select the kind of legal basis"),
        ("#code", "Enter a code for the legal basis"),
        ("#citation", "Enter the citation, like Children Act 2004, section 10"),
        ("#title", "Enter the title: the heading of the provision"),
        ("#summary", "Enter a summary in plain English"),
        ("#url", "Enter the address of the provision on legislation.gov.uk"),
        ("#commenced-day", "Enter the date the provision came into force"),
    ]


def test_a_date_that_does_not_exist_is_an_error_linked_to_the_day_box(signed_in_client, admin):
    response = post_form(signed_in_client(admin), "/legal-bases/new", {**GATEWAY, "commenced-day": "31", "commenced-month": "2"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _summary_links(html) == [("#commenced-day", "The date it came into force must be a real date")]
    assert 'id="commenced-day"' in html and "govuk-input--error" in html
    assert _count() == 0


def test_an_address_off_legislation_gov_uk_is_refused_saying_where_it_must_be(signed_in_client, admin):
    html = _refused(signed_in_client(admin), {**GATEWAY, "url": "https://www.gov.uk/guidance/x"})
    assert _summary_links(html) == [
        ("#url", "Enter the address of the provision on legislation.gov.uk, starting https://www.legislation.gov.uk/")
    ]


def test_a_code_with_other_characters_is_refused(signed_in_client, admin):
    html = _refused(signed_in_client(admin), {**GATEWAY, "code": "GW HRA 2017/10"})
    assert "Code must be capital letters, numbers and hyphens" in html


def test_a_duplicate_code_is_refused(signed_in_client, admin):
    make_legal_basis(code="GW-HRA2017-S10", kind="gateway", mandatory=True)
    html = _refused(signed_in_client(admin), GATEWAY)
    assert _summary_links(html) == [("#code", "Another legal basis already has the code GW-HRA2017-S10")]
    assert _count() == 1


def test_a_gateway_must_say_whether_it_is_mandatory_or_permissive(signed_in_client, admin):
    data = {name: value for name, value in GATEWAY.items() if name != "mandatory"}
    html = _refused(signed_in_client(admin), data)
    assert _summary_links(html) == [
        ("#mandatory", "Select whether the gateway is mandatory (a duty) or permissive (a power)")
    ]


def test_a_schedule1_condition_needs_its_part_and_paragraph(signed_in_client, admin):
    html = _refused(signed_in_client(admin), {**GATEWAY, "kind": "schedule1", "code": "DPA2018-S1-P99"})
    assert _summary_links(html) == [
        ("#part", "Select which Part of Schedule 1 the condition is in"),
        ("#paragraph", "Enter the paragraph number of the Schedule 1 condition"),
    ]


def test_only_article9_and_article10_can_need_a_schedule1_condition(signed_in_client, admin):
    html = _refused(signed_in_client(admin), {**GATEWAY, "needs_schedule1": "true"})
    assert _summary_links(html) == [
        ("#needs_schedule1", "Only Article 9 conditions and Article 10 can need a Schedule 1 condition")
    ]


def test_answers_left_in_questions_hidden_for_the_kind_are_not_saved(signed_in_client, admin):
    post_form(signed_in_client(admin), "/legal-bases/new", {**GATEWAY, "kind": "article6", "code": "LOCAL-A6", "part": "2", "paragraph": "18"})
    local = legal_basis_by_code("LOCAL-A6")
    assert (local.part, local.paragraph, local.mandatory) == (None, None, None)


def test_the_edit_form_shows_the_current_values(signed_in_client, admin):
    make_legal_basis(code="DPA2018-S1-P18", kind="schedule1", part=2, paragraph=18, commenced=date(2018, 5, 25), special_category=True)
    html = signed_in_client(admin).get("/legal-bases/DPA2018-S1-P18/edit").get_data(as_text=True)
    assert re.search(r'id="part-2" name="part" type="radio" value="2" checked', html)
    assert re.search(r'id="paragraph" name="paragraph" type="text" spellcheck="false" value="18"', html)
    assert re.search(r'id="commenced-year" name="commenced-year" type="text" value="2018"', html)
    assert re.search(r'id="special_category" name="special_category" type="checkbox" value="true" checked', html)


def test_admin_changes_a_legal_basis_but_not_its_code(signed_in_client, admin):
    make_legal_basis(code="GW-HRA2017-S10", kind="gateway", mandatory=False, title="Old title")
    client = signed_in_client(admin)
    response = post_form(client, "/legal-bases/GW-HRA2017-S10/edit", {**GATEWAY, "code": "CHANGED"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/legal-bases/GW-HRA2017-S10"
    gateway = legal_basis_by_code("GW-HRA2017-S10")
    assert gateway.title == "Homelessness Reduction Act 2017, section 10"
    assert gateway.mandatory is True
    assert _count() == 1


def test_a_change_is_audited_with_what_changed(signed_in_client, admin):
    make_legal_basis(code="GW-HRA2017-S10", kind="gateway", mandatory=False, **{k: v for k, v in GATEWAY.items() if k in ("title", "citation", "summary", "url", "notes")})
    post_form(signed_in_client(admin), "/legal-bases/GW-HRA2017-S10/edit", {**GATEWAY, "commenced-year": "2019"})
    last = entry_bodies()[-1]
    assert last["action"] == "legal_basis.update"
    assert last["data"] == {
        "changes": {
            "mandatory": {"from": False, "to": True},
            "commenced": {"from": "2018-05-25", "to": "2019-10-01"},
        }
    }


def test_an_edit_with_errors_changes_nothing(signed_in_client, admin):
    make_legal_basis(code="GW-HRA2017-S10", kind="gateway", mandatory=False)
    client = signed_in_client(admin)
    before = database_snapshot()
    response = post_form(client, "/legal-bases/GW-HRA2017-S10/edit", {**GATEWAY, "commenced-month": "13"})
    assert response.status_code == 422
    assert database_snapshot() == before


def test_the_edit_form_warns_that_the_import_restores_bundled_wording(signed_in_client, admin):
    make_legal_basis(code="UKGDPR-A6-1-E")
    html = signed_in_client(admin).get("/legal-bases/UKGDPR-A6-1-E/edit").get_data(as_text=True)
    assert "comes with the registry" in html


@pytest.mark.parametrize("role", ["viewer", "contributor", "approver"])
def test_people_who_are_not_administrators_cannot_open_the_forms(signed_in_client, role):
    make_legal_basis(code="UKGDPR-A6-1-E")
    client = signed_in_client(make_user(memberships={make_authority(): role}))
    assert client.get("/legal-bases/new").status_code == 403
    assert client.get("/legal-bases/UKGDPR-A6-1-E/edit").status_code == 403


@pytest.mark.parametrize("url", ["/legal-bases/new", "/legal-bases/UKGDPR-A6-1-E/edit"])
def test_people_who_are_not_administrators_cannot_post_the_forms(signed_in_client, url):
    make_legal_basis(code="UKGDPR-A6-1-E")
    client = signed_in_client(make_user(system_role="auditor"))
    before = database_snapshot()
    response = post_form(client, url, {**GATEWAY, "code": "GW-SNEAKY"}, from_page="/legal-bases")
    assert response.status_code == 403
    assert database_snapshot() == before
