"""A submitted version as a tagged PDF (PDF/UA-1) with its content, audit entry, receipt and keys attached."""

from flask import render_template

from registry.agreements import content
from registry.agreements.models import (
    AGREEMENT_TYPES, CONTROLLER_ROLES, DPIA_STATUSES, DUE_KINDS, FREQUENCIES, OBLIGATION_TYPES, SHARING_ROLES, AgreementVersion,
)

from .queries import Evidence, evidence_of

# The names the agreement's own pages give stored values (the document macro uses them).
NAMES = {
    "agreement_types": AGREEMENT_TYPES, "sharing_roles": SHARING_ROLES, "controller_roles": CONTROLLER_ROLES,
    "frequencies": FREQUENCIES, "dpia_statuses": DPIA_STATUSES, "obligation_types": OBLIGATION_TYPES, "due_kinds": DUE_KINDS,
}
# Names of the attachments; the verifier tells them apart by what they hold, not by these.
ATTACHMENTS = {
    "content": ("content.json", "The version's canonical content (RFC 8785 JSON): its SHA-256 is the content hash"),
    "entry": ("audit-entry.json", "The audit log entry that recorded the version's submission, with its content hash"),
    "receipt": ("receipt.tlog-proof", "The entry's C2SP tlog-proof receipt: its inclusion proof and signed checkpoint"),
    "keys": ("keys", "The log's verifier keys, for a first check; pin keys kept elsewhere with verify.py --key"),
}


def record_html(version: AgreementVersion, evidence: Evidence, link: str) -> str:
    """Return the record's HTML: what the version says, who approved it and when, its hash and how to check it."""
    document = content.document_of(version)
    return render_template(
        "records/record.html",
        agreement=version.agreement,
        version=version,
        document=document,
        evidence=evidence,
        link=link,
        attachments=ATTACHMENTS,
        **NAMES,
    )


def record_pdf(version: AgreementVersion, link: str) -> bytes:
    """Return the version's record as a tagged PDF/UA-1 file, with the evidence attached for verify.py."""
    from weasyprint import HTML, Attachment, URLFetcher  # loaded on first use: it brings Pango in

    evidence = evidence_of(version)
    files = {
        "content": evidence.content,
        "entry": evidence.entry,
        "receipt": evidence.receipt.encode("utf-8"),
        "keys": evidence.keys.encode("utf-8"),
    }
    attachments = [
        Attachment(string=files[part], name=name, description=description, relationship="Source" if part == "content" else "Supplement")
        for part, (name, description) in ATTACHMENTS.items()
    ]
    # The record needs nothing from outside: fetching nothing keeps text people typed from ever reaching a server.
    html = HTML(string=record_html(version, evidence, link), url_fetcher=URLFetcher(allowed_protocols=()))
    return html.write_pdf(pdf_variant="pdf/ua-1", attachments=attachments)
