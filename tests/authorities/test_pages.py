"""The authorities list (search, filters, pages) and detail page."""

import re

import pytest

from tests.factories import every_uk_council, make_authority, make_user


@pytest.fixture
def browsing(app, signed_in_client):
    """A signed-in viewer, with every UK council loaded."""
    every_uk_council()
    return signed_in_client(make_user())


def _count_line(response) -> str:
    return re.search(r'class="govuk-body app-count"[^>]*>\s*([^<]+)', response.get_data(as_text=True)).group(1).strip()


def test_list_shows_every_current_council_by_default(browsing):
    response = browsing.get("/authorities")
    assert response.status_code == 200
    assert _count_line(response).startswith("397 authorities")


@pytest.mark.parametrize("query", ["E06000001", "HPL", "hpl", "Hartlepool", "hartle"])
def test_search_finds_hartlepool_by_gss_code_code_or_name(browsing, query):
    response = browsing.get("/authorities", query_string={"q": query})
    html = response.get_data(as_text=True)
    assert "Hartlepool Borough Council" in html
    assert _count_line(response).startswith("1 authority")


def test_filters_narrow_by_type_nation_and_status(browsing):
    assert _count_line(browsing.get("/authorities?type=LBO")).startswith("32 authorities")
    assert _count_line(browsing.get("/authorities?nation=Wales")).startswith("22 authorities")
    assert _count_line(browsing.get("/authorities?status=ended")).startswith("73 authorities")
    assert _count_line(browsing.get("/authorities?status=all")).startswith("470 authorities")


def test_list_is_paginated(browsing):
    first = browsing.get("/authorities").get_data(as_text=True)
    second = browsing.get("/authorities?page=2").get_data(as_text=True)
    assert "showing 1 to 50" in first
    assert "showing 51 to 100" in second
    assert 'class="govuk-pagination"' in first


def test_a_nonsense_page_number_shows_the_first_page(browsing):
    assert "showing 1 to 50" in browsing.get("/authorities?page=banana").get_data(as_text=True)


def test_an_unknown_filter_value_shows_an_error_not_a_crash(browsing):
    response = browsing.get("/authorities?type=CASTLE")
    assert response.status_code == 422
    assert "Select a type from the list" in response.get_data(as_text=True)


def test_search_text_with_like_wildcards_is_taken_literally(browsing):
    assert _count_line(browsing.get("/authorities?q=%25")).startswith("No authorities match")


def test_detail_page_shows_codes_and_successors(browsing):
    html = browsing.get("/authorities/CMA").get_data(as_text=True)
    assert "Cumbria County Council" in html
    assert "Ended" in html
    assert "Cumberland" in html and "Westmorland and Furness" in html


def test_detail_page_code_is_case_insensitive(browsing):
    assert browsing.get("/authorities/hpl").status_code == 200


def test_unknown_code_gets_404(browsing):
    assert browsing.get("/authorities/NOPE").status_code == 404


def test_signed_out_visitors_are_asked_to_sign_in(client):
    make_authority(code="HPL", name="Hartlepool Borough Council")
    assert client.get("/authorities/HPL").status_code == 302
