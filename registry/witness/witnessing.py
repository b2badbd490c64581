"""Cosigning a checkpoint, with the checks of c2sp.org/tlog-witness in the order it gives them.

This follows the current text of tlog-witness, which differs from its v1.0.0 tag: the same
size with a different root is 422 (v1.0.0 said 409); a checkpoint of size 0 must carry the
empty tree's root (422); a proof sent with old size 0 is 422; a signature line that names a
trusted key but does not verify is 403 even if another trusted signature does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from registry.auditlog.verifier import (
    EMPTY_ROOT,
    Checkpoint,
    VerificationError,
    VerifierKey,
    parse_checkpoint,
    parse_note,
    verify_consistency,
    verify_note,
)

from .cosignature import Cosigner
from .errors import BadRequest, BadSignature, Inconsistent, UnknownLog, WrongOldSize
from .requests import AddCheckpoint, parse_add_checkpoint
from .state import Advance, Latest, WitnessState


@dataclass
class Witness:
    """A witness: its key, the logs it watches (origin to log verifier keys) and its record."""

    cosigner: Cosigner
    logs: Mapping[str, Sequence[VerifierKey]]
    state: WitnessState
    clock: Callable[[], float] = field(default=time.time)

    def add_checkpoint(self, body: bytes) -> str:
        """Check a request and return the cosignature line, or raise a Refused saying why."""
        request = parse_add_checkpoint(body)
        checkpoint = self._signed_checkpoint(request.checkpoint_note)
        if request.old_size > checkpoint.size:
            raise BadRequest(f"the old size {request.old_size} is larger than the checkpoint's size {checkpoint.size}")
        if checkpoint.size == 0 and checkpoint.root_hash != EMPTY_ROOT:
            raise Inconsistent("a checkpoint of size 0 must have the empty tree's root hash")
        text = parse_note(request.checkpoint_note).text

        def decide(latest: Latest) -> tuple[Advance, str]:
            _check_consistency(request, checkpoint, latest)
            timestamp = int(self.clock())
            line = self.cosigner.cosign(text, timestamp)
            return Advance(checkpoint.size, checkpoint.root_hash, request.checkpoint_note, timestamp), line

        return self.state.advance(checkpoint.origin, decide)

    def _signed_checkpoint(self, note: str) -> Checkpoint:
        try:
            claimed = parse_checkpoint(parse_note(note).text)
        except VerificationError as error:
            raise BadRequest(f"the checkpoint is malformed: {error}") from None
        keys = self.logs.get(claimed.origin)
        if keys is None:
            raise UnknownLog(f"this witness does not watch the log {claimed.origin}")
        try:
            verify_note(note, keys)
        except VerificationError as error:
            raise BadSignature(f"invalid signature: {error}") from None
        return claimed


def _check_consistency(request: AddCheckpoint, checkpoint: Checkpoint, latest: Latest) -> None:
    if request.old_size != latest.size:
        raise WrongOldSize(latest.size)
    if request.old_size == 0:
        if request.proof:
            raise Inconsistent("the consistency proof must be empty when the old size is 0")
        return
    if request.old_size == checkpoint.size:
        if checkpoint.root_hash != latest.root_hash or request.proof:
            raise Inconsistent("the checkpoint has the size of the latest cosigned one but a different root hash")
        return
    try:
        verify_consistency(request.old_size, checkpoint.size, request.proof, latest.root_hash, checkpoint.root_hash)
    except VerificationError as error:
        raise Inconsistent(f"the consistency proof does not verify: {error}") from None
