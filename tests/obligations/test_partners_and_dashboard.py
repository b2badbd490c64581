"""Who an authority shares with (its page and the API) and the dashboard: reviews, what is overdue, what to attest, the picture."""

import re
from datetime import timedelta

import pytest

from registry.agreements import drafting
from registry.core.clock import today
from registry.extensions import db
from tests.factories import make_authority, make_user

from ..agreements.builders import agreement_in, three_councils


@pytest.fixture
def councils(app):
    return three_councils()


def _withhold(agreement, councils):
    drafting.update_section(councils["LDS"].contributor, agreement, "details", {
        "title": "Safeguarding referrals", "agreement_type": "information_sharing",
        "withhold_from_register": True, "withholding_reason": "Publishing would help abusers find refuges.",
    })
    db.session.commit()


def test_an_authority_page_lists_every_partner_it_shares_with(councils, signed_in_client):
    agreement_in("active", councils)

    html = signed_in_client(councils["LDS"].viewer).get("/authorities/LDS").get_data(as_text=True)

    partners = html.split('id="partners"')[1]
    assert "Bradford Council" in partners and "Kirklees Council" in partners
    assert "/authorities/LDS/partners/BRD" in partners


def test_outsiders_see_only_partners_under_published_agreements(councils, signed_in_client, api_as):
    from registry.agreements import services
    from registry.users.actors import SCHEDULER

    agreement = agreement_in("draft", councils)
    _withhold(agreement, councils)
    services.submit(councils["LDS"].contributor, agreement)
    for code in ("LDS", "BRD", "KIR"):
        services.approve(councils[code].approver, agreement, councils[code].authority, content_hash=agreement.latest_version.content_hash)
    services.start(SCHEDULER, agreement)
    db.session.commit()
    outsider = make_user(memberships={make_authority(code="WKF", name="Wakefield Council"): "viewer"})

    members_page = signed_in_client(councils["LDS"].viewer).get("/authorities/LDS").get_data(as_text=True)
    outsiders_page = signed_in_client(outsider).get("/authorities/LDS").get_data(as_text=True)

    assert "Bradford Council" in members_page.split('id="partners"')[1]
    assert "Bradford Council" not in outsiders_page.split('id="partners"')[1]
    assert [p["authority"]["code"] for p in api_as(outsider).get("/api/v1/authorities/LDS/partners").json] == []
    assert {p["authority"]["code"] for p in api_as(councils["LDS"].viewer).get("/api/v1/authorities/LDS/partners").json} == {"BRD", "KIR"}


def test_the_dashboard_shows_reviews_due_what_is_overdue_and_what_to_attest(app, councils, signed_in_client):
    agreement = agreement_in("active", councils)
    # 300 days on: the review (365 days after the start) is within 90 days, and Bradford's
    # certificate (due 90 days after the start) is overdue.
    app.config["TODAY"] = today() + timedelta(days=300)

    leeds = signed_in_client(councils["LDS"].approver).get("/dashboard").get_data(as_text=True)
    bradford = signed_in_client(councils["BRD"].approver).get("/dashboard").get_data(as_text=True)

    reviews = leeds.split("Reviews due by")[1].split("Overdue to us")[0]
    assert agreement.reference in reviews
    overdue = leeds.split("Overdue to us")[1].split("Ours to attest")[0]
    assert "Security standard" in overdue and "Overdue" in overdue
    to_attest = bradford.split("Ours to attest")[1].split("Agreements by status")[0]
    assert "Security standard" in to_attest
    assert "Nothing our partners owe us is overdue." in bradford
    security = next(o for o in agreement.current_version.obligations if o.type == "security_standard")
    assert f'href="/obligations/{security.id}/attest"' in to_attest
    # Overdue to Leeds, but only Bradford attests to it.
    assert "/attest" not in overdue


def test_only_an_approver_of_the_owing_party_gets_the_link_to_attest(councils, signed_in_client):
    agreement = agreement_in("active", councils)
    security = next(o for o in agreement.current_version.obligations if o.type == "security_standard")
    link = f'href="/obligations/{security.id}/attest"'

    def counterpart_page(person, mine, theirs):
        return signed_in_client(person).get(f"/authorities/{mine}/partners/{theirs}").get_data(as_text=True)

    assert link in counterpart_page(councils["BRD"].approver, "BRD", "LDS")
    assert link not in counterpart_page(councils["BRD"].viewer, "BRD", "LDS")
    assert link not in counterpart_page(councils["LDS"].approver, "LDS", "BRD")


def test_the_dashboard_draws_who_we_share_with_as_svg_with_a_table_alternative(councils, signed_in_client):
    agreement_in("active", councils)

    html = signed_in_client(councils["LDS"].viewer).get("/dashboard").get_data(as_text=True)

    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg
    assert svg.count("<line") == 2  # Leeds to Bradford, Leeds to Kirklees
    assert "Bradford Council" in svg and "Kirklees Council" in svg
    assert "<script" not in html.split("<main")[1].split("</main>")[0]
    table = html.split('id="partners-table"')[1].split("</table>")[0]
    assert "Bradford Council" in table and "Kirklees Council" in table


def test_someone_with_no_authority_sees_no_sharing_sections(councils, signed_in_client):
    agreement_in("active", councils)

    html = signed_in_client(make_user(system_role="auditor")).get("/dashboard").get_data(as_text=True)

    assert "Who we share with" not in html
    assert "You do not have a role for any authority." in html
