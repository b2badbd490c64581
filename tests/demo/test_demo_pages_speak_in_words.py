"""On every page of the demo crawl, people read names, not the database's codes.

Legal bases are cited and named ("UK GDPR Article 6(1)(e): Public task"), never shown as
`UKGDPR-A6-1-E` alone; an authority is named, its code at most beside the name or in small print.
"""

import re

import pytest
import sqlalchemy as sa

from registry.authorities.models import Authority
from registry.extensions import db
from registry.legal.models import LegalBasis
from tests.html_checks import words_outside_small_print

from .crawl import WALKER_PARAMS, walk_as

LEGAL_BASIS_CODE = re.compile(r"\b(?:UKGDPR|DPA2018|GW)-[A-Z0-9-]+\b")


def _names() -> dict[str, str]:
    """Return what people should read for each code: every authority's name and every legal basis's citation."""
    authorities = db.session.execute(sa.select(Authority.code, Authority.name))
    legal_bases = db.session.execute(sa.select(LegalBasis.code, LegalBasis.citation))
    return {code: name for code, name in [*authorities, *legal_bases]}


# An authority code is a short capitalised word, not part of a longer one like SHA-256 or LDS-DPIA-7.
AUTHORITY_CODE = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]{1,9}(?![\w-])")


def codes_shown_as_labels(html: str, names: dict[str, str]) -> list[str]:
    """Return the codes a page shows at full size without the name they stand for beside them.

    Any legal basis code counts, known or not; an authority code counts when it is a known one.
    """
    found = []
    for text in words_outside_small_print(html):
        found += [code for code in LEGAL_BASIS_CODE.findall(text) if names.get(code, code) not in text]
        found += [word for word in AUTHORITY_CODE.findall(text) if word in names and names[word] not in text]
    return found


def test_a_legal_basis_code_alone_is_found_at_full_size_but_not_in_small_print_or_beside_its_citation():
    names = {"UKGDPR-A6-1-E": "UK GDPR Article 6(1)(e)"}
    assert codes_shown_as_labels("<p>Relies on UKGDPR-A6-1-E</p>", names) == ["UKGDPR-A6-1-E"]
    assert codes_shown_as_labels('<p class="govuk-body-s">Code UKGDPR-A6-1-E</p>', names) == []
    assert codes_shown_as_labels("<p>UK GDPR Article 6(1)(e): Public task (UKGDPR-A6-1-E)</p>", names) == []


def test_an_authority_code_counts_only_when_its_name_is_not_beside_it():
    authorities = {"LDS": "Leeds City Council"}
    assert codes_shown_as_labels("<td>LDS</td>", authorities) == ["LDS"]
    assert codes_shown_as_labels("<td>Leeds City Council (LDS)</td>", authorities) == []
    assert codes_shown_as_labels('<td>Leeds City Council <small>LDS</small></td>', authorities) == []


@pytest.mark.parametrize("email", WALKER_PARAMS)
def test_no_page_a_demo_account_reaches_shows_a_code_as_the_only_label(app, demo, email):
    names = _names()
    pages_with_codes = {}
    for visit in walk_as(app, email):
        codes = codes_shown_as_labels(visit.html, names) if visit.html else []
        if codes:
            pages_with_codes[visit.url] = sorted(set(codes))
    assert pages_with_codes == {}
