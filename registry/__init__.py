"""The Data Sharing Agreement Registry: create_app() builds the Flask application."""

from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from config import config_for


def create_app(
    config_name: str | None = None, overrides: dict[str, Any] | None = None, instance_path: str | None = None
) -> Flask:
    """Build the application: configuration, extensions, blueprints, error handlers, CLI."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    from registry.core.limits import BoundedIntegerConverter

    app.url_map.converters["int"] = BoundedIntegerConverter
    _configure(app, config_name, overrides or {})
    _init_extensions(app)
    _init_templates(app)
    _register_blueprints(app)
    _subscribe_to_events()
    _register_cli(app)

    from registry.core import error_handlers, input_guard, security, static_files

    error_handlers.init_app(app)
    input_guard.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    return app


def _configure(app: Flask, config_name: str | None, overrides: dict[str, Any]) -> None:
    from registry.core import settings

    app.config.from_object(config_for(config_name))
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    settings.complete(app)


def _init_extensions(app: Flask) -> None:
    from registry.extensions import api, csrf, db, login_manager, migrate

    db.init_app(app)
    # Batch mode lets Alembic alter SQLite tables by copying them; PostgreSQL ignores it.
    migrate.init_app(app, db, render_as_batch=True, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    api.init_app(app)

    from registry.auth import sessions

    sessions.init_login_manager(login_manager)
    _import_models()


def _import_models() -> None:
    """Import every feature's models so the metadata (and Alembic) sees all tables."""
    from registry.agreements import models as _agreements  # noqa: F401
    from registry.auditlog import models as _audit  # noqa: F401
    from registry.auth import models as _auth  # noqa: F401
    from registry.authorities import models as _authorities  # noqa: F401
    from registry.calendars import models as _calendars  # noqa: F401
    from registry.datasets import models as _datasets  # noqa: F401
    from registry.imports import models as _imports  # noqa: F401
    from registry.invitations import models as _invitations  # noqa: F401
    from registry.legal import models as _legal  # noqa: F401
    from registry.notifications import models as _notifications  # noqa: F401
    from registry.obligations import models as _obligations  # noqa: F401
    from registry.outbox import models as _outbox  # noqa: F401
    from registry.password_resets import models as _password_resets  # noqa: F401
    from registry.signoff import models as _signoff  # noqa: F401
    from registry.sso import models as _sso  # noqa: F401
    from registry.users import models as _users  # noqa: F401


def _init_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("registry", "templates"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from registry.core import templating

    templating.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from registry.core.authz import declare_endpoint_public
    from registry.agreements.draft_views import bp as agreement_drafts_bp
    from registry.agreements.views import bp as agreements_bp
    from registry.api import register_api
    from registry.audit.views import MACHINE_READABLE_PATHS, bp as audit_bp, data_bp as audit_data_bp
    from registry.auth.views import bp as auth_bp
    from registry.authorities.views import bp as authorities_bp
    from registry.calendars.views import bp as calendars_bp
    from registry.core.views import bp as core_bp
    from registry.dashboard.views import bp as dashboard_bp
    from registry.datasets.views import bp as datasets_bp
    from registry.imports.views import bp as imports_bp
    from registry.invitations.views import bp as invitations_bp, join_bp
    from registry.legal.views import bp as legal_bp
    from registry.notifications import views as notifications_views
    from registry.obligations.views import bp as obligations_bp
    from registry.outbox.views import bp as outbox_bp
    from registry.password_resets.views import bp as password_resets_bp
    from registry.public.views import bp as public_bp, front_door_bp
    from registry.records.views import bp as records_bp
    from registry.reminders.views import bp as reminders_bp
    from registry.search.views import bp as search_bp
    from registry.signoff.views import bp as signoff_bp
    from registry.sso.views import bp as sso_bp
    from registry.users.views import account_bp, bp as users_bp

    for blueprint in (
        core_bp,
        auth_bp,
        sso_bp,
        dashboard_bp,
        agreements_bp,
        agreement_drafts_bp,
        imports_bp,
        obligations_bp,
        records_bp,
        authorities_bp,
        datasets_bp,
        legal_bp,
        users_bp,
        account_bp,
        invitations_bp,
        join_bp,
        password_resets_bp,
        calendars_bp,
        audit_bp,
        audit_data_bp,
        public_bp,
        front_door_bp,
        reminders_bp,
        notifications_views.bp,
        outbox_bp,
        signoff_bp,
        search_bp,
    ):
        app.register_blueprint(blueprint)
    notifications_views.init_app(app)
    app.config["MACHINE_READABLE_PATHS"] = MACHINE_READABLE_PATHS
    register_api(app)
    # Flask's own route for the built CSS, JavaScript and images, which anyone may fetch.
    declare_endpoint_public(app, "static")


def _subscribe_to_events() -> None:
    """Say which feature reacts to which other feature's events (registry/core/events.py)."""
    from registry.agreements.events import AgreementMoved, AgreementPageShown
    from registry.agreements.reactions import refuse_removing_items_in_use
    from registry.authorities.events import AuthorityPageShown
    from registry.calendars.services import stop_feeds_of_deactivated
    from registry.core import events
    from registry.datasets.events import DataItemRemoving
    from registry.imports.panels import agreement_origin
    from registry.notifications.attestation_messages import tell_of_attestation
    from registry.notifications.workflow_messages import tell_of_move
    from registry.obligations.events import ObligationAttested
    from registry.obligations.panels import agreement_obligations, authority_partners
    from registry.signoff.cycles import record_cycle
    from registry.password_resets.services import tell_of_password_change
    from registry.signoff.panels import agreement_sign_off, authority_sign_off
    from registry.sso.panels import authority_sign_in
    from registry.users.events import PasswordChanged, UserDeactivated

    listeners = {
        DataItemRemoving: [refuse_removing_items_in_use],
        AgreementPageShown: [agreement_origin, agreement_sign_off, agreement_obligations],
        AuthorityPageShown: [authority_partners, authority_sign_off, authority_sign_in],
        UserDeactivated: [stop_feeds_of_deactivated],
        AgreementMoved: [record_cycle, tell_of_move],
        PasswordChanged: [tell_of_password_change],
        ObligationAttested: [tell_of_attestation],
    }
    for event, handlers in listeners.items():
        for handler in handlers:
            events.subscribe(event, handler)


def _register_cli(app: Flask) -> None:
    from registry.agreements.cli import agreements_cli
    from registry.audit.cli import audit_cli
    from registry.authorities.cli import authorities_cli
    from registry.demo.cli import demo_cli
    from registry.imports.cli import import_command
    from registry.legal.cli import legal_cli
    from registry.notifications.cli import notifications_cli
    from registry.outbox.cli import mail_cli, outbox_cli
    from registry.reminders.cli import reminders_cli
    from registry.users.cli import users_cli
    from registry.witness.cli import witness_cli

    agreements_cli.add_command(import_command)
    app.cli.add_command(agreements_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(authorities_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(legal_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(witness_cli)
