"""Importing a register: check what each row would create (check_import), then create it all in one go (import_agreements).

The web wizard, the API and `flask agreements import` all call these two. Checking writes
nothing. Importing writes every good row's agreement, its imported record and its audit
entry (carrying the file's SHA-256) in the caller's transaction, so the import commits or
rolls back as one; rows already imported from the same file are skipped, never made twice.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from registry.agreements import content
from registry.agreements.drafting import give_reference, new_draft
from registry.agreements.models import Agreement, AgreementEvent, Party, VersionState
from registry.agreements.statuses import Status
from registry.auditlog.recording import Change, record_many
from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.core.errors import PermissionDenied, ValidationFailed
from registry.extensions import db
from registry.legal.models import LegalBasis

from . import matching, policies
from .rows import Problem, RowPlan, RowReader
from .models import ImportedRecord
from .reading import Table, Upload, read as read_file

NO_HEADER = ("The first row is not a header row: the first row must name the columns, "
             "like Title, Purpose, Lead organisation (download the template to see them all)")


@dataclass
class Plan:
    """An import checked row by row: the file, the columns read, and every row's outcome."""

    file_name: str
    sha256: str
    headers: list[str]
    mapping: dict[str, int]
    in_force: bool
    rows: list[RowPlan]

    @property
    def problems(self) -> list[Problem]:
        return [problem for row in self.rows for problem in row.problems]

    @property
    def rows_to_create(self) -> list[RowPlan]:
        return [row for row in self.rows if row.to_create]

    @property
    def rows_already_imported(self) -> list[RowPlan]:
        return [row for row in self.rows if row.already_imported_as is not None]

    @property
    def unsure_names(self) -> dict[str, tuple]:
        """Return every name that matched no authority exactly but has likely ones, in the order met."""
        return {name: candidates for row in self.rows for name, candidates in row.unsure.items()}

    @property
    def created(self) -> list[str]:
        return [row.created_as for row in self.rows if row.created_as]


def read(upload: Upload) -> Table:
    """Return the file's register: of a workbook, the first sheet whose first row names a column we know."""
    return read_file(upload, lambda row: bool(matching.header_mapping([str(cell or "") for cell in row])))


def suggest_mapping(upload: Upload) -> tuple[list[str], dict[str, int]]:
    """Return the file's headers and the column each field would be read from, matched by header."""
    table = read(upload)
    return table.headers, matching.header_mapping(table.headers)


def check_import(actor: Actor, upload: Upload, *, mapping: dict[str, int] | None = None, in_force: bool = False,
                 names: dict[str, str] | None = None) -> Plan:
    """Read the file and say, row by row, what importing it would create and every problem, changing nothing.

    `mapping` says which column holds each field (by index), else columns are matched by
    header; `names` says which authority (by code) a name in the file means, where the
    name matched none exactly.
    """
    if not policies.can_start_import(actor):
        raise PermissionDenied("Only contributors and approvers can import agreements.")
    table = read(upload)
    mapping = _checked_mapping(table, mapping)
    authorities = list(db.session.scalars(sa.select(Authority)))
    by_code = {authority.code: authority for authority in authorities}
    chosen = {matching.normalised(name): by_code.get(code) for name, code in (names or {}).items() if code}
    reader = RowReader(
        table.headers, mapping, in_force, actor,
        matching.AuthorityNames(authorities), chosen,
        matching.LegalBasisNames(db.session.scalars(sa.select(LegalBasis))),
    )
    earlier = dict(db.session.execute(
        sa.select(ImportedRecord.source_row, ImportedRecord.agreement_id).where(ImportedRecord.source_sha256 == upload.sha256)
    ).all())
    references = _references(earlier.values())
    rows = []
    for number, cells in table.rows:
        if number in earlier:
            rows.append(RowPlan(number, already_imported_as=references[earlier[number]]))
        else:
            rows.append(reader.read(number, cells))
    return Plan(upload.file_name, upload.sha256, table.headers, mapping, in_force, rows)


def _references(agreement_ids) -> dict[int, str]:
    ids = list(agreement_ids)
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Agreement.id, Agreement.reference).where(Agreement.id.in_(ids))).all())


def _checked_mapping(table: Table, mapping: dict[str, int] | None) -> dict[str, int]:
    if mapping is None:
        mapping = matching.header_mapping(table.headers)
        if not mapping:
            raise ValidationFailed.single("file", NO_HEADER)
    unknown = sorted(set(mapping) - set(matching.FIELDS))
    if unknown:
        raise ValidationFailed.single("mapping", "There is no field called " + ", ".join(unknown))
    problems = {}
    for name, index in mapping.items():
        if not isinstance(index, int) or not 0 <= index < len(table.headers):
            problems[name] = [f"Choose one of the file's columns for {matching.FIELDS[name][0]}"]
    for name in matching.REQUIRED:
        if name not in mapping:
            problems[name] = [f"Choose the column that holds each agreement's {matching.FIELDS[name][0].lower()}"]
    if problems:
        raise ValidationFailed(problems, "Say which column holds what.")
    return dict(mapping)


def import_agreements(actor: Actor, upload: Upload, *, mapping: dict[str, int] | None = None, in_force: bool = False,
                      names: dict[str, str] | None = None, only_valid: bool = False) -> Plan:
    """Create an agreement for every row of the file, or for none if any row has a problem (unless only_valid).

    Each becomes a draft, or with in_force a record in force: signed outside the registry,
    with no approval by anyone in it. Returns the plan with each created row's reference.
    """
    plan = check_import(actor, upload, mapping=mapping, in_force=in_force, names=names)
    problems = plan.problems
    if problems and not only_valid:
        raise ValidationFailed(
            {"rows": [str(problem) for problem in problems]},
            f"Nothing was imported: the file has {len(problems)} problem{'s' if len(problems) != 1 else ''}.",
        )
    rows = plan.rows_to_create
    if rows and all(not policies.can_import(actor, row.lead, in_force=in_force) for row in rows):
        raise PermissionDenied("You may not import these agreements.")
    for start in range(0, len(rows), CHUNK):
        _create(actor, plan, rows[start:start + CHUNK])
    return plan


# Rows written with one flush: each flush costs about as much for one agreement as for hundreds.
CHUNK = 250


def _create(actor: Actor, plan: Plan, rows: list[RowPlan]) -> None:
    """Create the rows' agreements: all added, one flush for their numbers, then each numbered, frozen if in force, and recorded."""
    made = [(row, *_add(actor, row)) for row in rows]
    db.session.flush()
    # Nothing below needs these rows' changes in the database: they go with the next flush.
    with db.session.no_autoflush:
        for row, agreement, version in made:
            give_reference(agreement)
            if plan.in_force:
                _put_in_force(agreement, version)
            db.session.add(ImportedRecord(
                agreement=agreement, source_file_name=plan.file_name, source_sha256=plan.sha256, source_row=row.row,
                original_reference=row.values["reference"], in_force=plan.in_force, signed_on=row.values["signed_on"],
                imported_by_id=actor.id,
            ))
            row.created_as = agreement.reference
        # One entry a row, in row order, appended together: one write to the log for the chunk, not one a row.
        audit_indexes = record_many(actor, [_change(plan, row, version) for row, _, version in made])
        for (row, agreement, version), audit_index in zip(made, audit_indexes):
            db.session.add(AgreementEvent(agreement=agreement, version_id=version.id, action="create",
                                          to_status=agreement.status, actor_id=actor.id, authority_id=row.lead.id,
                                          audit_index=audit_index))


def _add(actor: Actor, row: RowPlan):
    values = row.values
    agreement, version = new_draft(
        row.lead, title=values["title"], agreement_type=values["agreement_type"], created_by_id=actor.id,
        purpose=values["purpose"], start_date=values["start_date"], review_date=values["review_date"],
        end_date=values["end_date"],
        # A new version has none of these: saying so spares a query for each when its content is hashed.
        flows=[], obligations=[], approvals=[],
    )
    # The register gives the agreement's legal bases, not each party's: they are the lead's;
    # the other parties name their own when the agreement is next amended.
    version.parties[0].legal_bases = list(row.legal_bases)
    for authority in row.others:
        version.parties.append(Party(authority=authority, sharing_role="both", controller_role="controller", legal_bases=[]))
    return agreement, version


def _change(plan: Plan, row: RowPlan, version) -> Change:
    values = row.values
    return Change(
        "agreement.import", "agreement", row.created_as,
        {
            "source_file": plan.file_name, "source_sha256": plan.sha256, "source_row": row.row,
            "original_reference": values["reference"], "in_force": plan.in_force,
            "signed_on": _iso(values["signed_on"]), "lead": row.lead.code,
            "parties": sorted(party.authority.code for party in version.parties),
            "content_hash": version.content_hash,
        },
        authorities=sorted(party.authority.code for party in version.parties),
    )


def _put_in_force(agreement, version) -> None:
    """Freeze the first version as in force, with its content hash; it was signed outside, so nobody submitted or approved it."""
    version.number = 1
    canonical = content.canonical(content.version_document(version))
    version.content = canonical.decode("utf-8")
    version.content_hash = content.content_hash(canonical)
    version.state = VersionState.CURRENT.value
    agreement.current_version = version
    agreement.status = Status.ACTIVE.value
    agreement.review_due = version.review_date


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
