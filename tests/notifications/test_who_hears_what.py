"""Who hears of each workflow event, by email through a real SMTP server: the table in issue 12, row by row.

Each test takes the action as a person would (some through the pages, some through the API),
sends the outbox, and reads what the server received: who got it, its subject, its link, and
that the person who acted and everyone else got nothing.
"""

from datetime import timedelta

from registry.agreements import services
from registry.agreements.queries import agreement_by_reference
from registry.core.clock import today
from registry.extensions import db
from tests.cli import succeeds
from tests.conftest import post_form

from .conftest import addresses, start_listening, subject, text_of

URL = "/api/v1/agreements"


def everyone(councils, outsider) -> set[str]:
    return addresses(outsider, *(getattr(c, role) for c in councils.values()
                                 for role in ("viewer", "contributor", "approver", "second_approver")))


def approvers(councils, *codes) -> set[str]:
    return addresses(*(person for code in codes for person in (councils[code].approver, councils[code].second_approver)))


def contributors_and_approvers(councils, *codes) -> set[str]:
    return approvers(councils, *codes) | addresses(*(councils[code].contributor for code in codes))


def only(received: dict, expected: set[str], everybody: set[str]) -> None:
    """Assert that exactly the expected people, of everybody, received something."""
    assert set(received) & everybody == expected


def test_a_submission_asks_the_approvers_of_every_party_with_a_link_to_approve(councils, outsider, signed_in_client, mailbox):
    agreement = _draft(councils)
    response = post_form(signed_in_client(councils["LDS"].contributor), f"/agreements/{agreement.reference}/submit",
                         from_page=f"/agreements/{agreement.reference}/draft")
    assert response.status_code == 302

    received = mailbox.received()
    only(received, approvers(councils, "LDS", "BRD", "KIR"), everyone(councils, outsider))
    version = agreement_by_reference(agreement.reference).latest_version
    email = received[councils["BRD"].approver.email][0]
    assert subject(email) == f"Approval needed: {agreement.reference} Supporting families, version 1"
    text = text_of(email)
    assert "Leeds City Council contributor, for Leeds City Council, asks you to approve version 1" in text
    assert version.content_hash in text
    assert f"https://registry.example-council.gov.uk/agreements/{agreement.reference}/approve" in text


def test_a_submission_after_changes_links_to_what_changed_since_the_version_each_approver_last_approved(
        councils, proposed, api_as, mailbox):
    bradford = councils["BRD"].approver
    services.approve(bradford, proposed, councils["BRD"].authority, content_hash=proposed.latest_version.content_hash)
    services.request_changes(councils["KIR"].approver, proposed, reason="Say how long Kirklees keeps the records")
    db.session.commit()
    start_listening()

    response = api_as(councils["LDS"].contributor).post(f"{URL}/{proposed.reference}/transitions", json={"action": "submit"})
    assert response.status_code == 200, response.get_json()

    received = mailbox.received()
    compare = f"/agreements/{proposed.reference}/compare?from=1&to=2"
    assert compare in text_of(received[bradford.email][0])  # Bradford approved version 1
    assert "See what changed since version 1" in text_of(received[councils["KIR"].approver.email][0])
    assert subject(received[bradford.email][0]).endswith("version 2")


def test_an_approval_tells_the_submitter_and_the_lead_who_approved_and_who_is_still_to(councils, proposed, outsider, api_as, mailbox):
    version = proposed.latest_version
    response = api_as(councils["BRD"].approver).post(f"{URL}/{proposed.reference}/transitions", json={
        "action": "approve", "content_hash": version.content_hash})
    assert response.status_code == 200, response.get_json()

    received = mailbox.received()
    only(received, contributors_and_approvers(councils, "LDS"), everyone(councils, outsider))
    email = received[councils["LDS"].contributor.email][0]
    assert subject(email) == f"Bradford Council approved {proposed.reference} version 1"
    text = text_of(email)
    assert "Bradford Council approver, for Bradford Council, approved version 1" in text
    assert "Still to approve: Leeds City Council and Kirklees Council." in text
    assert f"/agreements/{proposed.reference}\n" in text


def test_the_last_approval_tells_every_party_when_it_starts_and_what_each_owes(councils, proposed, outsider, signed_in_client, mailbox):
    version = proposed.latest_version
    for code in ("LDS", "BRD"):
        services.approve(councils[code].approver, proposed, councils[code].authority, content_hash=version.content_hash)
    db.session.commit()
    start_listening()
    kirklees = councils["KIR"].approver

    response = post_form(signed_in_client(kirklees), f"/agreements/{proposed.reference}/approve",
                         {"content_hash": version.content_hash}, from_page=f"/agreements/{proposed.reference}")
    assert response.status_code == 302

    received = mailbox.received()
    told = contributors_and_approvers(councils, "LDS", "BRD", "KIR") - {kirklees.email}
    only(received, told, everyone(councils, outsider))
    email = received[councils["BRD"].contributor.email][0]
    assert subject(email) == f"Approved by every party: {proposed.reference} Supporting families"
    text = text_of(email)
    assert "every party has now approved version 1" in text
    assert "Bradford Council owes Leeds City Council: Security standard: Hold Cyber Essentials Plus" in text
    assert "Kirklees Council owes every other party: Breach notification" in text
    assert "within 24 hours of a personal data breach" in text


def test_asking_for_changes_tells_the_submitter_and_the_lead_the_reason_in_full(councils, proposed, outsider, api_as, mailbox):
    reason = "Add how long Kirklees keeps the records.\nAnd name the team that deletes them."
    response = api_as(councils["KIR"].approver).post(f"{URL}/{proposed.reference}/transitions", json={
        "action": "request_changes", "reason": reason})
    assert response.status_code == 200, response.get_json()

    received = mailbox.received()
    only(received, contributors_and_approvers(councils, "LDS"), everyone(councils, outsider))
    email = received[councils["LDS"].contributor.email][0]
    assert subject(email) == f"Changes asked for: {proposed.reference} version 1"
    assert reason in text_of(email)
    assert f"/agreements/{proposed.reference}/draft" in text_of(email)


def test_withdrawing_tells_every_party_who_did_it_and_why(councils, proposed, outsider, signed_in_client, mailbox):
    lead = councils["LDS"].contributor
    response = post_form(signed_in_client(lead), f"/agreements/{proposed.reference}/withdraw",
                         {"reason": "Replaced by a regional agreement"}, from_page=f"/agreements/{proposed.reference}")
    assert response.status_code == 302

    received = mailbox.received()
    only(received, contributors_and_approvers(councils, "LDS", "BRD", "KIR") - {lead.email}, everyone(councils, outsider))
    text = text_of(received[councils["KIR"].approver.email][0])
    assert "Leeds City Council contributor, for Leeds City Council, withdrew the proposal of" in text
    assert "Replaced by a regional agreement" in text


def test_suspending_and_resuming_tell_every_party(councils, active, outsider, api_as, signed_in_client, mailbox):
    kirklees = councils["KIR"].approver
    response = api_as(kirklees).post(f"{URL}/{active.reference}/transitions", json={"action": "suspend", "reason": "Checking a breach"})
    assert response.status_code == 200, response.get_json()
    received = mailbox.received()
    only(received, contributors_and_approvers(councils, "LDS", "BRD", "KIR") - {kirklees.email}, everyone(councils, outsider))
    email = received[councils["LDS"].approver.email][0]
    assert subject(email) == f"Suspended: {active.reference} Supporting families"
    assert "Checking a breach" in text_of(email)

    response = post_form(signed_in_client(kirklees), f"/agreements/{active.reference}/resume", from_page=f"/agreements/{active.reference}")
    assert response.status_code == 302
    received = mailbox.received()
    assert [subject(e) for e in received[councils["LDS"].approver.email]][-1] == f"Resumed: {active.reference} Supporting families"
    assert kirklees.email not in received


def test_terminating_tells_every_party_the_reason(councils, active, outsider, api_as, mailbox):
    bradford = councils["BRD"].approver
    response = api_as(bradford).post(f"{URL}/{active.reference}/transitions", json={"action": "terminate", "reason": "Service ended"})
    assert response.status_code == 200, response.get_json()
    received = mailbox.received()
    only(received, contributors_and_approvers(councils, "LDS", "BRD", "KIR") - {bradford.email}, everyone(councils, outsider))
    assert "Service ended" in text_of(received[councils["KIR"].contributor.email][0])


def test_expiring_tells_every_party_the_end_date_passed(app, councils, active, outsider, runner, mailbox):
    end = active.current_version.end_date
    app.config["TODAY"] = (end + timedelta(days=1)).isoformat()
    succeeds(runner, "agreements", "tick")

    received = mailbox.received()
    only(received, contributors_and_approvers(councils, "LDS", "BRD", "KIR"), everyone(councils, outsider))
    text = text_of(received[councils["BRD"].approver.email][0])
    assert "has expired" in text


def test_reviews_started_and_completed_tell_every_partys_approvers_the_next_review_date(
        councils, active, outsider, signed_in_client, api_as, mailbox):
    starter = councils["BRD"].contributor
    response = post_form(signed_in_client(starter), f"/agreements/{active.reference}/start-review",
                         from_page=f"/agreements/{active.reference}")
    assert response.status_code == 302
    received = mailbox.received()
    only(received, approvers(councils, "LDS", "BRD", "KIR"), everyone(councils, outsider))
    assert subject(received[councils["KIR"].approver.email][0]) == f"Review started: {active.reference} Supporting families"

    next_review = today() + timedelta(days=200)
    lead = councils["LDS"].approver
    response = api_as(lead).post(f"{URL}/{active.reference}/transitions", json={
        "action": "complete_review", "next_review": next_review.isoformat()})
    assert response.status_code == 200, response.get_json()
    received = mailbox.received()
    completed = received[councils["KIR"].approver.email][-1]
    assert subject(completed) == f"Review completed: {active.reference} Supporting families"
    assert f"{next_review.day} {next_review:%B %Y}" in text_of(completed)
    assert len(received.get(lead.email, [])) == 1  # the start only: not their own completion


def test_a_refused_action_tells_no_one(councils, proposed, api_as, mailbox):
    response = api_as(councils["BRD"].approver).post(f"{URL}/{proposed.reference}/transitions", json={
        "action": "approve", "content_hash": "0" * 64})
    assert response.status_code == 409
    assert mailbox.received() == {}


def test_a_party_added_to_a_draft_hears_nothing_until_it_is_submitted(councils, outsider, api_as, mailbox):
    agreement = _draft(councils)
    lead = api_as(councils["LDS"].contributor)
    added = lead.post(f"{URL}/{agreement.reference}/draft/parties", json={
        "authority_code": "YOR", "sharing_role": "recipient", "controller_role": "controller",
        "legal_bases": ["UKGDPR-A6-1-E"]})
    assert added.status_code == 201, added.get_json()
    assert outsider.email not in mailbox.received()

    submitted = lead.post(f"{URL}/{agreement.reference}/transitions", json={"action": "submit"})
    assert submitted.status_code == 200, submitted.get_json()
    assert [subject(e) for e in mailbox.received()[outsider.email]] == [
        f"Approval needed: {agreement.reference} Supporting families, version 1"]


def _draft(councils):
    from tests.agreements.builders import complete_draft

    agreement = complete_draft(councils)
    start_listening()
    return agreement


def _security(agreement):
    """Bradford's annual Cyber Essentials Plus obligation to Leeds."""
    return next(o for o in agreement.current_version.obligations if o.type == "security_standard")


def test_an_attestation_tells_the_approvers_it_is_owed_to_what_was_attested_and_the_note(
        councils, active, outsider, signed_in_client, mailbox):
    obligation = _security(active)
    response = post_form(signed_in_client(councils["BRD"].approver), f"/obligations/{obligation.id}/attest", {
        "status": "partly_met", "note": "Certificate lapsed for a week; renewed on Friday.", "evidence_reference": "CE+ 12345"})
    assert response.status_code == 302

    received = mailbox.received()
    only(received, approvers(councils, "LDS"), everyone(councils, outsider))
    email = received[councils["LDS"].approver.email][0]
    assert subject(email) == f"Bradford Council attested partly met: Security standard, {active.reference}"
    text = text_of(email)
    assert "Certificate lapsed for a week; renewed on Friday." in text and "CE+ 12345" in text
    assert f"/agreements/{active.reference}#obligations" in text


def test_an_attestation_by_api_of_an_obligation_owed_to_every_party_tells_them_all(councils, active, outsider, api_as, mailbox):
    breach = next(o for o in active.current_version.obligations if o.type == "breach_notification")
    response = api_as(councils["KIR"].approver).post(f"/api/v1/obligations/{breach.id}/attestations", json={"status": "met"})
    assert response.status_code == 201, response.get_json()
    only(mailbox.received(), approvers(councils, "LDS", "BRD"), everyone(councils, outsider))
