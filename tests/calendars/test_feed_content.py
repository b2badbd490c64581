"""What an authority's calendar feed holds: its reviews and the obligations it owes or is owed, nothing else."""

from datetime import timedelta

import icalendar
import pytest

from registry.agreements import services as agreement_services
from registry.core.clock import today
from registry.extensions import db
from tests.agreements.builders import agreement_in, complete_draft, make_council, three_councils

from . import add_obligation, events_of, fetch, make_feed


@pytest.fixture
def scene(app):
    """An active Leeds-led agreement with Bradford and Kirklees, and exactly these four obligations between them."""
    councils = three_councils()
    agreement = agreement_in("active", councils)
    # Whatever the builder drafted is covered by the test that follows the services' path.
    agreement.current_version.obligations.clear()
    db.session.commit()
    day = today()
    add_obligation(agreement, owed_by="BRD", owed_to="LDS", lineage="ret-brd-lds", type="retention",
                   due_date=day + timedelta(days=30))
    add_obligation(agreement, owed_by="KIR", owed_to="BRD", lineage="brch-kir-brd", type="breach_notification",
                   due_date=day + timedelta(days=60))
    add_obligation(agreement, owed_by="LDS", owed_to=None, lineage="dq-lds-all", type="data_quality",
                   due_date=day - timedelta(days=10))
    add_obligation(agreement, owed_by="BRD", owed_to="KIR", lineage="sec-brd-kir", type="security_standard",
                   due_date=day + timedelta(days=90), every_months=12)
    return councils, agreement


def _feed_of(client, council):
    return events_of(fetch(client, make_feed(council.viewer, council.authority)))


def _uids(events) -> set[str]:
    return {str(e["UID"]).split("@")[0] for e in events}


def test_the_feed_parses_and_holds_the_review_date(client, scene):
    councils, agreement = scene
    response = fetch(client, make_feed(councils["LDS"].viewer, councils["LDS"].authority))

    calendar = icalendar.Calendar.from_ical(response.data)
    reviews = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Review due:")]

    assert [e.start for e in reviews] == [agreement.review_due]
    assert str(reviews[0]["SUMMARY"]) == f"Review due: Supporting families ({agreement.reference})"
    assert reviews[0].end == agreement.review_due + timedelta(days=1)
    description = str(reviews[0]["DESCRIPTION"])
    assert "Leeds City Council (lead), Bradford Council, Kirklees Council" in description
    assert f"/agreements/{agreement.reference}" in description
    assert str(reviews[0]["URL"]).endswith(f"/agreements/{agreement.reference}")


def test_the_feed_is_published_as_a_calendar_to_refresh_hourly(client, scene):
    councils, _ = scene
    response = fetch(client, make_feed(councils["LDS"].viewer, councils["LDS"].authority))

    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, max-age=300"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Leeds City Council: data-sharing dates"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.data
    assert b"X-PUBLISHED-TTL:PT1H" in response.data
    for event in calendar.walk("VEVENT"):
        assert event.DTSTAMP is not None
        assert isinstance(event.start, type(today()))  # all-day: a date, not a time


def test_obligations_owed_by_or_to_the_authority_are_in_its_feed_and_no_others(client, scene):
    councils, agreement = scene
    day = today()

    leeds = {str(e["UID"]).split("@")[0]: e for e in _feed_of(client, councils["LDS"])}
    bradford = _uids(_feed_of(client, councils["BRD"]))
    kirklees = _uids(_feed_of(client, councils["KIR"]))

    review = f"review-{agreement.reference}-{agreement.review_due.isoformat()}"
    retention = f"obligation-ret-brd-lds-{(day + timedelta(days=30)).isoformat()}"
    breach = f"obligation-brch-kir-brd-{(day + timedelta(days=60)).isoformat()}"
    quality = f"obligation-dq-lds-all-{(day - timedelta(days=10)).isoformat()}"
    security = f"obligation-sec-brd-kir-{(day + timedelta(days=90)).isoformat()}"
    assert set(leeds) == {review, retention, quality}
    assert bradford == {review, retention, breach, quality, security}
    assert kirklees == {review, breach, quality, security}

    event = leeds[retention]
    assert str(event["SUMMARY"]) == f"Retention and deletion due: {agreement.reference}"
    assert event.start == day + timedelta(days=30)
    assert "Owed by Bradford Council to Leeds City Council." in str(event["DESCRIPTION"])


def test_obligations_drafted_through_the_services_are_in_the_feed_when_they_have_a_date(client, app):
    councils = three_councils()
    agreement = agreement_in("active", councils)
    obligations = agreement.current_version.obligations
    assert obligations, "the builder drafts obligations"

    for code, council in councils.items():
        uids = _uids(_feed_of(client, council))
        for obligation in obligations:
            owed_to = {obligation.owed_to.authority.code} if obligation.owed_to else set(councils)  # None: every party
            involved = code == obligation.owed_by.authority.code or code in owed_to
            shown = {uid for uid in uids if uid.startswith(f"obligation-{obligation.lineage}-")}
            if obligation.due_kind == "event" or not involved:
                assert shown == set()
            else:
                assert shown == {f"obligation-{obligation.lineage}-{obligation.due_date.isoformat()}"}


def test_an_obligation_owed_to_every_party_names_them_all_and_says_when_it_is_overdue(client, scene):
    councils, agreement = scene
    event = next(e for e in _feed_of(client, councils["LDS"]) if str(e["UID"]).startswith("obligation-dq-"))

    assert str(event["SUMMARY"]) == f"Data quality due: {agreement.reference} (overdue)"
    description = str(event["DESCRIPTION"])
    assert "Owed by Leeds City Council to Bradford Council and Kirklees Council." in description
    assert "Overdue: it was due on" in description


def test_a_recurring_obligation_shows_its_next_date(client, scene):
    councils, _ = scene
    event = next(e for e in _feed_of(client, councils["KIR"]) if str(e["UID"]).startswith("obligation-sec-"))

    assert event.start == today() + timedelta(days=90)
    assert "every 12 months" in str(event["DESCRIPTION"])


def test_an_authority_that_is_not_a_party_sees_none_of_these_dates(client, scene):
    wakefield = make_council("WKF", "Wakefield Council")

    assert _feed_of(client, wakefield) == []


def test_drafts_and_withdrawn_agreements_are_left_out(client, scene):
    councils, agreement = scene
    draft = complete_draft(councils)
    withdrawn = agreement_in("proposed", councils)
    agreement_services.withdraw(councils["LDS"].approver, withdrawn)
    for other in (draft, withdrawn):
        # A review date and an obligation that a careless query would pick up.
        other.review_due = today() + timedelta(days=100)
        add_obligation(other, owed_by="BRD", owed_to="LDS", lineage=f"x-{other.id}", due_date=today() + timedelta(days=5))
    db.session.commit()

    summaries = " ".join(str(e["SUMMARY"]) for e in _feed_of(client, councils["LDS"]))

    assert agreement.reference in summaries
    assert draft.reference not in summaries
    assert withdrawn.reference not in summaries


@pytest.mark.parametrize("state", ["under_review", "suspended"])
def test_agreements_under_review_or_suspended_are_still_in_force(client, app, state):
    councils = three_councils()
    agreement = agreement_in(state, councils)

    reviews = [e.start for e in _feed_of(client, councils["BRD"]) if str(e["SUMMARY"]).startswith("Review due:")]

    assert reviews == [agreement.review_due]


def test_uids_stay_the_same_from_one_request_to_the_next(client, scene):
    councils, _ = scene
    secret = make_feed(councils["BRD"].viewer, councils["BRD"].authority)

    first, second = events_of(fetch(client, secret)), events_of(fetch(client, secret))

    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in second]
    assert len({str(e["UID"]) for e in first}) == len(first) == 5
    assert all(str(e["UID"]).endswith("@" + client.application.config["SERVICE_HOST"]) for e in first)


def test_the_feed_names_no_people(client, scene):
    councils, _ = scene
    body = fetch(client, make_feed(councils["LDS"].viewer, councils["LDS"].authority)).get_data(as_text=True)
    unfolded = body.replace("\r\n ", "")

    for council in councils.values():
        for person in (council.viewer, council.contributor, council.approver, council.second_approver):
            assert person.name not in unfolded
            assert person.email not in unfolded
