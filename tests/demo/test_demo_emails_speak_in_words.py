"""The demo month's emails (workflow messages and reminders) name authorities and legal bases in
words, as the pages do: a code alone means nothing to the person reading it in their inbox."""

import re

import sqlalchemy as sa

from registry.extensions import db
from registry.outbox.models import OutboxMailing, OutboxMessage

from .test_demo_pages_speak_in_words import AUTHORITY_CODE, LEGAL_BASIS_CODE, _names

# A link's address may hold a code (/sign-off/authorities/LDS): people read the words around it.
URL = re.compile(r"https?://\S+|href=\"[^\"]*\"")
TAG = re.compile(r"<[^>]+>")


def codes_in_email(texts: list[str], names: dict[str, str]) -> list[str]:
    """Return the legal basis codes in the email's words, and the authority codes without their name beside them."""
    found = []
    for text in texts:
        words = TAG.sub(" ", URL.sub(" ", text))
        found += LEGAL_BASIS_CODE.findall(words)
        found += [word for word in AUTHORITY_CODE.findall(words) if word in names and names[word] not in words]
    return found


def test_a_bare_code_in_an_email_is_found_but_not_in_a_link():
    names = {"LDS": "Leeds City Council", "UKGDPR-A6-1-E": "UK GDPR Article 6(1)(e)"}
    assert codes_in_email(["Leeds relies on UKGDPR-A6-1-E."], names) == ["UKGDPR-A6-1-E"]
    assert codes_in_email(["<p>Waiting for <b>LDS</b></p>"], names) == ["LDS"]
    assert codes_in_email(["See https://registry.example/sign-off/authorities/LDS for Leeds City Council."], names) == []


def _emails() -> list[tuple[str, list[str]]]:
    """Return each email the demo wrote, one to many or one to one, as its subject and its texts."""
    return [(email.subject, [email.subject, email.body, email.html_body or ""])
            for model in (OutboxMailing, OutboxMessage) for email in db.session.scalars(sa.select(model))]


def test_no_email_of_the_demo_month_carries_a_bare_legal_basis_or_authority_code(app, demo):
    emails = _emails()
    subjects = " | ".join(subject for subject, _ in emails)
    # The month must hold the workflow's messages and the reminders, or this proves nothing.
    for kind in ("Approval needed", "Approved by every party", "Changes asked for", "Suspended", "Terminated",
                 "Review due in", "Obligation overdue", "Obligation due in"):
        assert kind in subjects, f"the demo sent no email like {kind!r}"
    names = _names()
    with_codes = {subject: sorted(set(codes)) for subject, texts in emails if (codes := codes_in_email(texts, names))}
    assert with_codes == {}
