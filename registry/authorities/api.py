"""JSON API for authorities: list with filters, detail, and adding partner bodies (admins)."""

from flask.views import MethodView
from registry.core.api_blueprint import Blueprint

from registry.auth.bearer import api_actor, token_required, token_with_system_role
from registry.core.clock import today
from registry.core.unit_of_work import unit_of_work
from registry.users.roles import SystemRole

from . import queries, services
from .schemas import AuthorityPageSchema, AuthorityQuerySchema, AuthoritySchema, PartnerSchema

blp = Blueprint("authorities_api", __name__, url_prefix="/api/v1/authorities", description="Councils and partner bodies.")

PER_PAGE = 100


@blp.route("")
class Authorities(MethodView):
    @token_required(blp)
    @blp.response(200, AuthorityPageSchema)
    @blp.paginated(AuthorityQuerySchema, per_page=PER_PAGE)
    def get(self, filters):
        """List authorities, with the same search and filters as the web page."""
        return queries.authority_search(queries.AuthorityFilters(**filters), today())

    @token_with_system_role(blp, SystemRole.ADMIN)
    @blp.arguments(PartnerSchema)
    @blp.response(201, AuthoritySchema)
    def post(self, data):
        """Add a partner body (administrators only)."""
        with unit_of_work():
            authority = services.add_partner(api_actor(), data)
        return authority


@blp.route("/<string:code>")
class AuthorityDetail(MethodView):
    @token_required(blp, errors=(404,))
    @blp.response(200, AuthoritySchema)
    def get(self, code: str):
        """Show one authority by its code."""
        return queries.authority_by_code(code)
