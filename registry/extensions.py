"""The Flask extensions, created unbound here and bound to the app in create_app()."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from registry.core.db import Base
from registry.core.error_schema import ErrorSchema


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
