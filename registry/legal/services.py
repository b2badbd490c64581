"""Use cases for the legal vocabulary: loading the reference data, adding and changing legal bases."""

import sqlalchemy as sa

from registry.auditlog.recording import record
from registry.core.actors import Actor
from registry.core.changes import apply_changes
from registry.core.errors import PermissionDenied, ValidationFailed
from registry.core.reference_data import ImportReport
from registry.extensions import db

from . import policies
from .models import LegalBasis
from .reference import FIELDS, LegalBasisRecord

# Article 9(2)(b), (g)-(j) and Article 10 need a Schedule 1 condition too (DPA 2018 s10).
KINDS_THAT_MAY_NEED_SCHEDULE1 = frozenset({"article9", "article10"})


def _settled(values: dict) -> dict:
    """Return the values without those the kind has no use for.

    The form asks for part, paragraph and mandatory whatever the kind, and a radio once
    chosen cannot be cleared: an answer to a question that does not apply is not saved.
    """
    settled = dict(values)
    if settled["kind"] != "schedule1":
        settled["part"] = settled["paragraph"] = None
    if settled["kind"] != "gateway":
        settled["mandatory"] = None
    return settled


def _problems(values: dict) -> dict[str, list[str]]:
    """Return what breaks the rules that tie a legal basis's fields to its kind."""
    problems: dict[str, list[str]] = {}
    if values["kind"] == "schedule1":
        if values["part"] is None:
            problems["part"] = ["Select which Part of Schedule 1 the condition is in"]
        if values["paragraph"] is None:
            problems["paragraph"] = ["Enter the paragraph number of the Schedule 1 condition"]
    if values["kind"] == "gateway" and values["mandatory"] is None:
        problems["mandatory"] = ["Select whether the gateway is mandatory (a duty) or permissive (a power)"]
    if values["needs_schedule1"] and values["kind"] not in KINDS_THAT_MAY_NEED_SCHEDULE1:
        problems["needs_schedule1"] = ["Only Article 9 conditions and Article 10 can need a Schedule 1 condition"]
    return problems


def import_legal_bases(actor: Actor, records: list[LegalBasisRecord]) -> ImportReport:
    """Create the legal bases in the records that are missing and update those that changed, matched by code."""
    if not policies.can_import_legal_bases(actor):
        raise PermissionDenied("Only administrators can load the legal vocabulary's reference data.")
    incoming = [_settled(legal_record.attributes()) for legal_record in records]
    # Check every record before changing anything, so the refusal names all it can.
    problems = {
        f"{values['code']} {name}": messages for values in incoming for name, messages in _problems(values).items()
    }
    if problems:
        raise ValidationFailed(problems, "The legal bases were not loaded; nothing has changed.")
    existing = {b.code: b for b in db.session.scalars(sa.select(LegalBasis))}
    report = ImportReport()
    changes: dict[str, dict] = {}
    for values in incoming:
        legal_basis = existing.get(values["code"])
        if legal_basis is None:
            db.session.add(LegalBasis(**values))
            report.created.append(values["code"])
        else:
            changes[values["code"]] = apply_changes(legal_basis, values)
    db.session.flush()
    for values in incoming:
        code = values["code"]
        if code in report.created:
            record(actor, "legal_basis.create", "legal_basis", code, values)
        elif changes[code]:
            report.updated.append(code)
            record(actor, "legal_basis.update", "legal_basis", code, {"changes": changes[code]})
    report.unchanged = len(incoming) - len(report.created) - len(report.updated)
    return report


def _check(values: dict, legal_basis: LegalBasis | None = None) -> None:
    problems = _problems(values)
    if problems:
        raise ValidationFailed(problems)
    if legal_basis is None and db.session.scalar(sa.select(LegalBasis.id).where(LegalBasis.code == values["code"])):
        raise ValidationFailed.single("code", f"Another legal basis already has the code {values['code']}")


def add_legal_basis(actor: Actor, data: dict) -> LegalBasis:
    """Add a legal basis, such as a statutory gateway or a local act the reference data lacks."""
    if not policies.can_add_legal_basis(actor):
        raise PermissionDenied("Only administrators can add legal bases.")
    values = _settled({name: data[name] for name in FIELDS})
    _check(values)
    legal_basis = LegalBasis(**values)
    db.session.add(legal_basis)
    db.session.flush()
    record(actor, "legal_basis.create", "legal_basis", legal_basis.code, values)
    return legal_basis


def edit_legal_basis(actor: Actor, legal_basis: LegalBasis, data: dict) -> LegalBasis:
    """Change a legal basis's details (any but its code); `data` may hold only the fields that change."""
    if not policies.can_edit(actor, legal_basis):
        raise PermissionDenied("Only administrators can change legal bases.")
    current = {name: getattr(legal_basis, name) for name in FIELDS}
    # The code is the basis's stable identity, by which the reference data finds it again.
    values = _settled({**current, **data, "code": legal_basis.code})
    _check(values, legal_basis)
    changes = apply_changes(legal_basis, values)
    db.session.flush()
    if changes:
        record(actor, "legal_basis.update", "legal_basis", legal_basis.code, {"changes": changes})
    return legal_basis
