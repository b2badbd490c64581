"""JSON API for obligations in force: what an authority owes and is owed, attesting, and counterparts.

The same queries and use cases as the HTML pages (queries.py, services.py); refusals are
domain errors, answered in one place (403, 404, 409, 422).
"""

from flask.views import MethodView
from registry.core.api_blueprint import Blueprint
from marshmallow import Schema, fields, validate

from registry.auth.bearer import api_actor, token_required
from registry.authorities.queries import authority_by_code
from registry.core.clock import today
from registry.core.errors import PermissionDenied
from registry.core.text import SingleLine
from registry.core.unit_of_work import unit_of_work

from . import exports, policies, queries, services
from .schemas import AttestationInputSchema, AttestationSchema, CounterpartSchema, ObligationDueSchema, SharingPartnerSchema

blp = Blueprint(
    "obligations_api",
    __name__,
    url_prefix="/api/v1",
    description="What parties owe each other under agreements in force, attestations, and counterparts.",
)


class ObligationQuerySchema(Schema):
    authority = SingleLine(
        required=True, validate=validate.Length(min=1, max=20),
        error_messages={"required": "Give the code of an authority, like BRD"},
        metadata={"description": "The authority whose obligations to list: what it owes and what it is owed."},
    )
    owed = fields.String(
        load_default=None, validate=validate.OneOf(["by", "to"], error="Use by or to"),
        metadata={"description": "by: only what it owes; to: only what it is owed. Both when left out."},
    )
    overdue = fields.Boolean(load_default=None, metadata={"description": "true: only overdue ones."})
    not_met = fields.Boolean(load_default=None, metadata={"description": "true: only those last attested as partly met or not met."})


class ObligationListSchema(Schema):
    as_of = fields.Date(metadata={"description": "The day overdue was worked out for."})
    items = fields.List(fields.Nested(ObligationDueSchema))


def _member_view(authority):
    """Return the authority if the caller may see what it owes and is owed."""
    if not policies.can_view_counterparts(api_actor(), authority):
        raise PermissionDenied(f"Only people at {authority.name}, and auditors, can see what it owes and is owed.")
    return authority


@blp.route("/obligations")
class Obligations(MethodView):
    @token_required(blp, errors=(403, 404))
    @blp.arguments(ObligationQuerySchema, location="query")
    @blp.response(200, ObligationListSchema)
    def get(self, args):
        """List what an authority owes and is owed under every agreement in force, with next due dates."""
        authority = _member_view(authority_by_code(args["authority"]))
        day = today()
        dues = queries.obligations_in_force(day, involving=[authority.id])
        owed_by = [due for due in dues if due.owed_by.id == authority.id] if args["owed"] != "to" else []
        owed_to = [due for due in dues if authority in due.owed_to] if args["owed"] != "by" else []
        chosen = owed_by + [due for due in owed_to if due not in owed_by]
        if args["overdue"] is not None:
            chosen = [due for due in chosen if due.overdue == args["overdue"]]
        if args["not_met"] is not None:
            chosen = [due for due in chosen if (due.not_met is not None) == args["not_met"]]
        return {"as_of": day, "items": [exports.due_values(due) for due in chosen]}


@blp.route("/obligations/<int:obligation_id>/attestations")
class Attestations(MethodView):
    @token_required(blp, errors=(403, 404, 409))
    @blp.arguments(AttestationInputSchema)
    @blp.response(201, AttestationSchema)
    def post(self, data, obligation_id: int):
        """Attest, as the owing party's approver, whether an obligation was met for its current due date."""
        with unit_of_work():
            attestation = services.attest(api_actor(), obligation_id, **data)
        return attestation


@blp.route("/authorities/<string:code>/partners")
class Partners(MethodView):
    @token_required(blp, errors=(404,))
    @blp.response(200, SharingPartnerSchema(many=True))
    def get(self, code: str):
        """List the authorities this one shares with under agreements in force (published ones only, unless you are its member or an auditor)."""
        authority = authority_by_code(code)
        sees_all = policies.can_view_counterparts(api_actor(), authority)
        return [
            {"authority": partner, "agreements": count}
            for partner, count in queries.partners_of(authority, published_only=not sees_all)
        ]


@blp.route("/authorities/<string:code>/partners/<string:other_code>")
class Counterpart(MethodView):
    @token_required(blp, errors=(403, 404))
    @blp.response(200, CounterpartSchema)
    def get(self, code: str, other_code: str):
        """Show what another authority owes this one and what this one owes it, across every agreement in force between them."""
        mine, other = authority_by_code(code), authority_by_code(other_code)
        _member_view(mine)
        view = queries.counterpart(mine, other, today())
        return {
            "mine": view.mine,
            "other": view.other,
            "agreements": [agreement.reference for agreement in view.agreements],
            "they_owe_us": [exports.due_values(due) for due in view.they_owe_us],
            "we_owe_them": [exports.due_values(due) for due in view.we_owe_them],
            "overdue_to_us": len(view.overdue_to_us),
            "overdue_by_us": len(view.overdue_by_us),
            "not_met_to_us": len(view.not_met_to_us),
            "not_met_by_us": len(view.not_met_by_us),
        }
