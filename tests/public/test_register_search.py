"""Searching and filtering the public register, paging it, and reading it in a fixed number of queries."""

import re
from datetime import timedelta

import pytest

from registry.agreements import drafting, services
from registry.users.actors import SCHEDULER
from registry.core.clock import today
from registry.extensions import db
from registry.public import queries, views
from tests.agreements.builders import complete_draft, make_council, make_test_dataset, three_councils
from tests.shared_data import shared_data

PUBLIC_TASK = ["UKGDPR-A6-1-E"]
HEALTH = ["UKGDPR-A6-1-E", "UKGDPR-A9-2-G", "DPA2018-S1-P6"]
CRIME = ["UKGDPR-A6-1-E", "UKGDPR-A10", "DPA2018-S1-P10"]


@pytest.fixture
def councils(app):
    """Leeds, Bradford, Kirklees and Wakefield; Bradford's dataset is a pupil roll and Kirklees's an offender list."""
    return _councils()


@shared_data
def _councils():
    councils = {**three_councils(), "WAK": make_council("WAK", "Wakefield Council")}
    councils["BRD"].dataset = make_test_dataset(councils["BRD"].authority, "Pupil roll", [("Address", "personal")])
    councils["KIR"].dataset = make_test_dataset(councils["KIR"].authority, "Offender list", [("Offence history", "criminal")])
    return councils


def make(councils, *, lead, partners, title, purpose, bases, lead_bases=None, status="active"):
    """Put an agreement in force with the given parties, legal bases and status; return its reference."""
    agreement = complete_draft(councils, lead=lead, partners=partners)
    author = councils[lead].contributor
    drafting.update_section(author, agreement, "details", {"title": title, "agreement_type": "information_sharing"})
    drafting.update_section(author, agreement, "purpose", {"purpose": purpose})
    for party in agreement.latest_version.parties:
        chosen = lead_bases if lead_bases and party.authority.code == lead else bases
        drafting.update_party(author, agreement, party.id, sharing_role="both", controller_role="controller", legal_bases=chosen)
    if status == "draft":
        db.session.commit()
        return agreement.reference
    services.submit(author, agreement)
    version = agreement.latest_version
    for code in [lead, *partners]:
        services.approve(councils[code].approver, agreement, councils[code].authority, content_hash=version.content_hash)
    services.start(SCHEDULER, agreement)
    if status == "suspended":
        services.suspend(councils[lead].approver, agreement, reason="Checking")
    elif status == "under_review":
        services.start_review(author, agreement)
    db.session.commit()
    return agreement.reference


@pytest.fixture
def register(councils):
    """Three agreements in force that differ in every filter, and a draft that matches the search for one."""
    return _register(councils)


@shared_data
def _register(councils):
    references = {
        "A": make(councils, lead="LDS", partners=("BRD", "KIR"), title="Riverside early help", purpose="Coordinate early help for families.",
                  bases=HEALTH, lead_bases=HEALTH + ["GW-CA2004-S11"]),
        "B": make(councils, lead="BRD", partners=("LDS", "WAK"), title="School attendance", purpose="Improve attendance at school.",
                  bases=PUBLIC_TASK, status="suspended"),
        "C": make(councils, lead="KIR", partners=("BRD", "WAK"), title="Youth offending panel", purpose="Prevent reoffending.",
                  bases=CRIME, status="under_review"),
    }
    make(councils, lead="LDS", partners=("BRD", "KIR"), title="Riverside draft", purpose="Not yet agreed.", bases=HEALTH, status="draft")
    return references


def listed(client, query: str = "") -> list[str]:
    response = client.get("/register" + query)
    assert response.status_code == 200, response.status_code
    return re.findall(r'data-reference="([^"]+)"', response.get_data(as_text=True))


def names(register, *keys):
    return [register[key] for key in keys]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", "ABC"),
        ("?q=early+help", "A"),
        ("?q=attendance", "B"),
        ("?q=Riverside", "A"),  # never the draft that says it too
        ("?q=nothing+like+this", ""),
        ("?q=DSA-", "ABC"),
        ("?party=LDS", "AB"),
        ("?party=wak", "BC"),
        ("?legal_basis=GW-CA2004-S11", "A"),
        ("?legal_basis=UKGDPR-A10", "C"),
        ("?legal_basis=UKGDPR-A6-1-E", "ABC"),
        ("?category=special_category", "A"),
        ("?category=criminal_offence", "C"),
        ("?category=personal", "ABC"),
        ("?status=suspended", "B"),
        ("?status=under_review", "C"),
        ("?status=active", "A"),
        ("?party=WAK&status=suspended", "B"),
    ],
)
def test_search_and_filters(client, register, query, expected):
    assert listed(client, query) == names(register, *expected)


def test_a_whole_reference_finds_its_agreement(client, register):
    assert listed(client, f"?q={register['B'].lower()}") == [register["B"]]


def test_the_filters_offer_only_what_the_register_holds(client, register):
    page = client.get("/register").get_data(as_text=True)
    assert '<option value="WAK">Wakefield Council</option>' in page
    assert 'value="GW-CA2004-S11"' in page
    assert 'value="GW-CDA1998-S115"' not in page  # in the vocabulary, but no agreement relies on it


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("?category=secret", "category", "Select a category of data from the list"),
        ("?status=draft", "status", "Select a status from the list"),
        ("?party=%3Cscript%3E", "party", "Select a party from the list"),
        ("?q=" + "x" * 101, "q", "Search for 100 characters or fewer"),
    ],
)
def test_a_filter_that_is_not_on_the_list_is_an_error(client, register, query, field, message):
    response = client.get("/register" + query)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<title>Error: " in page and f'href="#{field}">{message}' in page
    assert response.headers["Cache-Control"] == "no-store"


def test_the_register_is_paged(client, register, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    first = client.get("/register?party=BRD").get_data(as_text=True)
    assert "3 agreements, showing 1 to 2" in first
    assert 'href="/register?party=BRD&amp;page=2"' in first
    assert listed(client, "?party=BRD&page=2") == [register["C"]]
    assert listed(client, "?page=nonsense") == names(register, "A", "B")


def test_the_downloads_read_the_register_in_batches(app, register):
    batches = list(queries.whole_register(batch_size=2))
    assert [[record["reference"] for record in batch] for batch in batches] == [names(register, "A", "B"), names(register, "C")]


def _queries_for(client, counter, url: str) -> int:
    counter.count = 0
    assert client.get(url).status_code == 200
    return counter.count


def test_pages_and_downloads_take_a_fixed_number_of_queries(client, councils, register, count_queries, monkeypatch):
    monkeypatch.setattr(queries, "BATCH_SIZE", 100)
    urls = ["/register", "/register/download.csv", "/register/download.json", "/register/changes", f"/register/{register['A']}"]
    before = {url: _queries_for(client, count_queries, url) for url in urls}
    for n in range(3):
        make(councils, lead="LDS", partners=("BRD", "KIR"), title=f"More sharing {n}", purpose="More.", bases=HEALTH)
    after = {url: _queries_for(client, count_queries, url) for url in urls}
    assert after == before
    assert before["/register"] <= 10


def test_review_dates_come_from_the_agreement(client, councils, register):
    from registry.agreements.queries import agreement_by_reference

    agreement = agreement_by_reference(register["C"])
    services.complete_review(councils["KIR"].approver, agreement, next_review=today() + timedelta(days=90))
    db.session.commit()
    document = client.get("/register/download.json").get_json()
    record = next(r for r in document["agreements"] if r["reference"] == register["C"])
    assert record["review_date"] == (today() + timedelta(days=90)).isoformat()
    assert record["status"] == "active"
