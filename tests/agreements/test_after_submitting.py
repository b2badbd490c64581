"""After submitting, Back leads to the agreement, not to a refusal; unfinished drafts wait on the dashboard."""

import pytest

from registry.agreements import services
from registry.extensions import db
from tests.conftest import post_form

from .builders import agreement_in, complete_draft, three_councils


@pytest.fixture
def councils(app):
    return three_councils()


@pytest.mark.parametrize("page", ["/draft", "/draft/purpose", "/draft/parties/new", "/draft/flows/new", "/draft/obligations/new"])
def test_back_to_a_submitted_draft_leads_to_the_agreement(councils, signed_in_client, page):
    draft = complete_draft(councils)
    client = signed_in_client(councils["LDS"].contributor)
    assert post_form(client, f"/agreements/{draft.reference}/submit", {"lock_version": draft.lock_version},
                     from_page=f"/agreements/{draft.reference}/draft").status_code == 302

    response = client.get(f"/agreements/{draft.reference}{page}")

    assert response.status_code == 302 and response.headers["Location"] == f"/agreements/{draft.reference}"
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is no longer a draft to edit: here is where it stands now." in shown


def test_someone_who_cannot_see_the_agreement_is_not_told_where_it_stands(councils, signed_in_client):
    from tests.factories import make_authority, make_user

    agreement = agreement_in("proposed", councils)
    outsider = make_user(memberships={make_authority(code="WKF", name="Wakefield Council"): "contributor"})
    response = signed_in_client(outsider).get(f"/agreements/{agreement.reference}/draft")
    assert response.status_code == 403


def test_my_unfinished_drafts_are_on_my_dashboard(councils, signed_in_client):
    mine = complete_draft(councils)
    proposed = agreement_in("proposed", councils)
    active = agreement_in("active", councils)
    services.amend(councils["BRD"].contributor, active)
    db.session.commit()

    leeds = signed_in_client(councils["LDS"].contributor).get("/dashboard").get_data(as_text=True)
    drafts = leeds[leeds.index("My unfinished drafts"):leeds.index("</ul>", leeds.index("My unfinished drafts"))]
    assert mine.reference in drafts and proposed.reference not in drafts and active.reference not in drafts

    bradford = signed_in_client(councils["BRD"].contributor).get("/dashboard").get_data(as_text=True)
    drafts = bradford[bradford.index("My unfinished drafts"):bradford.index("</ul>", bradford.index("My unfinished drafts"))]
    assert active.reference in drafts and "an amendment" in drafts and mine.reference not in drafts
