"""The inbox: a person's notifications, newest first, unread ones marked and counted in the header; read one, or all."""

import pytest

from registry.agreements import services
from registry.extensions import db
from registry.notifications.models import Notification
from tests.conftest import post_form
from tests.snapshots import database_snapshot

URL = "/api/v1/notifications"


@pytest.fixture
def bradford(councils, proposed):
    """Bradford's approver, with the notification asking them to approve, and one of a later approval."""
    services.approve(councils["LDS"].approver, proposed, councils["LDS"].authority, content_hash=proposed.latest_version.content_hash)
    db.session.commit()
    return councils["BRD"].approver


def _notifications(user) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Notification).where(Notification.user_id == user.id).order_by(Notification.notice_id)))


def test_the_inbox_lists_my_notifications_newest_first_with_the_unread_counted_in_the_header(
        councils, proposed, bradford, signed_in_client):
    client = signed_in_client(bradford)
    page = client.get("/notifications").get_data(as_text=True)

    assert page.index(f"Approval needed: {proposed.reference}") > 0
    assert "You have 1 unread notification" in page
    assert 'class="app-header-count"' in client.get("/dashboard").get_data(as_text=True)
    assert ">1<" in client.get("/dashboard").get_data(as_text=True).split('class="app-header-count"')[1][:40]


def test_following_a_notification_marks_it_read_and_opens_the_page_to_act_on(councils, proposed, bradford, signed_in_client):
    client = signed_in_client(bradford)
    notification = _notifications(bradford)[0]

    response = client.get(f"/notifications/{notification.id}")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/agreements/{proposed.reference}/approve"
    assert _notifications(bradford)[0].read_at is not None
    assert "You have no unread notifications" in client.get("/notifications").get_data(as_text=True)


def test_mark_one_read_and_mark_all_read(councils, proposed, bradford, signed_in_client):
    lead = councils["LDS"].contributor  # told that Leeds approved: they submitted it
    client = signed_in_client(lead)
    mine = _notifications(lead)
    assert len(mine) == 1 and mine[0].kind == "approvals"
    assert post_form(client, f"/notifications/{mine[0].id}/read", from_page="/notifications").status_code == 302
    assert _notifications(lead)[0].read_at is not None

    bradford_client = signed_in_client(bradford)
    assert post_form(bradford_client, "/notifications/read-all", from_page="/notifications").status_code == 302
    assert all(n.read_at is not None for n in _notifications(bradford))


def test_nobody_reads_or_marks_another_persons_notification(councils, proposed, bradford, signed_in_client, api_as):
    theirs = _notifications(councils["LDS"].contributor)[0]  # Leeds approved: told to Leeds, not to Kirklees
    other = councils["KIR"].approver
    browser, api = signed_in_client(other), api_as(other)
    before = database_snapshot()

    assert browser.get(f"/notifications/{theirs.id}").status_code == 404
    assert post_form(browser, f"/notifications/{theirs.id}/read", from_page="/notifications").status_code == 404
    answer = api.post(f"{URL}/{theirs.id}/read")
    assert answer.status_code == 404 and "message" in answer.get_json()
    assert database_snapshot() == before


def test_signed_out_people_have_no_inbox(client, proposed):
    assert client.get("/notifications").status_code in (302, 401)
    assert client.get(f"{URL}").status_code == 401


def test_the_api_lists_my_notifications_and_marks_them_read(councils, proposed, bradford, api_as):
    api = api_as(bradford)
    listed = api.get(URL).get_json()
    assert listed["unread"] == 1 and listed["total"] == 1
    first = listed["items"][0]
    assert first["link"] == f"/agreements/{proposed.reference}/approve" and first["unread"] is True

    marked = api.post(f"{URL}/{first['id']}/read")
    assert marked.status_code == 200 and marked.get_json()["unread"] is False
    assert api.get(f"{URL}?unread=true").get_json()["items"] == []
    assert api.post(f"{URL}/read-all").get_json() == {"marked_read": 0}


def test_an_unread_filter_that_is_not_yes_or_no_is_explained(councils, proposed, bradford, signed_in_client, api_as):
    page = signed_in_client(bradford).get("/notifications?unread=maybe")
    assert page.status_code == 422 and "Select unread only" in page.get_data(as_text=True)
    assert api_as(bradford).get(f"{URL}?unread=maybe").status_code == 422
