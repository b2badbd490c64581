"""JSON API for the audit log: the latest checkpoint, and inclusion and consistency proofs."""

import base64

from flask.views import MethodView
from registry.core.api_blueprint import Blueprint

from registry.auth.bearer import token_required

from registry.auditlog import queries
from .schemas import (
    CheckpointSchema,
    ConsistencyProofSchema,
    ConsistencyQuerySchema,
    InclusionProofSchema,
    InclusionQuerySchema,
)
from registry.auditlog.verifier import hash_leaf, parse_checkpoint, parse_note

blp = Blueprint(
    "audit_api",
    __name__,
    url_prefix="/api/v1/audit",
    description="The tamper-evident audit log: checkpoints and RFC 6962 proofs from stored hashes.",
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@blp.route("/checkpoint")
class Checkpoint(MethodView):
    @token_required(blp)
    @blp.response(200, CheckpointSchema)
    def get(self):
        """Show the latest signed checkpoint and what it says."""
        note = queries.current_checkpoint()
        parsed = parse_checkpoint(parse_note(note).text)
        return {"origin": parsed.origin, "size": parsed.size, "root_hash": _b64(parsed.root_hash), "checkpoint": note}


@blp.route("/proofs/inclusion")
class InclusionProof(MethodView):
    @token_required(blp, errors=(404,))
    @blp.arguments(InclusionQuerySchema, location="query")
    @blp.response(200, InclusionProofSchema)
    def get(self, args):
        """Prove that an entry is in the log at a size (default: the current size)."""
        size, proof = queries.inclusion_proof(args["index"], args["size"])
        entry = queries.entry_by_index(args["index"])
        return {
            "index": args["index"],
            "tree_size": size,
            "leaf_hash": _b64(hash_leaf(entry.entry)),
            "proof": [_b64(h) for h in proof],
            "checkpoint": queries.checkpoint_at(size),
        }


@blp.route("/proofs/consistency")
class ConsistencyProof(MethodView):
    @token_required(blp)
    @blp.arguments(ConsistencyQuerySchema, location="query")
    @blp.response(200, ConsistencyProofSchema)
    def get(self, args):
        """Prove that the log at an older size is a prefix of the log at a newer size."""
        new_size, proof = queries.consistency_proof(args["old"], args["new"])
        return {
            "old_size": args["old"],
            "new_size": new_size,
            "proof": [_b64(h) for h in proof],
            "old_checkpoint": queries.checkpoint_at(args["old"]),
            "new_checkpoint": queries.checkpoint_at(new_size),
        }
