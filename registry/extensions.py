"""The Flask extensions, created unbound here and bound to the app in create_app().

Layer 1: nothing here imports the rest of the package. What configures an extension (the
database's naming convention, the API's error shape) is written here with it.
"""

import sqlalchemy as sa
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from marshmallow import Schema, fields
from sqlalchemy.orm import DeclarativeBase

# Alembic names constraints from this convention, so SQLite and PostgreSQL agree and
# migrations can drop a constraint by name on either.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class ErrorSchema(Schema):
    """An API error: a stable code for programs and a message for people."""

    error = fields.String(
        required=True,
        metadata={"description": "Stable code, e.g. not_found, validation_failed, invalid_transition."},
    )
    message = fields.String(required=True, metadata={"description": "What went wrong, for people."})
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "For validation failures: each field with its messages."},
    )
    details = fields.Dict(metadata={"description": "More about the refusal, e.g. the current status and allowed actions."})


class RegistryApi(Api):
    """flask-smorest's Api without its app-wide HTTPException handler.

    Its handler would answer every error on every page with JSON; core/error_handlers.py
    answers JSON under /api and GOV.UK pages elsewhere, in one place.
    """

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
api = RegistryApi()
