"""Two people editing one draft: the second to save keeps what they typed, sees what the first changed,
and can save theirs over it; a save that changes nothing changes nothing, lock version included."""

from registry.agreements.queries import agreement_by_reference
from registry.auditlog.models import AuditEntry
from registry.extensions import db
from tests.conftest import csrf_token_from



def _open(client, reference, section):
    """Open a section's form; return its CSRF token and the lock version it carries."""
    html = client.get(f"/agreements/{reference}/draft/{section}").get_data(as_text=True)
    lock_version = html.split('name="lock_version" value="')[1].split('"')[0]
    return csrf_token_from(html), lock_version


PURPOSE = {"functions_served": "Children's services", "benefits": "Earlier support",
           "necessity": "Only the items listed are needed to match families."}


def test_the_second_saver_keeps_their_text_sees_the_other_change_and_can_save_over_it(councils, draft, signed_in_client):
    leeds = signed_in_client(councils["LDS"].contributor)
    bradford = signed_in_client(councils["BRD"].contributor)
    reference = draft.reference
    leeds_token, leeds_seen = _open(leeds, reference, "purpose")
    bradford_token, bradford_seen = _open(bradford, reference, "purpose")

    first = bradford.post(f"/agreements/{reference}/draft/purpose", data={
        "csrf_token": bradford_token, "lock_version": bradford_seen, **PURPOSE, "purpose": "Bradford's wording of the purpose."})
    assert first.status_code == 302

    mine = "Leeds's own careful wording,\nover two lines."
    second = leeds.post(f"/agreements/{reference}/draft/purpose", data={
        "csrf_token": leeds_token, "lock_version": leeds_seen, **PURPOSE, "purpose": mine})
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert f"{councils['BRD'].contributor.name} changed this draft" in html
    assert ">" + mine.replace("'", "&#39;") + "</textarea>" in html  # what Leeds typed is still in the box
    assert "Bradford&#39;s wording of the purpose." in html  # what is saved now, beside it
    assert "Save mine over theirs" in html
    assert agreement_by_reference(reference).latest_version.purpose == "Bradford's wording of the purpose."

    again = leeds.post(f"/agreements/{reference}/draft/purpose", data={
        "csrf_token": leeds_token, "lock_version": html.split('name="lock_version" value="')[1].split('"')[0],
        **PURPOSE, "purpose": mine})
    assert again.status_code == 302
    db.session.expire_all()
    assert agreement_by_reference(reference).latest_version.purpose.replace("\r\n", "\n") == mine


def test_a_save_that_changes_nothing_leaves_the_lock_version_and_the_log_alone(councils, draft, signed_in_client, api_as):
    client = signed_in_client(councils["LDS"].contributor)
    token, seen = _open(client, draft.reference, "purpose")
    entries = db.session.query(AuditEntry).count()
    current = agreement_by_reference(draft.reference).latest_version
    unchanged = {"purpose": current.purpose, **PURPOSE}
    response = client.post(f"/agreements/{draft.reference}/draft/purpose", data={"csrf_token": token, "lock_version": seen, **unchanged})
    assert response.status_code == 302
    db.session.expire_all()
    assert str(agreement_by_reference(draft.reference).lock_version) == seen
    assert db.session.query(AuditEntry).count() == entries

    # So someone else's form, opened before it, is not stale.
    api = api_as(councils["BRD"].contributor)
    party = next(p for p in agreement_by_reference(draft.reference).latest_version.parties if p.authority.code == "BRD")
    unchanged_party = {"sharing_role": party.sharing_role, "controller_role": party.controller_role,
                       "legal_bases": sorted(b.code for b in party.legal_bases), "lock_version": int(seen)}
    assert api.put(f"/api/v1/agreements/{draft.reference}/draft/parties/{party.id}", json=unchanged_party).status_code == 200
    db.session.expire_all()
    assert str(agreement_by_reference(draft.reference).lock_version) == seen


def test_a_party_form_saved_after_another_change_is_shown_again_to_save_over(councils, draft, signed_in_client):
    leeds = signed_in_client(councils["LDS"].contributor)
    reference = draft.reference
    party = next(p for p in draft.latest_version.parties if p.authority.code == "BRD")
    html = leeds.get(f"/agreements/{reference}/draft/parties/{party.id}").get_data(as_text=True)
    seen = html.split('name="lock_version" value="')[1].split('"')[0]
    # Someone else changes the draft meanwhile.
    other = signed_in_client(councils["KIR"].contributor)
    token, other_seen = _open(other, reference, "details")
    assert other.post(f"/agreements/{reference}/draft/details", data={"csrf_token": token, "lock_version": other_seen,
                      "title": "Renamed by Kirklees", "agreement_type": "information_sharing"}).status_code == 302

    response = leeds.post(f"/agreements/{reference}/draft/parties/{party.id}", data={
        "csrf_token": csrf_token_from(html), "lock_version": seen, "sharing_role": "recipient", "controller_role": "controller",
        "legal_bases": ["UKGDPR-A6-1-E"]})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert f"{councils['KIR'].contributor.name} changed this draft" in page and "Save mine over theirs" in page
    assert 'value="recipient" checked' in page
