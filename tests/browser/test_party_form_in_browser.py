"""The party form in a browser: it fits on a couple of screens, passes axe in each state, and a
party can be added with the keyboard alone, the authority found by typing part of its name."""

import pytest

from registry.agreements import drafting
from registry.extensions import db
from tests.agreements.builders import three_councils

from .conftest import assert_accessible, sign_in_to_the_dashboard

pytestmark = pytest.mark.browser

BOXES = "input[name=legal_bases]"
CHOSEN = ".app-chosen-bases__list li"


@pytest.fixture
def new_party_form(page):
    """Sign Leeds's contributor in and open the form to add a party to a new Leeds agreement; return the agreement."""
    councils = three_councils()
    leeds = councils["LDS"]
    agreement = drafting.create_agreement(leeds.contributor, leeds.authority, title="Early help", agreement_type="information_sharing")
    db.session.commit()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_to_the_dashboard(page, leeds.contributor)
    page.goto(f"/agreements/{agreement.reference}/draft/parties/new")
    return agreement


def _tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element the selector finds has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _saved_bases(agreement, code: str) -> list[str]:
    db.session.expire_all()
    party = next(p for p in agreement.latest_version.parties if p.authority.code == code)
    return sorted(b.code for b in party.legal_bases)


def test_the_form_is_at_most_2000_px_tall_at_1280_px_with_every_group_open(page, new_party_form):
    assert page.locator(BOXES).count() == 72
    hidden = page.evaluate(f"() => [...document.querySelectorAll('{BOXES}')].filter((box) => !box.checkVisibility()).map((box) => box.value)")
    assert hidden == []
    height = page.evaluate("() => document.querySelector('form[data-module=app-party-form]').getBoundingClientRect().height")
    assert height <= 2000, f"the party form is {height:.0f} px tall"


def test_the_whole_page_is_at_most_2000_px_tall_at_1280_px_with_every_group_open(page, new_party_form):
    # The page, header, title and footer included (about 670 px more than the form), was 2,448 px:
    # the note on which bases are needed went beside the roles, Articles 6, 9 and 10 side by side,
    # and each power says duty or power on its label's line instead of a line of its own.
    assert page.locator(f"{BOXES}:visible").count() == 72
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= 2000, f"the party form's page is {height} px tall"


def test_the_form_passes_axe_empty_while_choosing_and_with_errors(page, new_party_form):
    assert_accessible(page, "(empty)")
    page.locator("#authority_code").fill("Brad")
    page.get_by_role("option", name="Bradford Council").wait_for()
    page.locator("#gateway-filter").fill("Care Act 2014")
    assert_accessible(page, "(suggestions and filter open)")
    page.locator("#authority_code").fill("")
    with page.expect_navigation():  # the page the form posts to, not the form still showing
        page.get_by_role("button", name="Save and return to the draft").click()
    assert page.title().startswith("Error: ")
    assert "Choose which authority is the party" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "(with errors)")


def test_a_party_is_added_with_the_keyboard_alone(page, new_party_form):
    agreement = new_party_form
    _tab_to(page, "#authority_code")
    page.keyboard.type("kirk")
    page.get_by_role("option", name="Kirklees Council").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#authority_code").input_value() == "Kirklees Council"

    _tab_to(page, f"{BOXES}[value='UKGDPR-A6-1-E']")
    page.keyboard.press("Space")
    _tab_to(page, "#gateway-filter")
    page.keyboard.type("Children Act 2004")
    page.keyboard.press("Enter")  # finds, and must not send the form
    assert page.locator(".app-basis-filter").is_visible()
    _tab_to(page, f"{BOXES}[value='GW-CA2004-S11']")
    page.keyboard.press("Space")
    assert page.locator(CHOSEN).all_inner_texts() == ["UK GDPR Article 6(1)(e): Public task", "Children Act 2004, section 11"]

    _tab_to(page, "button.govuk-button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Kirklees Council has been added as a party" in page.locator("main").inner_text()
    assert _saved_bases(agreement, "KIR") == ["GW-CA2004-S11", "UKGDPR-A6-1-E"]


def test_the_filter_shows_the_powers_that_match_and_any_already_ticked(page, new_party_form):
    page.locator("label", has_text="Localism Act 2011, section 1").click()
    page.locator("#gateway-filter").fill("care act 2014")
    shown = page.locator(f"#legal-bases-gateway {BOXES}:visible")
    assert sorted(shown.evaluate_all("(boxes) => boxes.map((box) => box.value)")) == [
        "GW-CARE2014-S42", "GW-CARE2014-S45", "GW-CARE2014-S6", "GW-LOCA2011-S1"]
    assert page.locator(".app-basis-filter__count").inner_text() == "4 of 18 powers shown"
    page.locator("#gateway-filter").fill("")
    assert page.locator(f"#legal-bases-gateway {BOXES}:visible").count() == 18


def test_leaving_the_authority_box_with_words_that_match_none_chooses_none(page, new_party_form):
    # The select behind the box must not keep an earlier choice that the box no longer shows.
    box = page.locator("#authority_code")
    box.fill("Bradford")
    page.get_by_role("option", name="Bradford Council").click()
    box.fill("Nowhere at all")
    with page.expect_navigation():  # the page the form posts to, not the form still showing
        page.get_by_role("button", name="Save and return to the draft").click()
    assert "Choose which authority is the party" in page.locator(".govuk-error-summary").inner_text()


def test_schedule1_boxes_show_the_part_and_paragraph_but_are_named_in_full(page, new_party_form):
    # The legend says "DPA 2018 Schedule 1 condition"; a screen reader, reading one box at a time, needs the Act too.
    full = "Data Protection Act 2018, Schedule 1, Part 2, paragraph 18: Safeguarding of children and of individuals at risk"
    box = page.get_by_role("checkbox", name=full, exact=True)
    assert box.count() == 1
    label = page.locator("label[for='legal_bases-dpa2018-s1-p18']")
    assert label.bounding_box()["width"] < 400
    assert label.evaluate("(label) => label.lastChild.textContent.trim()") == "Part 2, paragraph 18: Safeguarding of children and of individuals at risk"
    assert label.locator(".app-visually-hidden-inline").bounding_box()["width"] <= 1
