"""Administrators for an authority: they manage its people and only its people, never themselves, and it gives them no access to agreements."""

import pytest
import sqlalchemy as sa

from registry.core.errors import PermissionDenied
from registry.extensions import db
from registry.signoff import queries as signoff_queries
from registry.users import services
from registry.users.models import AuthorityAdministrator
from registry.users.roles import Role
from tests.audit.helpers import entry_bodies
from tests.conftest import post_form
from tests.factories import make_authority, make_user
from tests.snapshots import database_snapshot


@pytest.fixture
def leeds(app):
    return make_authority(code="LDS", name="Leeds City Council")


@pytest.fixture
def bradford(app):
    return make_authority(code="BRD", name="Bradford Council")


@pytest.fixture
def leeds_admin(leeds):
    return make_user(name="Lena Leeds-Admin", administers=(leeds,))


def test_an_authority_administrator_sees_only_their_authoritys_people(signed_in_client, leeds, bradford, leeds_admin):
    make_user(name="Lucy Leeds", memberships={leeds: "viewer"})
    make_user(name="Brian Bradford", memberships={bradford: "approver"})

    html = signed_in_client(leeds_admin).get("/users").get_data(as_text=True)

    assert "Lucy Leeds" in html and "Lena Leeds-Admin" in html
    assert "Brian Bradford" not in html


def test_a_person_page_shows_an_authority_administrator_only_their_authoritys_roles(signed_in_client, leeds, bradford, leeds_admin):
    both = make_user(name="Bo Both", memberships={leeds: "viewer", bradford: "approver"})

    html = signed_in_client(leeds_admin).get(f"/users/{both.id}").get_data(as_text=True)

    assert "Leeds City Council" in html
    assert "Bradford Council" not in html


def test_an_authority_administrator_gives_a_role_for_their_authority(signed_in_client, leeds, leeds_admin):
    person = make_user(memberships={leeds: "viewer"})

    response = post_form(signed_in_client(leeds_admin), f"/users/{person.id}/memberships", {"authority_code": "LDS", "role": "contributor"})

    assert response.status_code == 302
    db.session.refresh(person)
    assert person.role_in(leeds) is Role.CONTRIBUTOR


def test_an_authority_administrator_cannot_give_a_role_for_another_authority(signed_in_client, leeds, bradford, leeds_admin):
    person = make_user(memberships={leeds: "viewer"})
    before = database_snapshot()

    response = post_form(signed_in_client(leeds_admin), f"/users/{person.id}/memberships", {"authority_code": "BRD", "role": "approver"})

    assert response.status_code == 403
    assert database_snapshot() == before


def test_an_authority_administrator_cannot_give_themselves_a_role(leeds, leeds_admin):
    with pytest.raises(PermissionDenied, match="your own roles"):
        services.grant_membership(leeds_admin, leeds_admin, leeds, Role.APPROVER)


def test_a_system_administrator_cannot_give_themselves_a_role(leeds, admin):
    with pytest.raises(PermissionDenied, match="your own roles"):
        services.grant_membership(admin, admin, leeds, Role.APPROVER)


def test_an_authority_administrator_cannot_take_away_their_own_administrator_grant(leeds, leeds_admin):
    with pytest.raises(PermissionDenied):
        services.remove_administrator(leeds_admin, leeds_admin.administrator_grants[0])


def test_administering_an_authority_is_not_a_role_there(leeds, leeds_admin):
    assert leeds_admin.role_in(leeds) is None
    assert not leeds_admin.has_role(leeds, Role.VIEWER)


def test_administering_an_authority_gives_no_access_to_its_agreements(app, signed_in_client):
    from tests.agreements.builders import agreement_in, three_councils

    councils = three_councils()
    administrator = make_user(administers=(councils["LDS"].authority,))
    agreement = agreement_in("draft", councils)

    response = signed_in_client(administrator).get(f"/agreements/{agreement.reference}")

    assert response.status_code in (403, 404)


def test_an_authority_administrator_makes_another_administrator_for_their_authority(signed_in_client, leeds, leeds_admin):
    person = make_user(memberships={leeds: "approver"})

    response = post_form(signed_in_client(leeds_admin), f"/users/{person.id}/administrators", {"administrator_authority_code": "LDS"})

    assert response.status_code == 302
    db.session.refresh(person)
    assert person.administers(leeds)
    assert person.role_in(leeds) is Role.APPROVER  # the role is untouched


def test_making_someone_an_administrator_twice_says_so(signed_in_client, leeds, leeds_admin):
    person = make_user(memberships={leeds: "viewer"}, administers=(leeds,))

    response = post_form(signed_in_client(leeds_admin), f"/users/{person.id}/administrators",
                         {"administrator_authority_code": "LDS"}, from_page=f"/users/{person.id}")

    assert response.status_code == 422
    assert 'href="#administrator_authority_code">' in response.get_data(as_text=True)


def test_a_system_administrator_removes_an_administrator(signed_in_client, leeds, leeds_admin, admin):
    grant = leeds_admin.administrator_grants[0]

    response = post_form(signed_in_client(admin), f"/users/{leeds_admin.id}/administrators/{grant.id}/remove",
                         from_page=f"/users/{leeds_admin.id}")

    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuthorityAdministrator)) == 0


def test_an_authority_administrator_deactivates_someone_who_belongs_only_to_their_authority(signed_in_client, leeds, leeds_admin):
    person = make_user(memberships={leeds: "contributor"})

    response = post_form(signed_in_client(leeds_admin), f"/users/{person.id}/deactivate", from_page=f"/users/{person.id}")

    assert response.status_code == 302
    db.session.refresh(person)
    assert not person.active


def test_an_authority_administrator_cannot_deactivate_someone_who_also_belongs_elsewhere(signed_in_client, leeds, bradford, leeds_admin):
    person = make_user(memberships={leeds: "viewer", bradford: "approver"})
    before = database_snapshot()

    response = post_form(signed_in_client(leeds_admin), f"/users/{person.id}/deactivate", from_page=f"/users/{person.id}")

    assert response.status_code == 403
    assert database_snapshot() == before


def test_an_authority_administrator_cannot_deactivate_someone_with_a_system_role(leeds, leeds_admin):
    auditor = make_user(system_role="auditor", memberships={leeds: "viewer"})
    with pytest.raises(PermissionDenied):
        services.deactivate_user(leeds_admin, auditor)


def test_the_person_page_says_who_can_deactivate_someone_who_belongs_elsewhere(signed_in_client, leeds, bradford, leeds_admin):
    person = make_user(memberships={leeds: "viewer", bradford: "approver"})
    html = signed_in_client(leeds_admin).get(f"/users/{person.id}").get_data(as_text=True)
    assert "only a system administrator can deactivate their account" in html
    assert "Deactivate account" not in html


def test_an_authority_administrator_sees_the_users_link(signed_in_client, leeds_admin):
    html = signed_in_client(leeds_admin).get("/dashboard").get_data(as_text=True)
    assert 'href="/users"' in html


def test_someone_with_only_a_role_does_not_see_the_users_link(signed_in_client, leeds):
    html = signed_in_client(make_user(memberships={leeds: "approver"})).get("/dashboard").get_data(as_text=True)
    assert 'href="/users"' not in html


def test_appointing_and_removing_administrators_is_audited_by_authority_code(leeds, admin):
    person = make_user(name="Private Name", email="private@example.org")
    grant = services.appoint_administrator(admin, person, leeds)
    services.remove_administrator(admin, grant)
    db.session.commit()

    entries = [body for body in entry_bodies() if body["action"].startswith("administrator.")]
    assert [body["action"] for body in entries] == ["administrator.appoint", "administrator.remove"]
    assert all(body["authorities"] == ["LDS"] for body in entries)
    assert "private" not in str(entries).lower()


def test_the_api_says_which_authorities_someone_administers(api_as, leeds, leeds_admin):
    response = api_as(leeds_admin).get("/api/v1/me")
    assert response.json["administers"] == [{"authority_code": "LDS", "authority_name": "Leeds City Council"}]
    assert response.json["memberships"] == []


def test_sign_off_escalations_go_to_the_authoritys_own_administrators_and_the_system_administrators(leeds, bradford, leeds_admin, admin):
    found = signoff_queries.administrators_of([leeds.id, bradford.id])
    # By id: Flask-Login's UserMixin would find any two users equal here.
    assert {key: [user.id for user in users] for key, users in found.items()} == {
        leeds.id: [leeds_admin.id, admin.id], bradford.id: [admin.id]}


def test_a_deactivated_administrator_is_not_told(leeds, leeds_admin, admin):
    services.deactivate_user(admin, leeds_admin)
    db.session.commit()
    assert [user.id for user in signoff_queries.administrators_of([leeds.id])[leeds.id]] == [admin.id]
