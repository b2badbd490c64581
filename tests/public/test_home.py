"""The front door: signed out, / is the public home page; signed in, it is the way to the dashboard."""

from tests.agreements.builders import agreement_in, three_councils
from tests.factories import make_user


def test_signed_out_the_home_page_says_what_the_registry_is_and_offers_the_register_and_sign_in(client):
    response = client.get("/")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "<h1" in page and "Data Sharing Agreement Registry</h1>" in page
    assert "record here the agreements under which they share data" in page
    assert '<form method="get" action="/register"' in page and 'name="q"' in page
    assert 'href="/sign-in"' in page
    assert 'name="password"' not in page  # the front door, not the sign-in form
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_the_home_page_counts_what_the_register_holds(client, app):
    councils = three_councils()
    agreement_in("active", councils)
    agreement_in("draft", councils)
    page = client.get("/").get_data(as_text=True)
    assert "1 agreement between 3 public bodies" in page


def test_signed_in_the_home_page_sends_people_to_their_dashboard(signed_in_client):
    response = signed_in_client(make_user()).get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_the_service_name_in_the_header_leads_to_the_front_door_not_the_sign_in_form(client):
    # Signed out, a link to /dashboard would only bounce people to the sign-in page.
    page = client.get("/register").get_data(as_text=True)
    assert '<a href="/" class="govuk-generic-header__homepage-link">' in page
    assert '<a href="/" class="govuk-service-navigation__link">' in page
    assert 'href="/dashboard"' not in page
