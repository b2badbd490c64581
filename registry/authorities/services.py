"""Use cases for authorities: loading the councils' reference data, adding and editing partner bodies."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from registry.auditlog.recording import record
from registry.core.actors import Actor
from registry.core.changes import apply_changes, change
from registry.core.errors import Conflict, PermissionDenied, ValidationFailed
from registry.core.reference_data import ImportReport
from registry.extensions import db

from . import policies
from .models import Authority
from .reference import CouncilRecord
from .types import TYPES_NEEDING_ODS_CODE


def import_councils(actor: Actor, councils: list[CouncilRecord]) -> ImportReport:
    """Create or update every council in the records, and link abolished councils to their successors."""
    if not policies.can_import_councils(actor):
        raise PermissionDenied("Only administrators can load the councils' reference data.")
    existing = {a.code: a for a in db.session.scalars(sa.select(Authority).options(selectinload(Authority.successors)))}
    report = ImportReport()
    changes: dict[str, dict] = {}
    for council in councils:
        authority = existing.get(council.code)
        if authority is not None and not authority.is_local_authority:
            raise Conflict(f"The code {council.code} belongs to a partner body, not a council; rename the partner first.")
        if authority is None:
            authority = Authority(**council.attributes())
            db.session.add(authority)
            existing[council.code] = authority
            report.created.append(council.code)
            changes[council.code] = council.attributes()
        else:
            changes[council.code] = apply_changes(authority, council.attributes())
    db.session.flush()
    for council in councils:
        authority = existing[council.code]
        before = sorted(s.code for s in authority.successors)
        if before != sorted(council.successor_codes):
            authority.successors = [existing[code] for code in council.successor_codes]
            changes[council.code]["successors"] = change(before, sorted(council.successor_codes))
    for council in councils:
        if council.code in report.created:
            data = {**changes[council.code], "successors": sorted(council.successor_codes)}
            record(actor, "authority.create", "authority", council.code, data, authorities=[council.code])
        elif changes[council.code]:
            report.updated.append(council.code)
            record(actor, "authority.update", "authority", council.code, {"changes": changes[council.code]}, authorities=[council.code])
    report.unchanged = len(councils) - len(report.created) - len(report.updated)
    db.session.flush()
    return report


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


def add_partner(actor: Actor, data: dict) -> Authority:
    """Add a partner body (NHS body, police, fire, school, charity or other)."""
    if not policies.can_add_partner(actor):
        raise PermissionDenied("Only administrators can add partner bodies.")
    values = _partner_values(data)
    _check_partner(values)
    authority = Authority(**values)
    db.session.add(authority)
    db.session.flush()
    record(actor, "authority.create", "authority", authority.code, values, authorities=[authority.code])
    return authority


def edit_partner(actor: Actor, authority: Authority, data: dict) -> Authority:
    """Change a partner body's details."""
    if not policies.can_edit(actor, authority):
        raise PermissionDenied("Only administrators can edit partner bodies, and councils change only through the reference data.")
    values = _partner_values(data, authority)
    _check_partner(values, authority)
    changes = apply_changes(authority, values)
    db.session.flush()
    if changes:
        record(actor, "authority.update", "authority", authority.code, {"changes": changes}, authorities=[authority.code])
    return authority
