"""Asking the log's witnesses to cosign its checkpoints (c2sp.org/tlog-witness), and serving what they cosigned.

The witness policy (c2sp.org/tlog-policy) names each witness, its key and URL, and the quorum.
A round sends the latest checkpoint to each witness with the consistency proof from the size
that witness last cosigned; a witness that answers 409 says its size, and is asked again from
there. Cosignature lines are checked against the witness's key before they are kept. A witness
that is down or refuses is noted and asked again next round: it never stops the registry.

Rounds run in the background worker (`flask audit witness --watch`), at most one every
AUDIT_WITNESS_ROUND_SECONDS, and only when the log has grown since the last one.
"""

from __future__ import annotations

import base64
import itertools
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from registry.core.db import utcnow
from registry.extensions import db

from . import keys, queries, tlog
from .models import AuditCosignature, AuditEntry, AuditWitness
from .verifier import Policy, VerificationError, parse_note, parse_policy, parse_signature_line

logger = logging.getLogger(__name__)


def policy_file() -> Path | None:
    configured = current_app.config.get("AUDIT_WITNESS_POLICY")
    if not configured:
        return None
    path = Path(configured)
    return path if path.is_absolute() else Path(current_app.instance_path) / path


def policy_text() -> str:
    """Return the log's tlog-policy: its log keys, then the configured witnesses, groups and quorum."""
    logs = "".join(f"log {key.verifier_key}\n" for key in keys.published_keys() if key.purpose == "log")
    path = policy_file()
    witnesses = path.read_text(encoding="utf-8") if path is not None and path.exists() else "quorum none\n"
    return logs + witnesses


def policy() -> Policy:
    """Return the witness policy, parsed (a malformed file is a configuration error, raised)."""
    return parse_policy(policy_text())


@dataclass
class RoundReport:
    size: int
    cosigned: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)


def ask_witnesses(timeout: float | None = None) -> RoundReport:
    """Send the latest checkpoint to every witness that has not cosigned it; keep what they return."""
    the_policy = policy()
    size = queries.log_size()
    report = RoundReport(size)
    if size == 0 or not the_policy.witnesses:
        return report
    checkpoint = queries.checkpoint_at(size)
    timeout = current_app.config["AUDIT_WITNESS_TIMEOUT_SECONDS"] if timeout is None else timeout
    for name, key in the_policy.witnesses.items():
        state = db.session.get(AuditWitness, name) or AuditWitness(name=name, size=0)
        db.session.add(state)
        if _has_cosigned(name, size):
            continue
        url = the_policy.urls.get(name)
        state.last_asked_at = utcnow()
        try:
            if url is None:
                raise WitnessProblem("the policy gives no URL for it")
            line = _ask(url, checkpoint, state, size, timeout)
            timestamp = key.cosigned_at(parse_note(checkpoint).text, parse_signature_line(line.rstrip("\n")))
            if timestamp is None:
                raise WitnessProblem("it answered with a signature that is not its cosignature")
        except (WitnessProblem, VerificationError) as problem:
            state.last_problem = str(problem)
            report.problems[name] = str(problem)
            logger.warning("Witness %s did not cosign size %s: %s", name, size, problem)
        else:
            db.session.add(AuditCosignature(size=size, witness_name=name, line=line, cosigned_at=utcnow()))
            state.size, state.last_cosigned_at, state.last_problem = size, utcnow(), None
            report.cosigned.append(name)
        db.session.commit()
    return report


class WitnessProblem(Exception):
    pass


def _ask(url: str, checkpoint: str, state: AuditWitness, size: int, timeout: float) -> str:
    """POST add-checkpoint from the size the witness holds; after a 409, once more from the size it gives."""
    for _ in range(2):
        old = state.size if 0 <= state.size <= size else 0
        proof = queries.consistency_proof(old, size)[1] if 0 < old < size else []
        body = "\n".join([f"old {old}", *(base64.b64encode(h).decode() for h in proof)]) + "\n\n" + checkpoint
        status, answer = _post(url.rstrip("/") + "/add-checkpoint", body.encode(), timeout)
        if status == 200:
            lines = [line for line in answer.split("\n") if line]
            if not lines:
                raise WitnessProblem("it answered 200 with no cosignature")
            return lines[0] + "\n"
        if status == 409 and answer.strip().isdigit():
            held = int(answer.strip())
            if held > size:
                raise WitnessProblem(f"it holds a checkpoint of size {held}, larger than the log's {size}")
            state.size = held
            continue
        raise WitnessProblem(f"it answered {status}: {answer.strip()[:200]}")
    raise WitnessProblem("it kept answering 409")


def _post(url: str, body: bytes, timeout: float) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "text/plain; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(64 * 1024).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(64 * 1024).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as error:
        raise WitnessProblem(f"it could not be reached ({getattr(error, 'reason', error)})") from None


def _has_cosigned(name: str, size: int) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditCosignature).where(
            AuditCosignature.size == size, AuditCosignature.witness_name == name
        )
    ) > 0


def cosigned_checkpoint(at_most: int | None = None) -> str | None:
    """Return the latest checkpoint (at or below at_most) whose cosignatures meet the quorum, with
    its cosignature lines; None if there is none. With `quorum none`, the latest checkpoint."""
    the_policy = policy()
    size = queries.log_size() if at_most is None else at_most
    if the_policy.quorum == "none":
        return queries.checkpoint_at(size)
    found = _latest_quorum(the_policy, size)
    if found is None:
        return None
    candidate, lines = found
    return queries.checkpoint_at(candidate) + "".join(lines[name] for name in sorted(lines))


def _latest_quorum(the_policy: Policy, at_most: int) -> tuple[int, dict[str, str]] | None:
    """Return the largest size at or below at_most that the quorum cosigned, with its lines by witness.

    The cosignatures are read newest first, in batches, and reading stops at the first size the
    quorum cosigned (usually the latest round's): the table grows with every round, and this
    runs for every /audit/checkpoint and receipt.
    """
    rows = db.session.execute(
        sa.select(AuditCosignature.size, AuditCosignature.witness_name, AuditCosignature.line)
        .where(AuditCosignature.size <= at_most, AuditCosignature.witness_name.in_(the_policy.witnesses))
        .order_by(AuditCosignature.size.desc())
        .execution_options(yield_per=256)
    )
    try:
        for candidate, group in itertools.groupby(rows, key=lambda row: row.size):
            lines = {row.witness_name: row.line for row in group}
            if the_policy.witnessed_by(the_policy.quorum, set(lines)):
                return candidate, lines
        return None
    finally:
        rows.close()


@dataclass(frozen=True)
class Witnessing:
    """Where witnessing stands: each witness as last heard of, and how much of the log the quorum has cosigned."""

    policy: Policy
    witnesses: list[AuditWitness]
    log_size: int
    cosigned_size: int  # the largest size whose checkpoint meets the quorum; 0 if none does
    waiting_since: datetime | None  # when the oldest entry beyond cosigned_size was written

    @property
    def configured(self) -> bool:
        return self.policy.quorum != "none"

    @property
    def quorum_met(self) -> bool:
        """Whether the latest checkpoint meets the quorum."""
        return self.cosigned_size == self.log_size


def witnessing() -> Witnessing:
    """Return where witnessing stands now."""
    the_policy = policy()
    size = queries.log_size()
    if the_policy.quorum == "none":
        return Witnessing(the_policy, [], size, size, None)
    found = _latest_quorum(the_policy, size)
    cosigned_size = found[0] if found else 0
    waiting_since = None
    if cosigned_size < size:
        waiting_since = db.session.scalar(sa.select(AuditEntry.time).where(AuditEntry.index == cosigned_size))
    return Witnessing(the_policy, witness_states(), size, cosigned_size, waiting_since)


def quorum_overdue(now: datetime) -> Witnessing | None:
    """Return where witnessing stands if changes have waited longer than AUDIT_QUORUM_WARNING_MINUTES
    for a checkpoint that meets the quorum (only when witnesses are configured); else None."""
    status = witnessing()
    limit = timedelta(minutes=current_app.config["AUDIT_QUORUM_WARNING_MINUTES"])
    if status.configured and status.waiting_since is not None and now - status.waiting_since > limit:
        return status
    return None


def cosignature_lines(size: int) -> str:
    """Return the stored cosignature lines on the checkpoint of this size from the policy's witnesses."""
    lines = db.session.scalars(
        sa.select(AuditCosignature.line)
        .where(AuditCosignature.size == size, AuditCosignature.witness_name.in_(policy().witnesses))
        .order_by(AuditCosignature.witness_name)
    )
    return "".join(lines)


def witness_states() -> list[AuditWitness]:
    """Return what is known of each witness in the policy, in the policy's order."""
    names = list(policy().witnesses)
    known = {w.name: w for w in db.session.scalars(sa.select(AuditWitness).where(AuditWitness.name.in_(names)))}
    return [known.get(name) or AuditWitness(name=name, size=0) for name in names]


def served_checkpoint() -> str:
    """The checkpoint /audit/checkpoint serves: the latest that meets the quorum, with its
    cosignatures; until one does, the latest signed checkpoint (which a verifier holding the
    policy will refuse, rightly)."""
    return cosigned_checkpoint() or queries.current_checkpoint()


def receipt(index: int) -> str:
    """Return an entry's tlog-proof receipt against the latest cosigned checkpoint that holds it,
    or against the latest checkpoint if none cosigned holds it yet."""
    checkpoint = cosigned_checkpoint()
    if checkpoint is None:
        return queries.receipt(index)
    size = int(checkpoint.split("\n", 2)[1])
    if index >= size:
        return queries.receipt(index)
    _, proof = queries.inclusion_proof(index, size)
    return tlog.format_receipt(index, proof, checkpoint)
