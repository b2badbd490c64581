"""Calendar feeds: one per person and authority, its address shown once, regenerated or stopped, dead when access ends."""

import json
import logging
import re

import pytest
import sqlalchemy as sa

from registry.auditlog.models import AuditEntry
from registry.calendars import services
from registry.calendars.models import CalendarFeed
from registry.core.errors import Conflict, PermissionDenied
from registry.core.tokens import secret_hash
from registry.extensions import db
from registry.users import services as user_services
from tests.conftest import post_form
from tests.factories import make_authority, make_user

from . import fetch, make_feed

# On the registry's own base URL, as a calendar app must reach it (core/links.py).
ADDRESS = re.compile(r'id="calendar-feed-url">(https://registry\.example-council\.gov\.uk/calendars/(dsrcal_[A-Za-z0-9_-]+)\.ics)<')


@pytest.fixture
def leeds(app):
    return make_authority(code="LDS", name="Leeds City Council")


def _create_on_page(client, code="LDS"):
    """Press "Create a feed" on the calendars page; return the response and the secret it shows."""
    response = post_form(client, f"/account/calendars/{code}/feed", from_page="/account/calendars")
    match = ADDRESS.search(response.get_data(as_text=True))
    return response, match.group(2) if match else None


def _feeds() -> list[CalendarFeed]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(CalendarFeed).order_by(CalendarFeed.id)))


def _calendar_entries() -> list[dict]:
    statement = sa.select(AuditEntry).where(AuditEntry.object_type == "calendar_feed").order_by(AuditEntry.index)
    return [json.loads(entry.entry) for entry in db.session.scalars(statement)]


@pytest.mark.parametrize("role", ["viewer", "contributor", "approver"])
def test_a_member_in_any_role_creates_a_feed_and_sees_its_address_once(signed_in_client, leeds, role):
    client = signed_in_client(make_user(memberships={leeds: role}))

    response, secret = _create_on_page(client)

    assert response.status_code == 200
    assert secret
    assert "Copy it now" in response.get_data(as_text=True)
    [feed] = _feeds()
    assert feed.token_hash == secret_hash(secret)
    page = client.get("/account/calendars").get_data(as_text=True)
    assert secret not in page
    assert "Created" in page
    assert "Regenerate" in page


def test_the_address_serves_the_feed_to_a_calendar_app_that_cannot_sign_in(app, signed_in_client, leeds):
    _, secret = _create_on_page(signed_in_client(make_user(memberships={leeds: "viewer"})))

    response = fetch(app.test_client(), secret)

    assert response.status_code == 200
    assert response.data.startswith(b"BEGIN:VCALENDAR")


def test_only_the_hash_of_the_secret_is_stored_or_logged(signed_in_client, leeds, caplog):
    caplog.set_level(logging.DEBUG)
    client = signed_in_client(make_user(memberships={leeds: "viewer"}))

    _, secret = _create_on_page(client)
    fetch(client, secret)
    feed = _feeds()[0]
    regenerated = post_form(client, f"/account/calendars/feeds/{feed.id}/regenerate", from_page="/account/calendars")
    new_secret = ADDRESS.search(regenerated.get_data(as_text=True)).group(2)

    for value in (secret, new_secret):
        assert value not in caplog.text
        for table in ("calendar_feeds", "audit_entries"):
            dump = "\n".join(str(row) for row in db.session.execute(sa.text(f"SELECT * FROM {table}")))
            assert value not in dump
        assert secret_hash(value) not in json.dumps(_calendar_entries())


def test_regenerating_kills_the_old_address_and_the_new_one_works(app, signed_in_client, leeds):
    client = signed_in_client(make_user(memberships={leeds: "viewer"}))
    _, old_secret = _create_on_page(client)
    old_feed = _feeds()[0]

    response = post_form(client, f"/account/calendars/feeds/{old_feed.id}/regenerate", from_page="/account/calendars")

    assert response.status_code == 200
    assert "The old address no longer works" in response.get_data(as_text=True)
    new_secret = ADDRESS.search(response.get_data(as_text=True)).group(2)
    assert new_secret != old_secret
    calendar_app = app.test_client()
    assert fetch(calendar_app, old_secret).status_code == 404
    assert fetch(calendar_app, new_secret).status_code == 200
    old, new = _feeds()
    assert old.revoked_at is not None and new.revoked_at is None


def test_a_stopped_feed_answers_404(app, signed_in_client, leeds):
    client = signed_in_client(make_user(memberships={leeds: "viewer"}))
    _, secret = _create_on_page(client)

    response = post_form(client, f"/account/calendars/feeds/{_feeds()[0].id}/stop", from_page="/account/calendars")

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "has been stopped" in page
    assert "Create a feed" in page
    assert fetch(app.test_client(), secret).status_code == 404


def test_an_address_nobody_was_given_answers_404(client):
    assert fetch(client, "dsrcal_" + "x" * 43).status_code == 404
    assert fetch(client, "y" * 500).status_code == 404


def test_a_deactivated_persons_feed_answers_404(client, leeds, admin):
    person = make_user(memberships={leeds: "viewer"})
    secret = make_feed(person, leeds)

    user_services.deactivate_user(admin, person)
    db.session.commit()

    assert fetch(client, secret).status_code == 404
    # Let back in, they make a new address: the old one may have leaked meanwhile.
    user_services.reactivate_user(admin, person)
    db.session.commit()
    assert fetch(client, secret).status_code == 404


def test_deactivation_stops_the_feeds_for_good_and_its_entry_says_how_many(leeds, admin):
    person = make_user(memberships={leeds: "viewer"})
    make_feed(person, leeds)
    user_services.deactivate_user(admin, person)
    db.session.commit()
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == person.id))
    assert feed.revoked_at is not None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.deactivate"))
    assert json.loads(entry.entry)["data"] == {"api_tokens_revoked": 0, "calendar_feeds_stopped": 1}


def test_a_person_who_leaves_the_authority_gets_404_even_once_let_back_in(client, leeds, admin):
    from registry.users.roles import Role

    person = make_user(memberships={leeds: "viewer"})
    secret = make_feed(person, leeds)

    user_services.revoke_membership(admin, person.memberships[0])
    db.session.commit()
    assert fetch(client, secret).status_code == 404

    user_services.grant_membership(admin, person, leeds, Role.VIEWER)
    db.session.commit()
    assert fetch(client, secret).status_code == 404
    assert make_feed(person, leeds) != secret  # they can make a new one


def test_regenerating_an_old_dead_feed_cannot_make_a_second_live_one(client, leeds, admin):
    from registry.users.roles import Role

    person = make_user(memberships={leeds: "viewer"})
    make_feed(person, leeds)
    old = db.session.scalars(sa.select(CalendarFeed)).one()
    user_services.revoke_membership(admin, person.memberships[0])
    user_services.grant_membership(admin, person, leeds, Role.VIEWER)
    db.session.commit()
    make_feed(person, leeds)  # the new one, live

    with pytest.raises(Conflict):
        services.regenerate_feed(person, old)
    db.session.rollback()

    not_stopped = [feed for feed in db.session.scalars(sa.select(CalendarFeed)) if feed.revoked_at is None]
    assert len(not_stopped) == 2  # nothing changed: the old (dead since the membership ended) and the new


def test_a_changed_role_keeps_the_feed_working(client, leeds, admin):
    from registry.users.roles import Role

    person = make_user(memberships={leeds: "viewer"})
    secret = make_feed(person, leeds)

    user_services.grant_membership(admin, person, leeds, Role.APPROVER)
    db.session.commit()

    assert fetch(client, secret).status_code == 200


@pytest.mark.parametrize("system_role", [None, "admin", "auditor"])
def test_only_members_create_a_feed_of_an_authority(signed_in_client, leeds, system_role):
    other = make_authority(code="BRD", name="Bradford Council")
    outsider = make_user(system_role=system_role, memberships={other: "approver"})
    entries_before = len(_calendar_entries())

    response, secret = _create_on_page(signed_in_client(outsider), code="LDS")

    assert response.status_code == 403
    assert secret is None
    assert _feeds() == []
    assert len(_calendar_entries()) == entries_before
    with pytest.raises(PermissionDenied):
        services.create_feed(outsider, leeds)


def test_a_feed_of_an_unknown_authority_is_404(signed_in_client, leeds):
    response, _ = _create_on_page(signed_in_client(make_user(memberships={leeds: "viewer"})), code="NOPE")
    assert response.status_code == 404
    assert _feeds() == []


def test_a_person_has_one_feed_per_authority(signed_in_client, leeds):
    person = make_user(memberships={leeds: "viewer"})
    make_feed(person, leeds)

    response, secret = _create_on_page(signed_in_client(person))

    assert response.status_code == 409
    assert secret is None
    assert len(_feeds()) == 1


def test_nobody_regenerates_or_stops_someone_elses_feed(app, signed_in_client, leeds):
    owner = make_user(memberships={leeds: "viewer"})
    secret = make_feed(owner, leeds)
    feed = _feeds()[0]
    colleague = make_user(memberships={leeds: "approver"})
    client = signed_in_client(colleague)

    for action in ("regenerate", "stop"):
        response = post_form(client, f"/account/calendars/feeds/{feed.id}/{action}", from_page="/account/calendars")
        assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.revoke_feed(colleague, feed)
    with pytest.raises(PermissionDenied):
        services.regenerate_feed(colleague, feed)
    db.session.rollback()
    assert len(_feeds()) == 1 and _feeds()[0].revoked_at is None
    assert fetch(app.test_client(), secret).status_code == 200


def test_a_former_member_may_stop_their_feed_but_not_regenerate_it(leeds, admin):
    person = make_user(memberships={leeds: "viewer"})
    make_feed(person, leeds)
    feed = _feeds()[0]
    user_services.revoke_membership(admin, person.memberships[0])
    db.session.commit()

    with pytest.raises(PermissionDenied):
        services.regenerate_feed(person, feed)
    db.session.rollback()
    services.revoke_feed(person, feed)
    db.session.commit()
    assert _feeds()[0].revoked_at is not None


def test_stopping_a_stopped_feed_is_a_conflict(leeds):
    person = make_user(memberships={leeds: "viewer"})
    make_feed(person, leeds)
    feed = _feeds()[0]
    services.revoke_feed(person, feed)
    db.session.commit()

    with pytest.raises(Conflict):
        services.revoke_feed(person, feed)
    with pytest.raises(Conflict):
        services.regenerate_feed(person, feed)


def test_creating_regenerating_and_stopping_are_audited(leeds):
    person = make_user(memberships={leeds: "viewer"})
    first, _ = services.create_feed(person, leeds)
    second, _ = services.regenerate_feed(person, first)
    services.revoke_feed(person, second)
    db.session.commit()

    entries = _calendar_entries()

    assert [(e["action"], e["object"]) for e in entries] == [
        ("calendar_feed.create", {"type": "calendar_feed", "ref": str(first.id)}),
        ("calendar_feed.revoke", {"type": "calendar_feed", "ref": str(first.id)}),
        ("calendar_feed.create", {"type": "calendar_feed", "ref": str(second.id)}),
        ("calendar_feed.revoke", {"type": "calendar_feed", "ref": str(second.id)}),
    ]
    assert [e["data"] for e in entries] == [
        {"authority": "LDS"},
        {"authority": "LDS"},
        {"authority": "LDS", "replaces": first.id},
        {"authority": "LDS"},
    ]
    assert all(e["actor"] == {"type": "user", "id": person.id} for e in entries)
    assert all(e["authorities"] == ["LDS"] for e in entries)


def test_serving_a_feed_is_not_audited(client, leeds):
    secret = make_feed(make_user(memberships={leeds: "viewer"}), leeds)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))

    fetch(client, secret)

    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before


def test_the_calendars_page_lists_each_authority_with_what_can_be_done(signed_in_client, leeds):
    bradford = make_authority(code="BRD", name="Bradford Council")
    person = make_user(memberships={leeds: "viewer", bradford: "approver"})
    make_feed(person, bradford)

    page = signed_in_client(person).get("/account/calendars").get_data(as_text=True)

    assert "Create a feed<span class=\"govuk-visually-hidden\"> of Leeds City Council" in page
    assert "Regenerate<span class=\"govuk-visually-hidden\"> the feed of Bradford Council" in page
    assert "Stop<span class=\"govuk-visually-hidden\"> the feed of Bradford Council" in page
    assert "Subscribing in Outlook" in page and "Subscribing in Google Calendar" in page


def test_the_account_page_links_to_the_calendars_page(signed_in_client, leeds):
    page = signed_in_client(make_user(memberships={leeds: "viewer"})).get("/account").get_data(as_text=True)
    assert 'href="/account/calendars"' in page


def test_the_calendars_page_needs_signing_in(client):
    response = client.get("/account/calendars")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_the_address_is_on_the_service_url_never_the_request_host(app):
    from registry.core.links import external_url

    app.config.update(SERVICE_URL="https://registry.leeds.gov.uk")
    with app.test_request_context("/", base_url="http://evil.example"):
        assert external_url("calendars.feed", token="dsrcal_abc") == "https://registry.leeds.gov.uk/calendars/dsrcal_abc.ics"
