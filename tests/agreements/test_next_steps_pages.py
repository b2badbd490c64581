"""The agreement pages say what happened and what to do next: the standing request for changes, and what changed since I approved."""

import pytest

from registry.agreements import drafting, services
from registry.agreements.queries import agreement_by_reference
from registry.extensions import db
from tests.conftest import post_form

REASON = "Please add the retention schedule for health records"


def _ask_for_changes(councils, agreement, signed_in_client):
    response = post_form(signed_in_client(councils["KIR"].approver), f"/agreements/{agreement.reference}/request-changes",
                         {"reason": REASON}, from_page=f"/agreements/{agreement.reference}")
    assert response.status_code == 302


def _banner_of(page: str) -> str:
    """Return the changes-requested banner's markup, or "" when the page has none."""
    start = page.find('aria-labelledby="changes-requested-title"')
    if start == -1:
        return ""
    return page[start:page.index("</div>\n</div>", start)]


@pytest.mark.parametrize("path", ["", "/draft"])
def test_the_reason_for_changes_stands_at_the_top_of_the_agreement_and_the_draft(councils, proposed, signed_in_client, path):
    _ask_for_changes(councils, proposed, signed_in_client)
    page = signed_in_client(councils["LDS"].contributor).get(f"/agreements/{proposed.reference}{path}").get_data(as_text=True)
    banner = _banner_of(page)
    assert "Changes requested" in banner
    assert REASON in banner
    assert "Kirklees Council asked for changes to version 1" in banner
    assert "Asked by Kirklees Council approver on" in banner
    # At the top: before the page's heading.
    assert page.index("changes-requested-title") < page.index("<h1")


def test_the_reason_goes_once_the_draft_is_submitted_again(councils, proposed, signed_in_client):
    _ask_for_changes(councils, proposed, signed_in_client)
    services.submit(councils["LDS"].contributor, agreement_by_reference(proposed.reference))
    db.session.commit()
    page = signed_in_client(councils["LDS"].contributor).get(f"/agreements/{proposed.reference}").get_data(as_text=True)
    assert _banner_of(page) == ""
    assert REASON in page  # still in the history, where it belongs


def test_no_banner_when_nobody_asked_for_changes(councils, draft, signed_in_client):
    client = signed_in_client(councils["LDS"].contributor)
    for path in ("", "/draft"):
        assert "changes-requested-title" not in client.get(f"/agreements/{draft.reference}{path}").get_data(as_text=True)


def _second_version_after_bradford_approved_the_first(councils, agreement, signed_in_client):
    """Bradford approves version 1, Kirklees asks for changes, Leeds shortens the breach notice and submits version 2."""
    services.approve(councils["BRD"].approver, agreement, councils["BRD"].authority,
                     content_hash=agreement.latest_version.content_hash)
    db.session.commit()
    _ask_for_changes(councils, agreement, signed_in_client)
    agreement = agreement_by_reference(agreement.reference)
    terms = {name: getattr(agreement.latest_version, name) for name in drafting.SECTION_FIELDS["terms"]}
    drafting.update_section(councils["LDS"].contributor, agreement, "terms", {**terms, "breach_notification_hours": 12})
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()


def test_the_approve_page_links_to_what_changed_since_the_version_i_last_approved(councils, proposed, signed_in_client):
    _second_version_after_bradford_approved_the_first(councils, proposed, signed_in_client)
    client = signed_in_client(councils["BRD"].approver)
    page = client.get(f"/agreements/{proposed.reference}/approve").get_data(as_text=True)
    link = f"/agreements/{proposed.reference}/compare?from=1&amp;to=2"
    assert f'href="{link}">See what changed since version 1, the version you last approved</a>' in page
    compared = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Breach notification time (hours) changed from “24” to “12”." in compared


def test_an_approver_who_approved_no_earlier_version_gets_no_such_link(councils, proposed, signed_in_client):
    _second_version_after_bradford_approved_the_first(councils, proposed, signed_in_client)
    page = signed_in_client(councils["LDS"].approver).get(f"/agreements/{proposed.reference}/approve").get_data(as_text=True)
    assert "Approve version 2" in page
    assert "the version you last approved" not in page


def test_the_first_version_has_nothing_to_compare_with(councils, proposed, signed_in_client):
    page = signed_in_client(councils["BRD"].approver).get(f"/agreements/{proposed.reference}/approve").get_data(as_text=True)
    assert "Approve version 1" in page and "the version you last approved" not in page


def _my_drafts(client) -> str:
    page = client.get("/dashboard").get_data(as_text=True)
    start = page.index("My unfinished drafts")
    return page[start:page.index("</h2>", start + len("My unfinished drafts</h2>"))]


def test_a_draft_sent_back_waits_on_the_dashboard_of_whoever_submitted_it_marked_as_such(councils, signed_in_client):
    from registry.agreements.queries import agreement_by_reference as by_reference
    from tests.agreements.builders import agreement_in

    active = agreement_in("active", councils)
    services.amend(councils["BRD"].contributor, active)
    services.submit(councils["LDS"].contributor, by_reference(active.reference))
    db.session.commit()
    _ask_for_changes(councils, active, signed_in_client)

    submitter = _my_drafts(signed_in_client(councils["LDS"].contributor))
    assert active.reference in submitter and "Changes requested" in submitter
    # Neither the one who asked for the changes nor the one who started the amendment has it to finish.
    for who in ("KIR", "BRD"):
        other = _my_drafts(signed_in_client(councils[who].approver if who == "KIR" else councils[who].contributor))
        assert active.reference not in other

    services.submit(councils["LDS"].contributor, by_reference(active.reference))
    db.session.commit()
    assert active.reference not in _my_drafts(signed_in_client(councils["LDS"].contributor))


def test_a_draft_not_sent_back_carries_no_such_mark(councils, draft, signed_in_client):
    mine = _my_drafts(signed_in_client(councils["LDS"].contributor))
    assert draft.reference in mine and "Changes requested" not in mine
