"""The legal bases list (grouped, searchable, filtered by kind) and detail page, for anyone signed in."""

import re

import pytest

from tests.factories import load_legal_vocabulary, make_user


@pytest.fixture
def browsing(app, signed_in_client):
    """A signed-in viewer, with the legal vocabulary loaded."""
    load_legal_vocabulary()
    return signed_in_client(make_user())


def _count_line(html: str) -> str:
    return re.search(r'class="govuk-body app-count"[^>]*>\s*([^<]+)', html).group(1).strip()


def _captions(html: str) -> list[str]:
    return re.findall(r'<caption class="govuk-table__caption govuk-table__caption--m">([^<]+)</caption>', html)


def test_list_shows_every_legal_basis_grouped_as_the_law_sets_them_out(browsing):
    html = browsing.get("/legal-bases").get_data(as_text=True)
    assert _count_line(html) == "72 legal bases"
    assert _captions(html) == [
        "UK GDPR Article 6: lawful bases",
        "UK GDPR Article 9: conditions for special category data",
        "UK GDPR Article 10: criminal offence data",
        "DPA 2018 Schedule 1 Part 1: Conditions relating to employment, health and research etc",
        "DPA 2018 Schedule 1 Part 2: Substantial public interest conditions",
        "DPA 2018 Schedule 1 Part 3: Additional conditions relating to criminal convictions etc",
        "Statutory powers and gateways",
    ]


def test_list_shows_citation_title_and_commencement(browsing):
    html = browsing.get("/legal-bases").get_data(as_text=True)
    assert '<a class="govuk-link" href="/legal-bases/UKGDPR-A6-1-E">UK GDPR Article 6(1)(e)</a>' in html
    assert "Public task" in html
    assert "5 February 2026" in html  # Article 6(1)(ea), from the Data (Use and Access) Act 2025


def test_gateways_are_tagged_mandatory_or_permissive(browsing):
    html = browsing.get("/legal-bases", query_string={"kind": "gateway"}).get_data(as_text=True)
    rows = re.findall(r'href="/legal-bases/(GW-[^"]+)".*?<strong class="govuk-tag[^"]*">\s*(\w+)', html, re.S)
    tags = dict(rows)
    assert tags["GW-CA2004-S11"] == "Mandatory"
    assert tags["GW-CDA1998-S115"] == "Permissive"
    assert len(tags) == 18


def test_filter_by_kind_shows_only_that_kind(browsing):
    html = browsing.get("/legal-bases", query_string={"kind": "article9"}).get_data(as_text=True)
    assert _count_line(html) == "10 legal bases"
    assert _captions(html) == ["UK GDPR Article 9: conditions for special category data"]


def test_search_needs_every_word_somewhere_in_code_citation_title_or_summary(browsing):
    html = browsing.get("/legal-bases", query_string={"q": "safeguarding children"}).get_data(as_text=True)
    assert re.findall(r'href="/legal-bases/([A-Z][^"]+)"', html) == ["DPA2018-S1-P18", "GW-EA2002-S175"]


def test_search_finds_a_code(browsing):
    html = browsing.get("/legal-bases", query_string={"q": "gw-ca2004"}).get_data(as_text=True)
    assert re.findall(r'href="/legal-bases/(GW-[^"]+)"', html) == ["GW-CA2004-S10", "GW-CA2004-S11"]


def test_search_text_with_like_wildcards_is_taken_literally(browsing):
    assert _count_line(browsing.get("/legal-bases?q=%25").get_data(as_text=True)) == "No legal bases match"


def test_an_unknown_kind_shows_an_error_not_a_crash(browsing):
    response = browsing.get("/legal-bases?kind=article99")
    assert response.status_code == 422
    assert "Select a kind of legal basis from the list" in response.get_data(as_text=True)


def test_detail_shows_summary_citation_link_commencement_and_flags(browsing):
    html = browsing.get("/legal-bases/UKGDPR-A9-2-H").get_data(as_text=True)
    assert "<h1 class=\"govuk-heading-l\">Health or social care</h1>" in html
    assert '<a class="govuk-link" href="https://www.legislation.gov.uk/eur/2016/679/article/9" rel="external">UK GDPR Article 9(2)(h)</a>' in html
    assert "25 May 2018" in html
    assert re.search(r"Needs a Schedule 1 condition\s*</dt>\s*<dd[^>]*>\s*Yes: record a DPA 2018 Schedule 1 condition as well", html)
    assert re.search(r"Usable for special category data\s*</dt>\s*<dd[^>]*>\s*Yes", html)
    assert re.search(r"Usable for criminal offence data\s*</dt>\s*<dd[^>]*>\s*No", html)


def test_detail_of_a_gateway_shows_the_duty_and_its_notes(browsing):
    html = browsing.get("/legal-bases/GW-CA2004-S11").get_data(as_text=True)
    assert "Mandatory" in html
    assert "It imposes a duty: the notes say what the duty is." in html
    assert '<h2 class="govuk-heading-m">Notes</h2>' in html


def test_detail_of_a_schedule1_condition_shows_its_part_and_paragraph(browsing):
    html = browsing.get("/legal-bases/DPA2018-S1-P18").get_data(as_text=True)
    assert "Part 2 (Substantial public interest conditions), paragraph 18" in html


def test_detail_says_when_a_public_authority_may_not_rely_on_it(browsing):
    html = browsing.get("/legal-bases/UKGDPR-A6-1-F").get_data(as_text=True)
    assert "No, not for processing in the performance of its tasks" in html


def test_detail_page_code_is_case_insensitive(browsing):
    assert browsing.get("/legal-bases/dpa2018-s1-p18").status_code == 200


def test_unknown_code_gets_404(browsing):
    assert browsing.get("/legal-bases/NOPE").status_code == 404


def test_only_administrators_see_the_add_and_change_buttons(browsing, signed_in_client, admin):
    assert "Add a legal basis" not in browsing.get("/legal-bases").get_data(as_text=True)
    assert "Change details" not in browsing.get("/legal-bases/UKGDPR-A6-1-E").get_data(as_text=True)
    as_admin = signed_in_client(admin)
    assert "Add a legal basis" in as_admin.get("/legal-bases").get_data(as_text=True)
    assert "Change details" in as_admin.get("/legal-bases/UKGDPR-A6-1-E").get_data(as_text=True)


def test_the_main_menu_links_to_legal_bases(browsing):
    assert '<a class="govuk-service-navigation__link" href="/legal-bases"' in browsing.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/legal-bases", "/legal-bases/UKGDPR-A6-1-E"])
def test_signed_out_visitors_are_asked_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
