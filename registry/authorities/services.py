"""Use cases for authorities: loading the councils' reference data, adding and editing partner bodies."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from registry.core.errors import Conflict, PermissionDenied, ValidationFailed
from registry.extensions import db

from . import policies
from .models import Authority
from .reference import CouncilRecord
from .types import TYPES_NEEDING_ODS_CODE


@dataclass
class ImportReport:
    """What an import of the councils' reference data changed."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def import_councils(actor, records: list[CouncilRecord]) -> ImportReport:
    """Create or update every council in the records, and link abolished councils to their successors."""
    if not policies.can_import_councils(actor):
        raise PermissionDenied("Only administrators can load the councils' reference data.")
    existing = {a.code: a for a in db.session.scalars(sa.select(Authority).options(selectinload(Authority.successors)))}
    report = ImportReport()
    for record in records:
        authority = existing.get(record.code)
        if authority is not None and not authority.is_local_authority:
            raise Conflict(f"The code {record.code} belongs to a partner body, not a council; rename the partner first.")
        if authority is None:
            authority = Authority(**record.attributes())
            db.session.add(authority)
            existing[record.code] = authority
            report.created.append(record.code)
        elif _apply(authority, record.attributes()):
            report.updated.append(record.code)
    db.session.flush()
    for record in records:
        authority = existing[record.code]
        if {s.code for s in authority.successors} != set(record.successor_codes):
            authority.successors = [existing[code] for code in record.successor_codes]
            if record.code not in report.created and record.code not in report.updated:
                report.updated.append(record.code)
    report.unchanged = len(records) - len(report.created) - len(report.updated)
    db.session.flush()
    return report


def _apply(authority: Authority, values: dict) -> bool:
    """Set the values that differ; return True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(authority, name) != value:
            setattr(authority, name, value)
            changed = True
    return changed


def _partner_values(data: dict, authority: Authority | None = None) -> dict:
    values = dict(data)
    # The code is the body's stable identity: set when it is added, never changed.
    values["code"] = authority.code if authority else values["code"].upper()
    values["short_name"] = values.get("short_name") or values["name"]
    if values.get("ods_code"):
        values["ods_code"] = values["ods_code"].upper()
    return values


def _check_partner(values: dict, authority: Authority | None = None) -> None:
    problems: dict[str, list[str]] = {}
    if values["type"] in TYPES_NEEDING_ODS_CODE and not values.get("ods_code"):
        problems["ods_code"] = ["Enter the ODS code: NHS trusts and integrated care boards must have one"]
    if authority is None and len(values["code"]) == 3 and values["code"].isalpha():
        problems["code"] = ["Three-letter codes are kept for councils: use a longer code, such as the ODS code with a prefix"]
    if problems:
        raise ValidationFailed(problems)
    others = sa.select(Authority).where(Authority.id != (authority.id if authority else -1))
    if db.session.scalar(others.where(Authority.code == values["code"])):
        raise ValidationFailed.single("code", f"Another authority already has the code {values['code']}")
    if values.get("ods_code") and db.session.scalar(others.where(Authority.ods_code == values["ods_code"])):
        raise ValidationFailed.single("ods_code", f"Another authority already has the ODS code {values['ods_code']}")


def add_partner(actor, data: dict) -> Authority:
    """Add a partner body (NHS body, police, fire, school, charity or other)."""
    if not policies.can_add_partner(actor):
        raise PermissionDenied("Only administrators can add partner bodies.")
    values = _partner_values(data)
    _check_partner(values)
    authority = Authority(**values)
    db.session.add(authority)
    db.session.flush()
    return authority


def edit_partner(actor, authority: Authority, data: dict) -> Authority:
    """Change a partner body's details."""
    if not policies.can_edit(actor, authority):
        raise PermissionDenied("Only administrators can edit partner bodies, and councils change only through the reference data.")
    values = _partner_values(data, authority)
    _check_partner(values, authority)
    _apply(authority, values)
    db.session.flush()
    return authority
