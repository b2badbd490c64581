"""Administrators create users, grant and revoke memberships, change system roles and deactivate users."""

import re

import sqlalchemy as sa

from registry.extensions import db
from registry.users.models import Membership, User
from registry.users.queries import user_by_email
from tests.conftest import post_form
from tests.factories import make_authority, make_user

NEW_PERSON = {"name": "Nadia Newstarter", "email": "Nadia@Leeds.example.org", "password": "winter-orchard-lantern", "system_role": "none"}


def test_admin_creates_a_user(signed_in_client, admin):
    response = post_form(signed_in_client(admin), "/users/new", NEW_PERSON)
    assert response.status_code == 302
    user = user_by_email("nadia@leeds.example.org")
    assert user.name == "Nadia Newstarter"
    assert user.system_role is None
    assert user.password_hash.startswith("$argon2id$")


def test_a_weak_password_is_refused_with_the_reason(signed_in_client, admin):
    response = post_form(signed_in_client(admin), "/users/new", {**NEW_PERSON, "password": "password1234"})
    assert response.status_code == 422
    assert 'href="#password">Password is too easy to guess' in response.get_data(as_text=True)
    assert user_by_email(NEW_PERSON["email"]) is None


def test_a_second_account_with_the_same_email_is_refused(signed_in_client, admin):
    make_user(email="nadia@leeds.example.org")
    response = post_form(signed_in_client(admin), "/users/new", NEW_PERSON)
    assert response.status_code == 422
    assert "There is already an account with this email address" in response.get_data(as_text=True)


def test_a_malformed_email_is_refused(signed_in_client, admin):
    response = post_form(signed_in_client(admin), "/users/new", {**NEW_PERSON, "email": "not-an-email"})
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)


def test_admin_grants_changes_and_revokes_a_membership(signed_in_client, admin):
    leeds = make_authority(code="LDS", name="Leeds City Council")
    person = make_user()
    client = signed_in_client(admin)

    granted = post_form(client, f"/users/{person.id}/memberships", {"authority_code": "lds", "role": "contributor"})
    assert granted.status_code == 302
    assert person.role_in(leeds).value == "contributor"

    post_form(client, f"/users/{person.id}/memberships", {"authority_code": "LDS", "role": "approver"})
    db.session.refresh(person)
    assert person.role_in(leeds).value == "approver"

    membership = person.memberships[0]
    post_form(client, f"/users/{person.id}/memberships/{membership.id}/revoke", from_page=f"/users/{person.id}")
    db.session.refresh(person)
    assert person.memberships == []


def test_granting_for_an_unknown_authority_shows_an_error(signed_in_client, admin):
    person = make_user()
    response = post_form(signed_in_client(admin), f"/users/{person.id}/memberships", {"authority_code": "ZZZ", "role": "viewer"}, from_page=f"/users/{person.id}")
    assert response.status_code == 422
    assert 'href="#authority_code">There is no authority with the code ZZZ' in response.get_data(as_text=True)


def test_granting_for_an_ended_council_is_refused(signed_in_client, admin):
    from datetime import date

    make_authority(code="OLD", name="Old District Council", end_date=date(2020, 3, 31))
    person = make_user()
    response = post_form(signed_in_client(admin), f"/users/{person.id}/memberships", {"authority_code": "OLD", "role": "viewer"}, from_page=f"/users/{person.id}")
    assert response.status_code == 422
    assert "has ended" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 0


def test_admin_deactivates_and_reactivates_a_user(signed_in_client, admin):
    person = make_user()
    client = signed_in_client(admin)
    post_form(client, f"/users/{person.id}/deactivate", from_page=f"/users/{person.id}")
    db.session.refresh(person)
    assert person.active is False and person.deactivated_at is not None

    post_form(client, f"/users/{person.id}/reactivate", from_page=f"/users/{person.id}")
    db.session.refresh(person)
    assert person.active is True


def test_admin_cannot_deactivate_themselves(signed_in_client, admin):
    response = post_form(signed_in_client(admin), f"/users/{admin.id}/deactivate", from_page=f"/users/{admin.id}")
    assert response.status_code == 403
    db.session.refresh(admin)
    assert admin.active


def test_admin_makes_someone_an_auditor(signed_in_client, admin):
    person = make_user()
    post_form(signed_in_client(admin), f"/users/{person.id}/system-role", {"system_role": "auditor"}, from_page=f"/users/{person.id}")
    db.session.refresh(person)
    assert person.system_role == "auditor"


def test_user_list_finds_people_by_name(signed_in_client, admin):
    make_user(name="Zebedee Zed")
    html = signed_in_client(admin).get("/users?q=zebedee").get_data(as_text=True)
    assert "Zebedee Zed" in html and "1 user" in html


def test_unknown_user_is_404(signed_in_client, admin):
    assert signed_in_client(admin).get("/users/9999").status_code == 404


def test_an_auditor_cannot_manage_users(signed_in_client):
    auditor = make_user(system_role="auditor")
    client = signed_in_client(auditor)
    assert client.get("/users").status_code == 403
    response = post_form(client, "/users/new", NEW_PERSON, from_page="/dashboard")
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_a_system_administrator_chooses_the_authority_for_a_role_by_name_not_by_typing_a_code(signed_in_client, admin):
    make_authority(code="LDS", name="Leeds City Council")
    make_authority(code="BRD", name="Bradford Council")
    person = make_user()
    html = signed_in_client(admin).get(f"/users/{person.id}").get_data(as_text=True)
    for field in ("authority_code", "administrator_authority_code"):
        select = re.search(rf'<select class="govuk-select[^"]*" id="{field}" name="{field}"[^>]*data-module="app-authority-select"[^>]*>(.*?)</select>', html, re.S)
        assert select, f"no select of authorities for {field}"
        assert re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)) == [
            ("", "Choose an authority"), ("BRD", "Bradford Council"), ("LDS", "Leeds City Council")]
    assert "js/authority-select.mjs" in html
