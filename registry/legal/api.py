"""JSON API for the legal vocabulary: list with search and filter, detail, and adding and changing (admins)."""

from flask.views import MethodView
from registry.core.api_blueprint import Blueprint

from registry.auth.bearer import api_actor, token_required, token_with_system_role
from registry.core.unit_of_work import unit_of_work
from registry.users.roles import SystemRole

from . import queries, services
from .schemas import (
    LegalBasisChangesSchema,
    LegalBasisInputSchema,
    LegalBasisListSchema,
    LegalBasisQuerySchema,
    LegalBasisSchema,
)

blp = Blueprint(
    "legal_api",
    __name__,
    url_prefix="/api/v1/legal-bases",
    description="The legal vocabulary: UK GDPR bases and conditions, DPA 2018 Schedule 1 conditions, statutory gateways.",
)


@blp.route("")
class LegalBases(MethodView):
    @token_required(blp)
    @blp.arguments(LegalBasisQuerySchema, location="query")
    @blp.response(200, LegalBasisListSchema)
    def get(self, args):
        """List legal bases in the order the law sets them out, with the same search and filter as the web page."""
        items = queries.legal_bases_matching(queries.LegalBasisFilters(**args))
        return {"items": items, "total": len(items)}

    @token_with_system_role(blp, SystemRole.ADMIN)
    @blp.arguments(LegalBasisInputSchema)
    @blp.response(201, LegalBasisSchema)
    def post(self, data):
        """Add a legal basis, such as a statutory gateway (administrators only)."""
        with unit_of_work():
            legal_basis = services.add_legal_basis(api_actor(), data)
        return legal_basis


@blp.route("/<string:code>")
class LegalBasisDetail(MethodView):
    @token_required(blp, errors=(404,))
    @blp.response(200, LegalBasisSchema)
    def get(self, code: str):
        """Show one legal basis by its code."""
        return queries.legal_basis_by_code(code)

    @token_with_system_role(blp, SystemRole.ADMIN, errors=(404,))
    @blp.arguments(LegalBasisChangesSchema(partial=True))
    @blp.response(200, LegalBasisSchema)
    def patch(self, data, code: str):
        """Change some of a legal basis's fields; its code never changes (administrators only)."""
        with unit_of_work():
            legal_basis = services.edit_legal_basis(api_actor(), queries.legal_basis_by_code(code), data)
        return legal_basis
