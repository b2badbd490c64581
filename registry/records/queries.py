"""What a version's PDF record shows and carries: its submission's audit entry and receipt, the log's keys, legal bases in words."""

from dataclasses import dataclass

import sqlalchemy as sa

from registry.agreements.models import AgreementEvent, AgreementVersion
from registry.agreements.statuses import Action
from registry.auditlog import keys
from registry.auditlog import queries as log
from registry.core.errors import NotFound
from registry.extensions import db


@dataclass(frozen=True)
class Evidence:
    """The attachments that let anyone check a record without the registry: content, entry, receipt, keys."""

    content: bytes
    entry_index: int
    entry: bytes
    receipt: str
    keys: str


def submission_entry_index(version: AgreementVersion) -> int:
    """Return the index of the audit entry that recorded the version's submission."""
    index = db.session.scalar(
        sa.select(AgreementEvent.audit_index)
        .where(AgreementEvent.version_id == version.id, AgreementEvent.action == Action.SUBMIT.value)
        .order_by(AgreementEvent.id.desc())
        .limit(1)
    )
    if index is None:
        raise NotFound("That version has no submission in the audit log.")
    return index


def evidence_of(version: AgreementVersion) -> Evidence:
    """Return the version's canonical content with the logged entry of its submission, its receipt and the log's keys."""
    if version.content is None:
        raise NotFound("Only a submitted version has a record.")
    index = submission_entry_index(version)
    return Evidence(
        content=version.content.encode("utf-8"),
        entry_index=index,
        entry=log.entry_by_index(index).entry,
        receipt=log.receipt(index),
        keys="".join(f"{key.verifier_key}\n" for key in keys.published_keys()),
    )

