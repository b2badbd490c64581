"""Status words come from one table (agreements/statuses.py), used by every page, the API, the register and its downloads."""

import re
from pathlib import Path

import pytest

from registry.agreements import services, statuses
from registry.agreements.models import VersionState
from registry.agreements.statuses import Status
from registry.extensions import db

from .builders import agreement_in, three_councils

TEMPLATES = Path(__file__).resolve().parents[2] / "registry" / "templates"


def _tags(html: str) -> list[str]:
    """Return the words of every GOV.UK tag on the page."""
    return [text.strip() for text in re.findall(r'class="govuk-tag[^"]*">\s*([^<]*?)\s*<', html)]


@pytest.fixture
def councils(app):
    return three_councils()


def test_every_status_and_version_state_has_its_words_and_colour():
    for value in [s.value for s in Status] + [s.value for s in VersionState]:
        assert value in statuses.WORDS and value in statuses.COLOURS, value
    assert Status.UNDER_REVIEW.label == statuses.word("under_review") == "Under review"
    assert VersionState.CURRENT.label == "In force"


@pytest.mark.parametrize("ending,word", [("terminate", "Terminated"), ("suspend", "Suspended")])
def test_a_stopped_agreement_never_says_its_version_is_in_force(councils, signed_in_client, api_as, ending, word):
    agreement = agreement_in("active", councils)
    getattr(services, ending)(councils["KIR"].approver, agreement, reason="The programme has ended.")
    db.session.commit()

    html = signed_in_client(councils["LDS"].viewer).get(f"/agreements/{agreement.reference}").get_data(as_text=True)
    assert "in force." not in html and "In force" not in _tags(html)
    versions = html[html.index("<h2 class=\"govuk-heading-m\">Versions</h2>"):html.index("<h2 class=\"govuk-heading-m\">History</h2>")]
    assert _tags(versions) == [word]
    version_page = signed_in_client(councils["LDS"].viewer).get(f"/agreements/{agreement.reference}/versions/1").get_data(as_text=True)
    assert word in _tags(version_page) and "In force" not in _tags(version_page)

    body = api_as(councils["LDS"].viewer).get(f"/api/v1/agreements/{agreement.reference}").json
    assert body["status_name"] == word
    assert body["current_version"]["status"] == word.lower() and body["current_version"]["status_name"] == word
    assert body["current_version"]["state"] == "current"  # the stored state is unchanged


def test_an_agreement_in_force_says_so(councils, signed_in_client):
    agreement = agreement_in("active", councils)
    html = signed_in_client(councils["LDS"].viewer).get(f"/agreements/{agreement.reference}").get_data(as_text=True)
    assert "This is version 1, in force." in html and "In force" in _tags(html)


def test_the_history_names_statuses_in_words(councils, signed_in_client):
    agreement = agreement_in("under_review", councils)
    html = signed_in_client(councils["LDS"].viewer).get(f"/agreements/{agreement.reference}").get_data(as_text=True)
    assert "Start review: active to under review" in html
    assert "approved, waiting to start to active" in html


def test_no_template_makes_up_its_own_status_words():
    # Spelling a status by replacing underscores (or capitalising it) is what let pages disagree.
    made_up = []
    for path in TEMPLATES.rglob("*.html"):
        for line_number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"(status|state)\s*\|\s*(replace|capitalize|title)", line):
                made_up.append(f"{path.relative_to(TEMPLATES)}:{line_number}")
    assert made_up == []
