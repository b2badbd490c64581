"""Sign-off speed: days from first submission to in force (the last approval), median and 90th percentile
over the last 12 months, from the workflow's history; and what is waiting longest.

The history is made by the services, then its times are moved into the past, as if it had
taken that long.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.agreements import services
from registry.agreements.models import AgreementEvent, AgreementVersion
from registry.core.clock import today
from registry.core.db import utcnow
from registry.extensions import db
from registry.signoff import cycles, queries
from registry.signoff.models import SignOffCycle
from registry.users.actors import SCHEDULER
from tests.agreements.builders import complete_draft
from tests.factories import make_user

from .conftest import approve

NOW = utcnow()


def at(days_ago: float):
    return NOW - timedelta(days=days_ago)


def place(agreement, *times: tuple[str, float]) -> None:
    """Give the agreement's history events these times, in order: (action, days ago) for each event of that action.

    Its sign-off cycles, recorded as they completed (now), are then summarised again from the
    history as moved, by the migration's backfill: only tests rewrite history.
    """
    events = list(db.session.scalars(
        sa.select(AgreementEvent).where(AgreementEvent.agreement_id == agreement.id, AgreementEvent.action.in_(
            {action for action, _ in times})).order_by(AgreementEvent.id)))
    assert [event.action for event in events] == [action for action, _ in times]
    for event, (_, days_ago) in zip(events, times):
        event.created_at = at(days_ago)
    db.session.execute(sa.delete(SignOffCycle).where(SignOffCycle.agreement_id == agreement.id))
    cycles.backfill(db.session)
    db.session.commit()


def signed_off(councils, *, submitted: float, in_force: float, partners=("BRD", "KIR")):
    """Return a Leeds-led agreement submitted and approved by every party, that many days ago."""
    agreement = complete_draft(councils, partners=partners)
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    approve(councils, agreement, "LDS", *partners)
    place(agreement, ("submit", submitted), *[("approve", in_force)] * (1 + len(partners)))
    return agreement


def proposed_since(councils, days_ago: float, partners=("BRD", "KIR")):
    """Return a Leeds-led agreement sent for approval that many days ago, approved by none."""
    agreement = complete_draft(councils, partners=partners)
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    version = db.session.get(AgreementVersion, agreement.latest_version_id)
    version.submitted_at = at(days_ago)
    db.session.commit()
    return agreement


# The figures


def test_the_median_and_90th_percentile_of_days_from_first_submission_to_in_force(councils):
    for submitted, in_force in ((40, 30), (50, 30), (100, 60)):
        signed_off(councils, submitted=submitted, in_force=in_force)

    speed = queries.signoff_speed(today())

    assert speed.count == 3
    assert speed.median == pytest.approx(20)
    assert speed.p90 == pytest.approx(36)  # 20 + 0.8 × (40 − 20), interpolated as percentile_cont does


def test_sign_offs_completed_more_than_12_months_ago_are_left_out(councils):
    signed_off(councils, submitted=420, in_force=400)
    signed_off(councils, submitted=40, in_force=30)

    speed = queries.signoff_speed(today())

    assert (speed.count, speed.median) == (1, pytest.approx(10))


def test_a_version_sent_back_for_changes_counts_from_the_first_submission(councils):
    agreement = complete_draft(councils)
    services.submit(councils["LDS"].contributor, agreement)
    services.request_changes(councils["KIR"].approver, agreement, reason="Say how long Kirklees keeps the records")
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    approve(councils, agreement, "LDS", "BRD", "KIR")
    place(agreement, ("submit", 30), ("request_changes", 25), ("submit", 20), ("approve", 10), ("approve", 10), ("approve", 10))

    assert queries.signoff_speed(today()).median == pytest.approx(20)


def _amend(councils, agreement) -> None:
    """Bring the signed-off agreement into force and let Bradford start an amendment."""
    services.start(SCHEDULER, agreement)
    services.amend(councils["BRD"].contributor, agreement)
    db.session.commit()


def test_an_amendment_counts_from_its_own_first_submission(councils):
    agreement = signed_off(councils, submitted=100, in_force=90)
    _amend(councils, agreement)
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    approve(councils, agreement, "LDS", "BRD", "KIR")
    place(agreement, ("submit", 100), ("approve", 90), ("approve", 90), ("approve", 90),
          ("submit", 30), ("approve", 5), ("approve", 5), ("approve", 5))

    speed = queries.signoff_speed(today())

    assert (speed.count, speed.median) == (2, pytest.approx(17.5))


def test_a_withdrawn_proposal_is_not_counted_nor_counted_in_the_next(councils):
    agreement = signed_off(councils, submitted=200, in_force=190)
    _amend(councils, agreement)
    services.submit(councils["LDS"].contributor, agreement)
    services.withdraw(councils["LDS"].contributor, agreement, reason="Not needed after all")
    services.amend(councils["BRD"].contributor, agreement)
    db.session.commit()
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    approve(councils, agreement, "LDS", "BRD", "KIR")
    place(agreement, ("submit", 200), ("approve", 190), ("approve", 190), ("approve", 190), ("submit", 60), ("withdraw", 50),
          ("submit", 20), ("approve", 10), ("approve", 10), ("approve", 10))

    speed = queries.signoff_speed(today())

    assert (speed.count, sorted([speed.median, speed.p90])) == (2, [pytest.approx(10), pytest.approx(10)])


def test_an_authoritys_figures_count_only_the_agreements_it_is_a_party_to(councils):
    signed_off(councils, submitted=20, in_force=10)
    signed_off(councils, submitted=40, in_force=10, partners=("BRD",))

    kirklees = queries.signoff_speed(today(), councils["KIR"].authority.id)
    bradford = queries.signoff_speed(today(), councils["BRD"].authority.id)

    assert (kirklees.count, kirklees.median) == (1, pytest.approx(10))
    assert (bradford.count, bradford.median) == (2, pytest.approx(20))


def test_with_nothing_signed_off_there_are_no_figures(councils):
    speed = queries.signoff_speed(today())

    assert (speed.count, speed.median, speed.p90) == (0, None, None)


@pytest.mark.parametrize("values, fraction, expected", [
    ([5.0], 0.9, 5.0), ([1.0, 2.0], 0.5, 1.5), ([1.0, 2.0, 3.0, 4.0], 0.9, 3.7), ([10.0, 20.0, 40.0], 0.5, 20.0), ([], 0.5, None),
])
def test_percentiles_are_interpolated_as_postgresqls_percentile_cont(values, fraction, expected):
    assert queries.percentile(values, fraction) == (pytest.approx(expected) if expected is not None else None)


# The pages


@pytest.fixture
def auditor(app):
    return make_user(name="An auditor", system_role="auditor")


@pytest.mark.parametrize("who", ["Bradford viewer", "auditor", "administrator"])
def test_people_at_the_authority_auditors_and_administrators_see_its_sign_off_page(councils, auditor, admin, signed_in_client, who):
    person = {"Bradford viewer": councils["BRD"].viewer, "auditor": auditor, "administrator": admin}[who]

    response = signed_in_client(person).get("/authorities/BRD/sign-off")

    assert response.status_code == 200
    assert "How fast agreements are approved" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["Leeds approver", "outsider"])
def test_nobody_else_sees_an_authoritys_sign_off_page(councils, outsider, signed_in_client, who):
    person = {"Leeds approver": councils["LDS"].approver, "outsider": outsider}[who]

    assert signed_in_client(person).get("/authorities/BRD/sign-off").status_code == 403


@pytest.mark.parametrize("who, status", [("auditor", 200), ("administrator", 200), ("council approver", 403)])
def test_only_auditors_and_administrators_see_sign_off_across_every_authority(councils, auditor, admin, signed_in_client, who, status):
    person = {"auditor": auditor, "administrator": admin, "council approver": councils["LDS"].approver}[who]

    assert signed_in_client(person).get("/sign-off").status_code == status


def test_the_page_shows_how_many_were_signed_off_with_the_median_and_90th_percentile(councils, signed_in_client):
    for submitted, in_force in ((40, 30), (50, 30), (100, 60)):
        signed_off(councils, submitted=submitted, in_force=in_force)

    html = signed_in_client(councils["KIR"].viewer).get("/authorities/KIR/sign-off").get_data(as_text=True)

    assert "3 agreements and amendments" in html
    assert "20 days: half took less" in html
    assert "36 days: 9 in 10 took less" in html
    assert "How these are counted" in html


def test_the_page_lists_what_waits_for_the_authority_longest_first_with_links(councils, signed_in_client):
    newer = proposed_since(councils, 3)
    older = proposed_since(councils, 12)
    elsewhere = proposed_since(councils, 30, partners=("BRD",))

    html = signed_in_client(councils["KIR"].viewer).get("/authorities/KIR/sign-off").get_data(as_text=True)

    assert html.index(older.reference) < html.index(newer.reference)
    assert elsewhere.reference not in html
    assert f'href="/agreements/{older.reference}#sign-off"' in html
    assert "2 proposals waiting for its approval" in html


def test_administrators_see_which_agreements_wait_but_not_what_they_say(councils, admin, signed_in_client):
    waiting = proposed_since(councils, 5)

    html = signed_in_client(admin).get("/authorities/KIR/sign-off").get_data(as_text=True)

    assert waiting.reference in html
    assert "Supporting families" not in html
    assert f'href="/agreements/{waiting.reference}' not in html


def test_across_every_authority_each_wait_names_the_authority_it_waits_for(councils, auditor, signed_in_client):
    proposed_since(councils, 9, partners=("BRD",))

    html = signed_in_client(auditor).get("/sign-off").get_data(as_text=True)

    assert html.count("Bradford Council</a>") == 1 and html.count("Leeds City Council</a>") == 1
    assert "2 approvals still to give" in html


def test_a_page_number_that_is_not_a_number_is_shown_as_an_error(councils, signed_in_client):
    response = signed_in_client(councils["KIR"].viewer).get("/authorities/KIR/sign-off?page=two")

    assert response.status_code == 422
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert "Page must be a whole number" in response.get_data(as_text=True)


def test_the_authority_page_links_to_its_sign_off_page_for_those_who_may_see_it(councils, outsider, signed_in_client):
    mine = signed_in_client(councils["KIR"].viewer).get("/authorities/KIR").get_data(as_text=True)
    theirs = signed_in_client(outsider).get("/authorities/KIR").get_data(as_text=True)

    assert 'href="/authorities/KIR/sign-off"' in mine
    assert "/sign-off" not in theirs


def test_auditors_find_the_page_across_every_authority_from_an_authoritys_page(councils, auditor, signed_in_client):
    html = signed_in_client(auditor).get("/authorities/KIR").get_data(as_text=True)

    assert 'href="/sign-off"' in html
