"""The workflow in the pages: approve, ask for changes, review, amend, suspend, resume, terminate."""

from datetime import timedelta

from registry.agreements import services
from registry.agreements.queries import agreement_by_reference
from registry.core.clock import today
from registry.extensions import db
from tests.conftest import post_form
from tests.snapshots import database_snapshot


def _approve(client, agreement, code):
    page = client.get(f"/agreements/{agreement.reference}/approve").get_data(as_text=True)
    assert "Approve on behalf of" in page
    version = agreement_by_reference(agreement.reference).latest_version
    return post_form(client, f"/agreements/{agreement.reference}/approve", {
        "authority_code": code, "content_hash": version.content_hash,
        "lock_version": agreement_by_reference(agreement.reference).lock_version,
    }, from_page=f"/agreements/{agreement.reference}")


def test_each_approver_approves_from_the_page_and_the_dashboard_lists_it(councils, proposed, signed_in_client):
    bradford = signed_in_client(councils["BRD"].approver)
    dashboard = bradford.get("/dashboard").get_data(as_text=True)
    assert "Waiting for my approval" in dashboard and proposed.reference in dashboard

    for code in ("LDS", "BRD", "KIR"):
        response = _approve(signed_in_client(councils[code].approver), proposed, code)
        assert response.status_code == 302
    assert agreement_by_reference(proposed.reference).status == "approved"
    assert proposed.reference not in bradford.get("/dashboard").get_data(as_text=True)


def _refused_approval(client, agreement, form: dict) -> str:
    """Send Bradford's approval form with these fields; check it is refused with 409 and changes nothing; return the page."""
    before = database_snapshot()
    response = post_form(client, f"/agreements/{agreement.reference}/approve", {"authority_code": "BRD", **form},
                         from_page=f"/agreements/{agreement.reference}")
    assert response.status_code == 409
    assert database_snapshot() == before
    return response.get_data(as_text=True)


def test_approving_a_version_that_changed_is_refused_and_changes_nothing(councils, proposed, signed_in_client):
    page = _refused_approval(signed_in_client(councils["BRD"].approver), proposed, {"content_hash": "a" * 64})
    assert "is not the version you were shown" in page


def test_a_form_from_a_stale_page_is_refused(councils, proposed, signed_in_client):
    stale = {"content_hash": proposed.latest_version.content_hash, "lock_version": proposed.lock_version - 1}
    page = _refused_approval(signed_in_client(councils["BRD"].approver), proposed, stale)
    assert "has changed since you opened it" in page


def test_asking_for_changes_needs_a_reason(councils, proposed, signed_in_client):
    client = signed_in_client(councils["KIR"].approver)
    empty = post_form(client, f"/agreements/{proposed.reference}/request-changes", {})
    assert empty.status_code == 422
    assert 'href="#reason">Give a reason' in empty.get_data(as_text=True)
    done = post_form(client, f"/agreements/{proposed.reference}/request-changes", {"reason": "Please add the retention schedule"})
    assert done.status_code == 302
    agreement = agreement_by_reference(proposed.reference)
    assert agreement.status == "draft"
    assert "Please add the retention schedule" in client.get(f"/agreements/{proposed.reference}").get_data(as_text=True)


def test_review_amend_suspend_resume_terminate_from_the_pages(councils, active, signed_in_client):
    reference = active.reference
    lead_approver = signed_in_client(councils["LDS"].approver)
    assert post_form(lead_approver, f"/agreements/{reference}/start-review", from_page=f"/agreements/{reference}").status_code == 302
    next_review = today() + timedelta(days=180)
    assert post_form(lead_approver, f"/agreements/{reference}/complete-review", {
        "next_review-day": next_review.day, "next_review-month": next_review.month, "next_review-year": next_review.year}).status_code == 302
    assert agreement_by_reference(reference).review_due == next_review

    partner = signed_in_client(councils["BRD"].contributor)
    amended = post_form(partner, f"/agreements/{reference}/amend", from_page=f"/agreements/{reference}")
    assert amended.headers["Location"].endswith(f"/agreements/{reference}/draft")
    assert agreement_by_reference(reference).status == "active"

    suspender = signed_in_client(councils["KIR"].approver)
    assert post_form(suspender, f"/agreements/{reference}/suspend", {"reason": "Breach under investigation"}).status_code == 302
    assert agreement_by_reference(reference).status == "suspended"
    assert post_form(suspender, f"/agreements/{reference}/resume", from_page=f"/agreements/{reference}").status_code == 302
    assert agreement_by_reference(reference).status == "active"
    assert post_form(suspender, f"/agreements/{reference}/terminate", {"reason": "No longer needed"}).status_code == 302
    assert agreement_by_reference(reference).status == "terminated"


def test_a_viewer_sees_the_agreement_but_no_actions(councils, proposed, signed_in_client):
    page = signed_in_client(councils["BRD"].viewer).get(f"/agreements/{proposed.reference}").get_data(as_text=True)
    assert "Supporting families" in page
    assert "What you can do" not in page


def test_someone_from_an_unrelated_authority_cannot_see_it(councils, proposed, signed_in_client):
    from tests.factories import make_authority, make_user

    outsider = make_user(memberships={make_authority(code="YOR", name="York"): "approver"})
    assert signed_in_client(outsider).get(f"/agreements/{proposed.reference}").status_code == 403


def test_versions_print_and_compare(councils, active, signed_in_client):
    services.amend(councils["LDS"].contributor, active)
    from registry.agreements import drafting

    drafting.update_section(councils["LDS"].contributor, active, "terms", {**{k: getattr(active.latest_version, k) for k in drafting.SECTION_FIELDS["terms"]}, "breach_notification_hours": 12})
    services.submit(councils["LDS"].contributor, active)
    db.session.commit()
    client = signed_in_client(councils["BRD"].viewer)
    reference = active.reference
    assert "Content hash (SHA-256)" in client.get(f"/agreements/{reference}/versions/1").get_data(as_text=True)
    printed = client.get(f"/agreements/{reference}/versions/1/print").get_data(as_text=True)
    assert active.current_version.content_hash in printed and "Leeds City Council second approver" not in printed
    compared = client.get(f"/agreements/{reference}/compare").get_data(as_text=True)
    assert "Breach notification time (hours) changed from “24” to “12”." in compared


def test_the_list_searches_and_filters(councils, proposed, signed_in_client):
    client = signed_in_client(councils["BRD"].viewer)
    assert proposed.reference in client.get("/agreements?q=families").get_data(as_text=True)
    assert proposed.reference not in client.get("/agreements?q=nothing-like-it").get_data(as_text=True)
    assert proposed.reference in client.get("/agreements?status=proposed&party=KIR").get_data(as_text=True)
    assert proposed.reference in client.get("/agreements?legal_basis=DPA2018-S1-P6").get_data(as_text=True)
    assert proposed.reference in client.get(f"/agreements?dataset={councils['LDS'].dataset.id}").get_data(as_text=True)
    assert proposed.reference not in client.get("/agreements?role=lead").get_data(as_text=True)
    assert proposed.reference in client.get("/agreements?role=partner").get_data(as_text=True)
    bad = client.get("/agreements?status=sideways")
    assert bad.status_code == 422 and "Select a status from the list" in bad.get_data(as_text=True)


def test_the_list_filters_offer_parties_by_name_and_legal_bases_by_citation(councils, proposed, signed_in_client):
    page = signed_in_client(councils["BRD"].viewer).get("/agreements?legal_basis=dpa2018-s1-p6").get_data(as_text=True)
    assert '<option value="KIR">Kirklees Council</option>' in page
    assert '<option value="UKGDPR-A6-1-E">UK GDPR Article 6(1)(e): Public task</option>' in page
    assert '<option value="DPA2018-S1-P6" selected>' in page


def test_the_approve_page_infers_the_party_as_the_api_does(councils, proposed, signed_in_client):
    from tests.factories import make_user

    version = agreement_by_reference(proposed.reference).latest_version
    form = {"content_hash": version.content_hash}
    # An approver of one party need not name it.
    response = post_form(signed_in_client(councils["BRD"].approver), f"/agreements/{proposed.reference}/approve", form,
                         from_page=f"/agreements/{proposed.reference}")
    assert response.status_code == 302
    assert [a.authority.code for a in agreement_by_reference(proposed.reference).latest_version.approvals] == ["BRD"]
    # An approver of two parties still to approve must say which, and is told so on the field.
    both = make_user(memberships={councils["LDS"].authority: "approver", councils["KIR"].authority: "approver"})
    db.session.commit()
    before = database_snapshot()
    unclear = post_form(signed_in_client(both), f"/agreements/{proposed.reference}/approve", form,
                        from_page=f"/agreements/{proposed.reference}")
    assert unclear.status_code == 422
    assert "You may approve for more than one party" in unclear.get_data(as_text=True)
    assert database_snapshot() == before
