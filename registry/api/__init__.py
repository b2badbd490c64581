"""The JSON API at /api/v1: mounts each feature's api module and publishes the OpenAPI document."""

from flask import Flask

from registry.core.authz import declare_endpoint_public
from registry.extensions import api, csrf


def register_api(app: Flask) -> None:
    """Register every feature's API blueprint."""
    from registry.agreements.api import blp as agreements_blp
    from registry.audit.api import blp as audit_blp
    from registry.authorities.api import blp as authorities_blp
    from registry.datasets.api import blp as datasets_blp
    from registry.imports.api import blp as imports_blp
    from registry.legal.api import blp as legal_blp
    from registry.notifications.api import blp as notifications_blp
    from registry.obligations.api import blp as obligations_blp
    from registry.signoff.api import blp as signoff_blp
    from registry.users.api import blp as users_blp

    for blueprint in (authorities_blp, datasets_blp, legal_blp, agreements_blp, obligations_blp, users_blp, audit_blp,
                      notifications_blp, signoff_blp, imports_blp):
        # Token-authenticated and cookie-free, so CSRF protection has nothing to protect.
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    # The API's contract is public, like the API's existence.
    declare_endpoint_public(app, "api-docs.openapi_json")
