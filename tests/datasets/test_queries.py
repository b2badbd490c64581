"""Finding datasets: search and filters, an authority's catalogue, lookups, and who manages which authority."""

from datetime import date

import pytest

from registry.core.errors import NotFound, ValidationFailed
from registry.datasets import queries
from registry.datasets.queries import DatasetFilters
from registry.extensions import db
from registry.users.models import Membership
from tests.factories import make_authority, make_dataset, make_user


@pytest.fixture
def catalogue(app):
    """Two councils' datasets: one with special category data, one OFFICIAL-SENSITIVE, one with no items."""
    leeds = make_authority(code="LDS", name="Leeds City Council")
    bradford = make_authority(code="BRD", name="Bradford Council")
    make_dataset(authority=leeds, name="Adult social care", description="Care plans and reviews")
    make_dataset(
        authority=leeds, name="Housing register", items=[("Address", "personal")], classification="OFFICIAL-SENSITIVE"
    )
    make_dataset(authority=bradford, name="Road defects 100%", items=())
    return {"leeds": leeds, "bradford": bradford}


def _names(filters: DatasetFilters) -> list[str]:
    return [dataset.name for dataset in db.session.scalars(queries.dataset_search(filters))]


def test_search_lists_every_dataset_by_name(catalogue):
    assert _names(DatasetFilters()) == ["Adult social care", "Housing register", "Road defects 100%"]


@pytest.mark.parametrize("q", ["HOUSING", "register"])
def test_search_matches_part_of_a_name_in_any_case(catalogue, q):
    assert _names(DatasetFilters(q=q)) == ["Housing register"]


def test_search_matches_the_description(catalogue):
    assert _names(DatasetFilters(q="care plans")) == ["Adult social care"]


def test_search_text_with_like_wildcards_is_taken_literally(catalogue):
    assert _names(DatasetFilters(q="%")) == ["Road defects 100%"]


def test_filter_by_owner_code_in_any_case(catalogue):
    assert _names(DatasetFilters(authority="brd")) == ["Road defects 100%"]


def test_filter_by_classification(catalogue):
    assert _names(DatasetFilters(classification="OFFICIAL-SENSITIVE")) == ["Housing register"]


def test_filter_datasets_with_special_category_data(catalogue):
    assert _names(DatasetFilters(special_category=True)) == ["Adult social care"]


def test_datasets_of_an_authority_are_its_own_by_name(catalogue):
    assert [d.name for d in queries.datasets_of(catalogue["leeds"])] == ["Adult social care", "Housing register"]


def test_dataset_owners_are_the_authorities_holding_datasets(catalogue):
    make_authority(code="WKF", name="Wakefield Council")
    assert [a.code for a in queries.dataset_owners()] == ["BRD", "LDS"]


def test_an_unknown_dataset_id_is_not_found(app):
    with pytest.raises(NotFound, match="There is no dataset with the id 99"):
        queries.dataset_by_id(99)


def test_an_item_of_another_dataset_is_not_found(catalogue):
    first, second = queries.datasets_of(catalogue["leeds"])
    with pytest.raises(NotFound):
        queries.data_item_of(first, second.items[0].id)


def test_an_unknown_owner_code_is_a_validation_failure_on_the_field(app):
    with pytest.raises(ValidationFailed) as failure:
        queries.owning_authority("NOPE")
    assert failure.value.fields == {"authority_code": ["There is no authority with the code NOPE"]}


def test_authorities_managed_are_current_ones_where_the_user_contributes_or_approves(app):
    leeds = make_authority(code="LDS", name="Leeds City Council")
    bradford = make_authority(code="BRD", name="Bradford Council")
    wakefield = make_authority(code="WKF", name="Wakefield Council")
    ended = make_authority(code="CMA", name="Cumbria County Council", end_date=date(2023, 3, 31))
    user = make_user(memberships={leeds: "approver", bradford: "contributor", wakefield: "viewer"})
    db.session.add(Membership(user=user, authority=ended, role="approver"))
    db.session.commit()

    assert [a.code for a in queries.authorities_managed_by(user, date(2026, 11, 27))] == ["BRD", "LDS"]
