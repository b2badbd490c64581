"""Importing a county register: every row read as written, all or nothing, once per file, drafts or records in force."""

import hashlib
import json

import pytest
import sqlalchemy as sa

from registry.agreements.models import Agreement, AgreementEvent, Approval
from registry.auditlog import checks
from registry.auditlog.models import AuditEntry as LogEntry
from registry.core.errors import PermissionDenied, ValidationFailed
from registry.extensions import db
from registry.imports import services
from registry.imports.models import ImportedRecord
from registry.imports.reading import Upload
from registry.users.actors import COMMAND_LINE
from tests.factories import make_user

from .registers import as_csv, as_xlsx, county_register

REGISTER = county_register(200)
GOOD = sum(1 for row in REGISTER if not row.problem_columns)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _expected(rows):
    return {number: row for number, row in enumerate(rows, start=2)}


@pytest.mark.parametrize("write", [as_xlsx, as_csv], ids=["xlsx", "csv"])
def test_every_row_of_a_messy_county_register_is_read_as_written(importer, west_yorkshire, write):
    plan = services.check_import(importer, Upload("register." + write.__name__[3:], write(REGISTER)))

    assert [row.row for row in plan.rows] == list(range(2, 202))
    for number, expected in _expected(REGISTER).items():
        row = plan.rows[number - 2]
        assert {problem.column for problem in row.problems} == expected.problem_columns, (number, row.problems)
        if not expected.problem_columns:
            assert row.lead.code == expected.lead, number
            assert {authority.code for authority in row.others} == expected.others, number
            assert row.values["review_date"] == expected.review, number
            assert row.values["title"] == expected.cells[0].strip()
    assert len(plan.rows_to_create) == sum(1 for row in REGISTER if not row.problem_columns) == GOOD


def test_each_problem_names_its_row_and_column_and_says_what_to_do(importer, west_yorkshire):
    plan = services.check_import(importer, Upload("register.xlsx", as_xlsx(REGISTER)))

    said = [str(problem) for problem in plan.problems]
    assert "Row 21, Title: Enter the agreement's title" in said
    assert any(s.startswith("Row 31, Other Organisations Involved: No authority is called “Leeds Citty Councill”: "
                            "did you mean Leeds City Council (LDS)") for s in said)
    assert "Row 41, Review date: “next spring” is not a date: write it like 31/03/2026 or 31 March 2026" in said
    assert any(s.startswith("Row 51, PURPOSE: starts with “+”") for s in said)
    assert "Row 61, Lead  Organisation: Only contributors and approvers of Kirklees Council can import its agreements" in said


def test_checking_changes_nothing(importer, west_yorkshire):
    before = _count(LogEntry)
    services.check_import(importer, Upload("register.xlsx", as_xlsx(REGISTER)))
    assert (_count(Agreement), _count(LogEntry)) == (0, before)


def test_a_register_with_any_problem_imports_nothing(importer, west_yorkshire):
    before = _count(LogEntry)
    with pytest.raises(ValidationFailed) as refused:
        services.import_agreements(importer, Upload("register.xlsx", as_xlsx(REGISTER)))
    db.session.rollback()

    assert refused.value.message == f"Nothing was imported: the file has {200 - GOOD} problems."
    assert (_count(Agreement), _count(ImportedRecord), _count(LogEntry)) == (0, 0, before)


def test_only_the_rows_without_problems_are_imported_when_chosen(importer, west_yorkshire):
    plan = services.import_agreements(importer, Upload("register.xlsx", as_xlsx(REGISTER)), only_valid=True)
    db.session.commit()

    assert len(plan.created) == GOOD
    records = db.session.scalars(sa.select(ImportedRecord).order_by(ImportedRecord.source_row)).all()
    good = [number for number, row in _expected(REGISTER).items() if not row.problem_columns]
    assert [record.source_row for record in records] == good
    for record in records:
        expected = _expected(REGISTER)[record.source_row]
        agreement = record.agreement
        assert agreement.status == "draft" and not record.in_force
        assert agreement.lead_authority.code == expected.lead
        assert {p.authority.code for p in agreement.latest_version.parties} == {expected.lead} | expected.others
        assert agreement.latest_version.review_date == expected.review
        assert record.source_file_name == "register.xlsx"


def test_importing_the_same_file_again_creates_nothing_new(importer, west_yorkshire):
    data = as_xlsx(REGISTER)
    services.import_agreements(importer, Upload("register.xlsx", data), only_valid=True)
    db.session.commit()
    entries = _count(LogEntry)

    again = services.import_agreements(importer, Upload("renamed copy.xlsx", data), only_valid=True)
    db.session.commit()

    assert again.created == []
    assert len(again.rows_already_imported) == GOOD
    assert again.rows[0].already_imported_as == db.session.get(Agreement, 1).reference
    assert (_count(Agreement), _count(LogEntry)) == (GOOD, entries)


def _in_force_register() -> bytes:
    return (
        "Reference,Title,Type,Purpose,Lead organisation,Other organisations,Legal bases,Start date,Review date,Date signed\n"
        "WY-ISA-007,Youth offending,Data disclosure agreement,Reduce reoffending,Leeds CC,West Yorkshire Police;Bradford MDC,"
        "UK GDPR Article 6(1)(e); Crime and Disorder Act 1998 s115,01/04/2024,31 March 2027,14 March 2024\n"
    ).encode()


def test_a_record_in_force_is_active_and_shows_no_ones_approval(importer, west_yorkshire):
    plan = services.import_agreements(importer, Upload("wy.csv", _in_force_register()), in_force=True)
    db.session.commit()

    agreement = db.session.scalars(sa.select(Agreement)).one()
    version = agreement.current_version
    record = db.session.scalars(sa.select(ImportedRecord)).one()
    assert plan.created == [agreement.reference]
    assert agreement.status == "active" and version.state == "current" and version.number == 1
    assert version.content_hash and json.loads(version.content)["title"] == "Youth offending"
    assert version.submitted_by_id is None and _count(Approval) == 0
    assert (record.in_force, record.original_reference, record.source_row) == (True, "WY-ISA-007", 2)
    assert record.signed_on.isoformat() == "2024-03-14"
    assert agreement.review_due.isoformat() == "2027-03-31"
    assert version.agreement_type == "disclosure"
    assert {b.code for b in version.party_for(west_yorkshire["LDS"]).legal_bases} == {"UKGDPR-A6-1-E", "GW-CDA1998-S115"}


def test_each_creation_is_audited_with_the_files_sha256(importer, west_yorkshire):
    data = _in_force_register()
    services.import_agreements(importer, Upload("wy.csv", data), in_force=True)
    db.session.commit()

    entry = db.session.scalars(sa.select(LogEntry).where(LogEntry.action == "agreement.import")).one()
    text = entry.entry.decode("utf-8")
    assert hashlib.sha256(data).hexdigest() in text and '"source_row":2' in text
    event = db.session.scalars(sa.select(AgreementEvent)).one()
    assert (event.action, event.to_status, event.audit_index) == ("create", "active", entry.index)


def test_a_register_of_several_chunks_gives_every_agreement_its_own_entry_and_the_log_verifies(importer, west_yorkshire):
    rows = county_register(600)
    assert sum(1 for row in rows if not row.problem_columns) > 2 * services.CHUNK
    plan = services.import_agreements(importer, Upload("big.csv", as_csv(rows)), in_force=True, only_valid=True)
    db.session.commit()

    entries = list(db.session.scalars(
        sa.select(LogEntry).where(LogEntry.action == "agreement.import").order_by(LogEntry.index)
    ))
    events = dict(db.session.execute(sa.select(AgreementEvent.audit_index, Agreement.reference).join(Agreement)).all())
    # One entry a created agreement, in row order, each the one its agreement's history points to.
    assert [entry.object_ref for entry in entries] == plan.created
    assert [json.loads(entry.entry)["data"]["source_row"] for entry in entries] == [
        row.row for row in plan.rows if row.created_as
    ]
    assert {entry.index: entry.object_ref for entry in entries} == events
    assert checks.verify_database().ok


def test_only_approvers_import_records_in_force(west_yorkshire):
    contributor = make_user(memberships={west_yorkshire["LDS"]: "contributor"})
    with pytest.raises((ValidationFailed, PermissionDenied)):
        services.import_agreements(contributor, Upload("wy.csv", _in_force_register()), in_force=True)
    db.session.rollback()
    assert _count(Agreement) == 0


def test_the_command_line_imports_for_any_authority(west_yorkshire):
    plan = services.import_agreements(COMMAND_LINE, Upload("wy.csv", _in_force_register()))
    assert len(plan.created) == 1


def test_a_changed_mapping_reads_columns_the_headers_do_not_name(importer, west_yorkshire):
    data = b"Agreement,Owner,Next look\nCarers assessments,Leeds City Council,01/02/2027\n"
    with pytest.raises(ValidationFailed) as refused:
        services.check_import(importer, Upload("odd.csv", data))
    assert "first row is not a header row" in refused.value.fields["file"][0]

    plan = services.check_import(importer, Upload("odd.csv", data), mapping={"title": 0, "lead": 1, "review_date": 2})
    row = plan.rows[0]
    assert (row.values["title"], row.lead.code, row.values["review_date"].isoformat()) == (
        "Carers assessments", "LDS", "2027-02-01")


def test_a_mapping_without_a_title_column_is_refused(importer, west_yorkshire):
    with pytest.raises(ValidationFailed) as refused:
        services.check_import(importer, Upload("r.csv", b"Title,Lead organisation\nA,Leeds\n"), mapping={"lead": 1})
    assert refused.value.fields == {"title": ["Choose the column that holds each agreement's title"]}


def test_a_name_that_is_not_exact_is_read_as_the_authority_the_person_chose(importer, west_yorkshire):
    data = "Title,Lead organisation,Other organisations\nMARAC,Leeds CC,Wakefeild Concil\n".encode()
    unsure = services.check_import(importer, Upload("r.csv", data))
    assert [str(p) for p in unsure.problems] == [
        "Row 2, Other organisations: No authority is called “Wakefeild Concil”: did you mean Wakefield Council (WKF)?"]
    assert unsure.rows[0].notes == ["“Leeds CC” read as Leeds City Council"]

    chosen = services.check_import(importer, Upload("r.csv", data), names={"Wakefeild Concil": "WKF"})
    assert chosen.problems == [] and [a.code for a in chosen.rows[0].others] == ["WKF"]


def test_a_list_of_names_on_one_line_is_split_only_where_every_part_is_an_authority(importer, west_yorkshire):
    data = "Title,Lead organisation,Other organisations\nMARAC,Leeds,\"Kirklees, Calderdale and Wakefield Council\"\n".encode()
    plan = services.check_import(importer, Upload("r.csv", data))
    assert [a.code for a in plan.rows[0].others] == ["KIR", "CLD", "WKF"]


@pytest.mark.parametrize("cell", ["45383", "01/04/2024", "1 April 2024", "1 Apr 2024", "2024-04-01"])
def test_dates_are_read_in_the_forms_spreadsheets_hold(importer, west_yorkshire, cell):
    data = f"Title,Lead organisation,Start date\nMARAC,Leeds,{cell}\n".encode()
    plan = services.check_import(importer, Upload("r.csv", data))
    assert plan.rows[0].values["start_date"].isoformat() == "2024-04-01"


def test_a_legal_basis_is_found_by_citation_or_name(importer, west_yorkshire):
    data = ("Title,Lead organisation,Legal bases\nMARAC,Leeds,\"Article 6(1)(e); Safeguarding of children and of individuals "
            "at risk\nUK GDPR Article 9(2)(g)\"\n").encode()
    plan = services.check_import(importer, Upload("r.csv", data))
    assert plan.problems == []
    assert [b.code for b in plan.rows[0].legal_bases] == ["UKGDPR-A6-1-E", "DPA2018-S1-P18", "UKGDPR-A9-2-G"]
