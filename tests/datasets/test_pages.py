"""The datasets pages: the list with filters, adding and changing datasets and items, and what each person sees."""

import re

import pytest
import sqlalchemy as sa

from registry.agreements.models import Agreement, AgreementVersion, Flow, Party
from registry.datasets.models import DataItem, Dataset
from registry.extensions import db
from tests.conftest import post_form
from tests.factories import make_authority, make_dataset, make_user
from tests.snapshots import database_snapshot

NEW_DATASET = {
    "authority_code": "LDS",
    "name": "Adult social care case records",
    "description": "Assessments, care plans and reviews",
    "security_classification": "OFFICIAL-SENSITIVE",
    "owner_contact": "asc-data@leeds.example.gov.uk",
}


@pytest.fixture
def as_contributor(signed_in_client, contributor):
    """Return a client with the Leeds contributor signed in."""
    return signed_in_client(contributor)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _count_line(response) -> str:
    return re.search(r'class="govuk-body app-count"[^>]*>\s*([^<]+)', _html(response)).group(1).strip()


def _error_links(response) -> list[tuple[str, str]]:
    summary = _html(response).split('class="govuk-error-summary"')[1].split("</ul>")[0]
    return re.findall(r'<a href="(#[^"]+)">([^<]+)</a>', summary)


def test_list_shows_owner_classification_item_count_and_sensitive_data(signed_in_client, leeds, dataset):
    make_dataset(
        authority=leeds, name="Youth offending cases", items=[("Offence", "criminal")], classification="OFFICIAL-SENSITIVE"
    )
    html = _html(signed_in_client(make_user()).get("/datasets"))

    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S)[1:]
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    assert cells == [
        "Adult social care case records Leeds City Council OFFICIAL 2 Special category",
        "Youth offending cases Leeds City Council OFFICIAL-SENSITIVE 1 Criminal offence",
    ]


def test_list_filters_by_special_category_data(signed_in_client, leeds, dataset):
    make_dataset(authority=leeds, name="Council tax accounts", items=[("Address", "personal")])
    response = signed_in_client(make_user()).get("/datasets?special_category=true")
    assert _count_line(response) == "1 dataset"
    assert "Adult social care case records" in _html(response)


def test_list_filters_by_owner_and_classification(signed_in_client, leeds, dataset):
    bradford = make_authority(code="BRD", name="Bradford Council")
    make_dataset(authority=bradford, name="Bradford housing", classification="OFFICIAL-SENSITIVE")
    client = signed_in_client(make_user())
    assert "Bradford housing" in _html(client.get("/datasets?authority=BRD"))
    assert _count_line(client.get("/datasets?authority=BRD&classification=OFFICIAL")) == "No datasets match"


def test_list_is_paginated(signed_in_client, leeds):
    for number in range(51):
        make_dataset(authority=leeds, name=f"Dataset {number:02d}", items=())
    client = signed_in_client(make_user())
    assert _count_line(client.get("/datasets")) == "51 datasets, showing 1 to 50"
    assert _count_line(client.get("/datasets?page=2")) == "51 datasets, showing 51 to 51"


def test_an_unknown_filter_value_shows_an_error_not_a_crash(signed_in_client, app):
    response = signed_in_client(make_user()).get("/datasets?classification=TOP-SECRET")
    assert response.status_code == 422
    assert "Select OFFICIAL or OFFICIAL-SENSITIVE" in _html(response)


@pytest.mark.parametrize(("role", "shown"), [("viewer", False), ("contributor", True), ("approver", True)])
def test_the_add_button_is_only_for_people_who_can_add_datasets(signed_in_client, leeds, role, shown):
    html = _html(signed_in_client(make_user(memberships={leeds: role})).get("/datasets"))
    assert ("Add a dataset" in html) is shown


def test_the_new_page_chooses_the_only_authority_already(as_contributor):
    html = _html(as_contributor.get("/datasets/new"))
    assert re.search(r'value="LDS" checked', html)


def test_the_new_page_offers_only_authorities_the_user_manages(signed_in_client, leeds):
    bradford = make_authority(code="BRD", name="Bradford Council")
    wakefield = make_authority(code="WKF", name="Wakefield Council")
    user = make_user(memberships={leeds: "approver", bradford: "contributor", wakefield: "viewer"})
    html = _html(signed_in_client(user).get("/datasets/new"))
    assert re.findall(r'name="authority_code" type="radio" value="(\w+)"', html) == ["BRD", "LDS"]
    assert " checked" not in html.split("authority_code")[1].split("</fieldset>")[0]


def test_a_viewer_cannot_open_the_new_page(signed_in_client, leeds):
    assert signed_in_client(make_user(memberships={leeds: "viewer"})).get("/datasets/new").status_code == 403


def test_contributor_adds_a_dataset_and_sees_it(as_contributor):
    response = post_form(as_contributor, "/datasets/new", NEW_DATASET)

    dataset = db.session.scalar(sa.select(Dataset))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/datasets/{dataset.id}"
    assert dataset.owner_contact == "asc-data@leeds.example.gov.uk"
    html = _html(as_contributor.get(response.headers["Location"]))
    assert "Adult social care case records has been added" in html
    assert "OFFICIAL-SENSITIVE" in html


def test_form_errors_are_listed_in_the_error_summary(as_contributor):
    response = post_form(as_contributor, "/datasets/new", {"security_classification": "SECRET"})

    assert response.status_code == 422
    assert "<title>Error: " in _html(response)
    assert _error_links(response) == [
        ("#authority_code", "Select the authority that holds the dataset"),
        ("#name", "Enter the name of the dataset"),
        ("#security_classification", "Select OFFICIAL or OFFICIAL-SENSITIVE"),
    ]


def test_a_duplicate_name_is_shown_in_the_error_summary(as_contributor, dataset):
    before = database_snapshot()
    response = post_form(as_contributor, "/datasets/new", NEW_DATASET)
    assert response.status_code == 422
    assert _error_links(response) == [
        ("#name", "Leeds City Council already has a dataset called Adult social care case records")
    ]
    assert database_snapshot() == before


def test_the_detail_page_lists_items_and_their_categories(signed_in_client, dataset):
    html = _html(signed_in_client(make_user()).get(f"/datasets/{dataset.id}"))
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', html, re.S)[1:]
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    assert cells == ["Name Yes No No", "Health condition Yes Special category No"]


@pytest.mark.parametrize(("role", "shown"), [("viewer", False), ("contributor", True), ("approver", True)])
def test_change_links_are_only_for_managers(signed_in_client, leeds, dataset, role, shown):
    html = _html(signed_in_client(make_user(memberships={leeds: role})).get(f"/datasets/{dataset.id}"))
    assert ("Change details" in html) is shown
    assert (f"/datasets/{dataset.id}/items/new" in html) is shown
    assert (f"/datasets/{dataset.id}/items/{dataset.items[0].id}/remove" in html) is shown


def test_partners_see_each_others_datasets_but_cannot_change_them(signed_in_client, dataset):
    bradford = make_authority(code="BRD", name="Bradford Council")
    client = signed_in_client(make_user(memberships={bradford: "approver"}))
    assert "Health condition" in _html(client.get(f"/datasets/{dataset.id}"))
    assert client.get(f"/datasets/{dataset.id}/edit").status_code == 403


def test_the_edit_page_shows_the_current_details(as_contributor, dataset):
    html = _html(as_contributor.get(f"/datasets/{dataset.id}/edit"))
    assert 'value="Adult social care case records"' in html
    assert re.search(r'value="OFFICIAL" checked', html)


def test_contributor_changes_a_dataset(as_contributor, dataset):
    response = post_form(
        as_contributor, f"/datasets/{dataset.id}/edit", {"name": "Adult social care", "security_classification": "OFFICIAL"}
    )
    assert response.status_code == 302
    assert db.session.get(Dataset, dataset.id).name == "Adult social care"
    assert "Adult social care has been updated" in _html(as_contributor.get(response.headers["Location"]))


def test_emptying_an_optional_field_clears_it(as_contributor, leeds):
    dataset = make_dataset(authority=leeds, name="Register", description="Old description")
    post_form(as_contributor, f"/datasets/{dataset.id}/edit", {"name": "Register", "description": ""})
    assert db.session.get(Dataset, dataset.id).description == ""


def test_contributor_adds_a_special_category_item_which_is_personal_too(as_contributor, dataset):
    response = post_form(
        as_contributor, f"/datasets/{dataset.id}/items/new", {"name": "Ethnicity", "special_category": "true"}
    )
    assert response.status_code == 302
    item = db.session.scalar(sa.select(DataItem).where(DataItem.name == "Ethnicity"))
    assert (item.personal, item.special_category, item.criminal_offence) == (True, True, False)


def test_the_item_form_has_a_legend_for_its_categories(as_contributor, dataset):
    html = _html(as_contributor.get(f"/datasets/{dataset.id}/items/new"))
    legend = re.search(r"<legend[^>]*>\s*(.*?)\s*</legend>", html, re.S).group(1)
    assert legend == "What kind of data is it?"


def test_an_item_without_a_name_is_shown_in_the_error_summary(as_contributor, dataset):
    response = post_form(as_contributor, f"/datasets/{dataset.id}/items/new", {"name": "   ", "personal": "true"})
    assert response.status_code == 422
    assert _error_links(response) == [("#name", "Enter the name of the data item, like Date of birth")]
    assert 'id="personal" name="personal" type="checkbox" value="true" checked' in _html(response)


def test_a_duplicate_item_name_is_shown_in_the_error_summary(as_contributor, dataset):
    response = post_form(as_contributor, f"/datasets/{dataset.id}/items/new", {"name": "health condition"})
    assert _error_links(response) == [
        ("#name", "Adult social care case records already has a data item called health condition")
    ]


def test_the_item_edit_page_shows_its_categories(as_contributor, dataset):
    html = _html(as_contributor.get(f"/datasets/{dataset.id}/items/{dataset.items[1].id}/edit"))
    assert 'value="Health condition"' in html
    assert 'name="special_category" type="checkbox" value="true" checked' in html
    assert 'name="criminal_offence" type="checkbox" value="true" checked' not in html


def test_contributor_unticks_every_category_of_an_item(as_contributor, dataset):
    item = dataset.items[1]
    response = post_form(as_contributor, f"/datasets/{dataset.id}/items/{item.id}/edit", {"name": "Health service used"})
    assert response.status_code == 302
    changed = db.session.get(DataItem, item.id)
    assert (changed.name, changed.personal, changed.special_category) == ("Health service used", False, False)


def test_contributor_removes_an_item(as_contributor, dataset):
    item_id = dataset.items[0].id
    response = post_form(as_contributor, f"/datasets/{dataset.id}/items/{item_id}/remove", from_page=f"/datasets/{dataset.id}")
    assert response.status_code == 302
    assert db.session.get(DataItem, item_id) is None
    assert "Name has been removed from Adult social care case records" in _html(as_contributor.get(response.headers["Location"]))


def test_removing_an_item_an_agreement_uses_says_which_agreement(as_contributor, dataset):
    partner = make_authority(code="NHS-RR8", type="NHS_TRUST", ods_code="RR8")
    agreement = Agreement(reference="DSA-2026-0042", lead_authority=dataset.authority)
    version = AgreementVersion(agreement=agreement, title="Hospital discharge")
    parties = [Party(version=version, authority=dataset.authority), Party(version=version, authority=partner)]
    item = dataset.items[1]
    db.session.add(Flow(version=version, from_party=parties[0], to_party=parties[1], dataset=dataset, data_items=[item]))
    db.session.commit()
    before = database_snapshot()

    response = post_form(as_contributor, f"/datasets/{dataset.id}/items/{item.id}/remove", from_page=f"/datasets/{dataset.id}")

    assert response.status_code == 409
    assert "Health condition is used in agreement DSA-2026-0042, so it cannot be removed." in _html(response)
    assert database_snapshot() == before


def test_an_unknown_dataset_is_404(signed_in_client, app):
    assert signed_in_client(make_user()).get("/datasets/999").status_code == 404


def test_an_item_of_another_dataset_is_404(as_contributor, leeds, dataset):
    other = make_dataset(authority=leeds, name="Housing register")
    assert as_contributor.get(f"/datasets/{dataset.id}/items/{other.items[0].id}/edit").status_code == 404


def test_signed_out_visitors_are_asked_to_sign_in(client, dataset):
    response = client.get(f"/datasets/{dataset.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_the_navigation_links_to_datasets(signed_in_client, app):
    html = _html(signed_in_client(make_user()).get("/datasets"))
    assert re.search(r'href="/datasets" aria-current="true">\s*<strong[^>]*>\s*Datasets', html)
