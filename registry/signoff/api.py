"""The JSON API for sign-off: who still has to approve an agreement's proposed version, and nudging a party."""

from flask.views import MethodView

from registry.agreements import policies as agreement_policies, queries as agreement_queries
from registry.auth.bearer import api_actor, error_responses, token_required
from registry.authorities.queries import authority_named_in
from registry.core.api_blueprint import Blueprint
from registry.core.clock import today
from registry.core.errors import PermissionDenied
from registry.core.unit_of_work import unit_of_work

from . import policies, queries, services
from .schemas import AUTHORITY_NEEDED, NudgedSchema, NudgeInputSchema, SignOffSchema

blp = Blueprint(
    "signoff_api", __name__, url_prefix="/api/v1/agreements",
    description="Who still has to approve an agreement's proposed version, for how long, and nudging them.",
)


def _viewable(reference: str):
    """Return the agreement, with what its sign-off reads loaded, if the caller may see it."""
    agreement = agreement_queries.agreement_for_page(reference)
    if not agreement_policies.can_view(api_actor(), agreement):
        raise PermissionDenied("You can see an agreement only if one of your authorities is a party to it.")
    return agreement


@blp.route("/<string:reference>/sign-off")
class SignOff(MethodView):
    @token_required(blp)
    @blp.response(200, SignOffSchema)
    @error_responses(blp, 403, 404)
    def get(self, reference: str):
        """Show who still has to approve the proposed version (of the agreement or an amendment) and since when; empty if none is proposed."""
        actor, day = api_actor(), today()
        agreement = _viewable(reference)
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
    @token_required(blp)
    @blp.arguments(NudgeInputSchema)
    @blp.response(201, NudgedSchema)
    @error_responses(blp, 403, 404, 409)
    def post(self, data, reference: str):
        """Nudge a party still to approve: its approvers are asked again. An approver of the lead authority, at most once every 3 days per party."""
        actor = api_actor()
        agreement = agreement_queries.agreement_by_reference(reference)
        if not agreement_policies.can_view(actor, agreement):
            raise PermissionDenied("You can see an agreement only if one of your authorities is a party to it.")
        authority = authority_named_in("authority_code", data["authority_code"], required=AUTHORITY_NEEDED)
        with unit_of_work():
            return services.nudge(actor, agreement, authority)
