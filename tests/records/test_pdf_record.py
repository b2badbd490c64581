"""A submitted version as a PDF record: what it says, tagged for screen readers, and its evidence checked by verify.py."""

import io

from pypdf import PdfReader, PdfWriter

from registry.auditlog import keys, verifier
from registry.extensions import db
from registry.legal.models import LegalBasis
from tests.factories import make_user
from tests.standalone import run_standalone

from ..agreements.builders import agreement_in


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _log_keys() -> list[verifier.VerifierKey]:
    return [verifier.parse_verifier_key(key.verifier_key) for key in keys.published_keys() if key.purpose == "log"]


def _altered(pdf: bytes, attachment: str, change) -> bytes:
    """Return the PDF with one attachment's bytes changed, everything else as it was."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    filespec = names[[str(name) for name in names[::2]].index(attachment) * 2 + 1].get_object()
    stream = filespec["/EF"]["/F"].get_object()
    stream.set_data(change(stream.get_data()))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_record_says_what_the_version_says_and_who_approved_it(councils, active, record):
    version = active.current_version
    text = " ".join(_text(record).split())

    assert "Supporting families" in text
    assert f"Data-sharing agreement {active.reference}, version 1, led by Leeds City Council" in text
    for council in ("Leeds City Council", "Bradford Council", "Kirklees Council"):
        assert council in text
    public_task = db.session.query(LegalBasis).filter_by(code="UKGDPR-A6-1-E").one()
    assert public_task.label in text  # "UK GDPR Article 6(1)(e): Public task", as every page names it
    assert "Leeds City Council case records" in text  # the flows
    assert "Two years, then deleted." in text  # the terms
    assert "Hold Cyber Essentials Plus and send the certificate." in text  # the obligations
    for approval in version.approvals:
        assert approval.approver.name in text
    assert version.content_hash in text
    assert f"/agreements/{active.reference}/versions/1" in text


def test_the_record_is_tagged_for_screen_readers(record):
    reader = PdfReader(io.BytesIO(record))
    catalog = reader.trailer["/Root"]

    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith("DSA-")


def test_the_record_carries_the_content_its_submission_entry_receipt_and_keys(active, record):
    attachments = PdfReader(io.BytesIO(record)).attachments

    assert sorted(attachments) == ["audit-entry.json", "content.json", "keys", "receipt.tlog-proof"]
    assert attachments["content.json"] == [active.current_version.content.encode("utf-8")]
    assert attachments["receipt.tlog-proof"][0].startswith(b"c2sp.org/tlog-proof@v1\n")


def test_the_verifier_accepts_the_record_with_the_logs_pinned_keys(active, record):
    report = verifier.verify_record(record, _log_keys())

    assert report.ok, report.problems
    assert (report.reference, report.version, report.content_hash) == (active.reference, 1, active.current_version.content_hash)
    assert report.warnings == []


def test_the_verifier_warns_that_keys_taken_from_the_record_prove_only_self_consistency(record):
    report = verifier.verify_record(record)

    assert report.ok, report.problems
    assert "pin them with --key" in report.warnings[0]


def test_a_record_whose_content_was_altered_is_refused_saying_so(active, record):
    altered = _altered(record, "content.json", lambda data: data.replace(b"Two years, then deleted.", b"Ten years, then deleted."))

    report = verifier.verify_record(altered, _log_keys())

    assert not report.ok
    assert report.content_hash != active.current_version.content_hash
    assert report.problems == [
        f"the attached content does not match the hash the log recorded: its SHA-256 is {report.content_hash}, "
        f"the log recorded {active.current_version.content_hash} (the content was changed after it was submitted)"
    ]


def test_a_record_whose_logged_entry_was_altered_is_refused_by_the_receipt(record):
    # Someone changes the hash in the entry to match altered content: the log's proof no longer holds.
    altered = _altered(record, "audit-entry.json", lambda data: data.replace(b'"version":1', b'"version":1 '))

    report = verifier.verify_record(altered, _log_keys())

    assert not report.ok
    assert report.problems[0].startswith("the log does not hold the attached audit entry at index ")
    assert report.problems[0].endswith("(the entry or the receipt was changed)")


def test_a_record_checked_against_another_logs_key_is_refused(record):
    other = verifier.format_verifier_key("registry.example-council.gov.uk/audit", bytes(32))

    report = verifier.verify_record(record, [verifier.parse_verifier_key(other)])

    assert not report.ok
    assert report.problems[0].startswith("the receipt's checkpoint is not signed by the log: the note is not signed by any trusted key")


def test_a_file_that_is_not_a_pdf_is_refused():
    report = verifier.verify_record(b"hello")

    assert report.problems == ["this is not a PDF file"]


def test_verify_py_checks_a_record_pdf_from_the_command_line(standalone_verifier, active, record):
    pdf = standalone_verifier.parent / "record.pdf"
    pdf.write_bytes(record)
    key = next(k.verifier_key for k in keys.published_keys() if k.purpose == "log")

    result = run_standalone(standalone_verifier, str(pdf), "--key", key)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"OK: {active.reference} version 1, SHA-256 {active.current_version.content_hash}, is entry ")


def test_verify_py_refuses_an_altered_record_and_says_what(standalone_verifier, record):
    pdf = standalone_verifier.parent / "record.pdf"
    pdf.write_bytes(_altered(record, "content.json", lambda data: data.replace(b"Two years", b"Ten years")))

    result = run_standalone(standalone_verifier, str(pdf))

    assert result.returncode == 1
    assert "FAILED: the attached content does not match the hash the log recorded" in result.stdout


def test_only_submitted_versions_have_a_record(councils, signed_in_client):
    draft = agreement_in("draft", councils)

    response = signed_in_client(councils["LDS"].viewer).get(f"/agreements/{draft.reference}/versions/1/record.pdf")

    assert response.status_code == 404


def test_people_who_cannot_see_the_agreement_get_no_record(active, signed_in_client):
    outsider = make_user()

    response = signed_in_client(outsider).get(f"/agreements/{active.reference}/versions/1/record.pdf")

    assert response.status_code == 403


def test_the_version_page_links_to_its_record(councils, active, signed_in_client):
    html = signed_in_client(councils["LDS"].viewer).get(f"/agreements/{active.reference}/versions/1").get_data(as_text=True)

    assert f'href="/agreements/{active.reference}/versions/1/record.pdf"' in html


def test_the_agreement_page_links_to_the_record_of_the_version_in_force(councils, active, signed_in_client):
    html = signed_in_client(councils["LDS"].viewer).get(f"/agreements/{active.reference}").get_data(as_text=True)

    assert f'href="/agreements/{active.reference}/versions/1/record.pdf"' in html


def test_a_record_saved_again_by_another_pdf_library_still_verifies(record):
    # The verifier reads the attachments itself; a PDF rewritten by other software keeps them readable.
    resaved = _altered(record, "keys", lambda data: data)

    assert resaved != record
    assert verifier.verify_record(resaved, _log_keys()).ok
