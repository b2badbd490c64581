"""On every page of the demo crawl, people read names, not the database's codes.

Legal bases are cited and named ("UK GDPR Article 6(1)(e): Public task"), never shown as
`UKGDPR-A6-1-E`; an authority is named, its code at most in small print beside the name.
"""

import re

import pytest
import sqlalchemy as sa

from registry.authorities.models import Authority
from registry.demo.data import DEMO_PASSWORD, DEMO_USERS
from registry.extensions import db
from registry.users.models import User
from tests.conftest import sign_in
from tests.html_checks import words_outside_small_print

from .test_demo_pages import demo, walk  # noqa: F401 (demo is a fixture)

LEGAL_BASIS_CODE = re.compile(r"\b(?:UKGDPR|DPA2018|GW)-[A-Z0-9-]+\b")


def _authority_codes() -> dict[str, str]:
    """Return the name of every authority, by code."""
    return {code: name for code, name in db.session.execute(sa.select(Authority.code, Authority.name))}


def codes_shown_as_labels(html: str, authorities: dict[str, str]) -> list[str]:
    """Return the codes a page shows at full size: any legal basis code, and any authority code without its name."""
    found = []
    for text in words_outside_small_print(html):
        found += LEGAL_BASIS_CODE.findall(text)
        found += [
            word for word in re.findall(r"(?<![\w-])[A-Z][A-Z0-9]{1,9}(?![\w-])", text)
            if word in authorities and authorities[word] not in text
        ]
    return found


def test_a_legal_basis_code_is_found_at_full_size_but_not_in_small_print():
    page = '<p>Relies on UKGDPR-A6-1-E</p><p class="govuk-body-s">Code UKGDPR-A6-1-E</p>'
    assert codes_shown_as_labels(page, {}) == ["UKGDPR-A6-1-E"]


def test_an_authority_code_counts_only_when_its_name_is_not_beside_it():
    authorities = {"LDS": "Leeds City Council"}
    assert codes_shown_as_labels("<td>LDS</td>", authorities) == ["LDS"]
    assert codes_shown_as_labels("<td>Leeds City Council (LDS)</td>", authorities) == []
    assert codes_shown_as_labels('<td>Leeds City Council <small>LDS</small></td>', authorities) == []


@pytest.mark.parametrize("email", [user.email for user in DEMO_USERS] + [None], ids=lambda e: e or "signed-out")
def test_no_page_a_demo_account_reaches_shows_a_code_as_the_only_label(app, demo, email):  # noqa: F811
    client = app.test_client()
    if email:
        sign_in(client, db.session.scalar(sa.select(User).where(User.email == email)), DEMO_PASSWORD)
    authorities = _authority_codes()
    pages_with_codes = {}
    for url, response in walk(app, client):
        if response.mimetype == "text/html":
            codes = codes_shown_as_labels(response.get_data(as_text=True), authorities)
            if codes:
                pages_with_codes[url] = sorted(set(codes))
    assert pages_with_codes == {}
