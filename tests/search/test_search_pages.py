"""The header's search box: it finds the agreements, datasets and authorities a person may see; signed out, only the register."""

import re

import pytest

from tests.agreements.builders import agreement_in, complete_draft, three_councils


@pytest.fixture
def councils(app):
    return three_councils()


@pytest.fixture
def agreements(councils):
    """Leeds, Bradford and Kirklees's agreement in force, and a Kirklees–Leeds draft that Bradford is no party to."""
    return {"shared": agreement_in("active", councils), "without_bradford": complete_draft(councils, lead="KIR", partners=("LDS",))}


def _search(client, q: str):
    return client.get("/search", query_string={"q": q})


def _links(page: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page))


def test_every_page_has_a_labelled_search_box_in_its_header(councils, signed_in_client, client):
    for page in (signed_in_client(councils["BRD"].viewer).get("/dashboard"), client.get("/register")):
        header = page.get_data(as_text=True).split("</header>")[0]
        assert 'role="search"' in header and 'action="/search"' in header
        assert '<label class="govuk-visually-hidden" for="header-search">' in header


def test_it_finds_agreements_i_may_see_by_title_and_not_others(councils, agreements, signed_in_client):
    page = _search(signed_in_client(councils["BRD"].viewer), "families").get_data(as_text=True)
    assert f"/agreements/{agreements['shared'].reference}" in _links(page)
    assert agreements["without_bradford"].reference not in page


def test_it_finds_an_agreement_by_its_reference(councils, agreements, signed_in_client):
    reference = agreements["without_bradford"].reference
    page = _search(signed_in_client(councils["KIR"].viewer), reference.lower()).get_data(as_text=True)
    assert f"/agreements/{reference}" in _links(page)
    assert "1 agreement matches." in page


def test_an_auditor_finds_every_agreement(councils, agreements, signed_in_client):
    from tests.factories import make_user

    auditor = make_user(system_role="auditor")
    page = _search(signed_in_client(auditor), "families").get_data(as_text=True)
    assert {f"/agreements/{a.reference}" for a in agreements.values()} <= _links(page)


def test_it_finds_datasets_and_authorities_by_name(councils, signed_in_client):
    client = signed_in_client(councils["BRD"].viewer)
    datasets = _search(client, "case records").get_data(as_text=True)
    assert f"/datasets/{councils['KIR'].dataset.id}" in _links(datasets)
    assert "3 datasets match." in datasets
    authorities = _search(client, "Kirklees").get_data(as_text=True)
    assert "/authorities/KIR" in _links(authorities)
    assert "No agreements match." in authorities


def test_signed_out_it_searches_only_the_public_register(councils, agreements, client):
    response = _search(client, "families")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"/register/{agreements['shared'].reference}" in _links(page)
    assert agreements["without_bradford"].reference not in page  # a draft is in no register
    assert "/agreements/" not in page
    assert "case records" not in _search(client, "case records").get_data(as_text=True).split("</form>", 2)[-1]
    assert "/authorities/KIR" not in _links(_search(client, "Kirklees").get_data(as_text=True))


def test_an_empty_search_shows_just_the_box(councils, signed_in_client):
    page = signed_in_client(councils["BRD"].viewer).get("/search").get_data(as_text=True)
    assert '<label class="govuk-label" for="q">' in page
    assert "match" not in page.split("</form>")[-1]


def test_a_search_too_long_is_an_error_on_the_box(councils, signed_in_client):
    response = _search(signed_in_client(councils["BRD"].viewer), "x" * 101)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error: " in page and 'href="#q">Search for 100 characters or fewer' in page
