"""The JSON API for sign-off: who still has to approve an agreement's proposed version, and nudging a party."""

from flask.views import MethodView

from registry.agreements import access, queries as agreement_queries
from registry.auth.bearer import api_actor, token_required
from registry.authorities.queries import authority_named_in
from registry.core.api_blueprint import Blueprint
from registry.core.clock import today
from registry.core.unit_of_work import unit_of_work

from . import policies, queries, services
from .schemas import AUTHORITY_NEEDED, NudgedSchema, NudgeInputSchema, SignOffSchema

blp = Blueprint(
    "signoff_api", __name__, url_prefix="/api/v1/agreements",
    description="Who still has to approve an agreement's proposed version, for how long, and nudging them.",
)


@blp.route("/<string:reference>/sign-off")
class SignOff(MethodView):
    @token_required(blp, errors=(403, 404))
    @blp.response(200, SignOffSchema)
    def get(self, reference: str):
        """Show who still has to approve the proposed version (of the agreement or an amendment) and since when; empty if none is proposed."""
        actor, day = api_actor(), today()
        agreement = access.viewable(actor, reference)
        sign_off = queries.sign_off_of(agreement, day)
        if sign_off is None:
            return {"reference": agreement.reference, "version": None, "submitted_on": None, "parties": []}
        may_nudge = policies.can_nudge(actor, agreement)
        return {
            "reference": agreement.reference, "version": sign_off.version.number, "submitted_on": sign_off.submitted_on,
            "parties": [
                {**vars(standing), "next_nudge_on": standing.next_nudge_on,
                 "you_may_nudge": may_nudge and standing.may_be_nudged_on(day)}
                for standing in sign_off.parties
            ],
        }


@blp.route("/<string:reference>/nudges")
class Nudges(MethodView):
    @token_required(blp, errors=(403, 404, 409))
    @blp.arguments(NudgeInputSchema)
    @blp.response(201, NudgedSchema)
    def post(self, data, reference: str):
        """Nudge a party still to approve: its approvers are asked again. An approver of the lead authority, at most once every 3 days per party."""
        actor = api_actor()
        agreement = access.seen_by(actor, agreement_queries.agreement_by_reference(reference))
        authority = authority_named_in("authority_code", data["authority_code"], required=AUTHORITY_NEEDED)
        with unit_of_work():
            return services.nudge(actor, agreement, authority)
