"""Writing an agreement in the browser-less client: start it, fill each part, add parties and flows, submit."""

import re


from registry.agreements.queries import agreement_by_reference
from tests.conftest import post_form

from .builders import complete_draft


def _reference(response) -> str:
    return re.search(r"/agreements/(DSA-\d{4}-\d{4})", response.headers["Location"]).group(1)


def test_a_contributor_starts_an_agreement_and_lands_on_its_task_list(councils, lds_contributor):
    response = post_form(lds_contributor, "/agreements/new", {"lead_authority_code": "LDS", "title": "Supporting families", "agreement_type": "information_sharing"})
    assert response.status_code == 302
    reference = _reference(response)
    page = lds_contributor.get(f"/agreements/{reference}/draft").get_data(as_text=True)
    assert "Supporting families" in page
    assert "Incomplete" in page


def test_starting_an_agreement_without_a_title_shows_the_error_summary(councils, lds_contributor):
    response = post_form(lds_contributor, "/agreements/new", {"lead_authority_code": "LDS", "agreement_type": "information_sharing"})
    assert response.status_code == 422
    assert 'href="#title">Enter a title' in response.get_data(as_text=True)


def test_every_section_form_saves_and_shows_errors(councils, lds_contributor):
    reference = _reference(post_form(lds_contributor, "/agreements/new", {"lead_authority_code": "LDS", "title": "T", "agreement_type": "disclosure"}))
    base = f"/agreements/{reference}/draft"
    for section in ("details", "purpose", "terms", "assurance", "dates"):
        assert lds_contributor.get(f"{base}/{section}").status_code == 200, section
    bad_dates = post_form(lds_contributor, f"{base}/dates", {"start_date-day": "31", "start_date-month": "2", "start_date-year": "2027"})
    html = bad_dates.get_data(as_text=True)
    assert bad_dates.status_code == 422
    assert 'href="#start_date-day">The start date must be a real date' in html
    assert 'href="#review_date-day">Enter the review date' in html
    good_dates = post_form(lds_contributor, f"{base}/dates", {
        "start_date-day": "1", "start_date-month": "4", "start_date-year": "2027",
        "review_date-day": "1", "review_date-month": "4", "review_date-year": "2028"})
    assert good_dates.status_code == 302
    assert agreement_by_reference(reference).latest_version.review_date.isoformat() == "2028-04-01"


def test_digits_that_are_not_ascii_and_dates_far_off_are_form_errors_not_crashes(councils, lds_contributor):
    reference = _reference(post_form(lds_contributor, "/agreements/new", {"lead_authority_code": "LDS", "title": "T", "agreement_type": "disclosure"}))
    # "²" passes str.isdigit() but not int(); 9999 is how some people write "never".
    response = post_form(lds_contributor, f"/agreements/{reference}/draft/dates", {
        "start_date-day": "²", "start_date-month": "4", "start_date-year": "2027",
        "review_date-day": "31", "review_date-month": "12", "review_date-year": "9999", "lock_version": "²"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#start_date-day">The start date must be a real date' in html
    assert 'href="#review_date-day">The review date must be between 1900 and 2199' in html


def test_a_dataset_id_no_row_can_have_is_no_dataset_not_a_crash(councils, lds_contributor):
    reference = _reference(post_form(lds_contributor, "/agreements/new", {"lead_authority_code": "LDS", "title": "T", "agreement_type": "disclosure"}))
    for dataset_id in ("99999999999999999999", "-1", "0"):
        response = lds_contributor.get(f"/agreements/{reference}/draft/flows/new?dataset_id={dataset_id}")
        assert response.status_code == 200, dataset_id


def test_a_review_date_after_the_end_date_is_refused(councils, lds_contributor):
    reference = _reference(post_form(lds_contributor, "/agreements/new", {"lead_authority_code": "LDS", "title": "T", "agreement_type": "disclosure"}))
    response = post_form(lds_contributor, f"/agreements/{reference}/draft/dates", {
        "start_date-day": "1", "start_date-month": "4", "start_date-year": "2027",
        "review_date-day": "1", "review_date-month": "4", "review_date-year": "2029",
        "end_date-day": "1", "end_date-month": "4", "end_date-year": "2028"})
    assert response.status_code == 422
    assert "The review date must be on or before the end date" in response.get_data(as_text=True)


def test_adding_a_party_and_a_flow_in_two_steps(councils, lds_contributor):
    reference = _reference(post_form(lds_contributor, "/agreements/new", {"lead_authority_code": "LDS", "title": "T", "agreement_type": "disclosure"}))
    added = post_form(lds_contributor, f"/agreements/{reference}/draft/parties/new", {
        "authority_code": "brd", "sharing_role": "recipient", "controller_role": "controller", "legal_bases": ["UKGDPR-A6-1-E"]})
    assert added.status_code == 302
    draft = agreement_by_reference(reference).latest_version
    leeds, bradford = sorted(draft.parties, key=lambda p: p.authority.code != "LDS")
    dataset = councils["LDS"].dataset
    step_one = lds_contributor.get(f"/agreements/{reference}/draft/flows/new", query_string={"from_party_id": leeds.id, "to_party_id": bradford.id, "dataset_id": dataset.id})
    assert "Which data items flow?" in step_one.get_data(as_text=True)
    saved = post_form(lds_contributor, f"/agreements/{reference}/draft/flows/new", {
        "from_party_id": leeds.id, "to_party_id": bradford.id, "dataset_id": dataset.id,
        "data_item_ids": [str(dataset.items[0].id)], "frequency": "periodic"}, from_page=f"/agreements/{reference}/draft")
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    assert len(agreement_by_reference(reference).latest_version.flows) == 1


def test_a_flow_to_a_party_that_does_not_receive_is_refused(councils, lds_contributor):
    reference = _reference(post_form(lds_contributor, "/agreements/new", {"lead_authority_code": "LDS", "title": "T", "agreement_type": "disclosure"}))
    post_form(lds_contributor, f"/agreements/{reference}/draft/parties/new", {"authority_code": "BRD", "sharing_role": "provider", "controller_role": "controller"})
    draft = agreement_by_reference(reference).latest_version
    leeds, bradford = sorted(draft.parties, key=lambda p: p.authority.code != "LDS")
    dataset = councils["LDS"].dataset
    refused = post_form(lds_contributor, f"/agreements/{reference}/draft/flows/new", {
        "from_party_id": leeds.id, "to_party_id": bradford.id, "dataset_id": dataset.id,
        "data_item_ids": [str(dataset.items[0].id)], "frequency": "periodic"}, from_page=f"/agreements/{reference}/draft")
    assert refused.status_code == 422
    assert "Bradford Council receives data in a flow, so it must be a recipient" in refused.get_data(as_text=True)


def test_submitting_an_incomplete_draft_lists_what_is_missing(councils, lds_contributor):
    reference = _reference(post_form(lds_contributor, "/agreements/new", {"lead_authority_code": "LDS", "title": "T", "agreement_type": "disclosure"}))
    response = post_form(lds_contributor, f"/agreements/{reference}/submit", from_page=f"/agreements/{reference}/draft")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#task-parties">An agreement needs at least two parties' in html
    assert agreement_by_reference(reference).status == "draft"


def test_a_complete_draft_is_submitted_from_its_task_list(councils, lds_contributor):
    agreement = complete_draft(councils)
    response = post_form(lds_contributor, f"/agreements/{agreement.reference}/submit", from_page=f"/agreements/{agreement.reference}/draft")
    assert response.status_code == 302
    page = lds_contributor.get(f"/agreements/{agreement.reference}").get_data(as_text=True)
    assert "Version 1 has been sent to the parties for approval" in page
    assert "waiting for Leeds City Council, Bradford Council, Kirklees Council" in page


def test_the_party_form_gives_each_legal_basis_its_own_id(councils, lds_contributor):
    # The client fails any page that uses an id twice (tests/html_checks.py); this fetches the
    # form with the whole vocabulary loaded, where groups of boxes once shared ids.
    agreement = complete_draft(councils)
    html = lds_contributor.get(f"/agreements/{agreement.reference}/draft/parties/new").get_data(as_text=True)
    assert html.count('name="legal_bases"') == 72
    assert 'id="legal_bases"' in html  # where the error summary's link lands
