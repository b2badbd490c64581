"""JSON API for accounts: who the token belongs to."""

from flask.views import MethodView
from registry.core.api_blueprint import Blueprint

from registry.auth.bearer import api_actor, token_required

from .schemas import UserSchema

blp = Blueprint("users_api", __name__, url_prefix="/api/v1", description="The signed-in user.")


@blp.route("/me")
class CurrentUser(MethodView):
    @token_required(blp)
    @blp.response(200, UserSchema)
    def get(self):
        """Show the user the token belongs to, with their roles."""
        return api_actor()
