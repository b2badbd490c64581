"""The JSON API's blueprint: flask-smorest's, with a parser that says when a body is missing or not JSON.

Left to itself, webargs reads a POST, PUT or PATCH with no body, or with a form body, as
an empty object, and the caller is told which fields are missing instead of what is wrong.
"""

import flask_smorest
from webargs.flaskparser import FlaskParser

from .errors import DomainError


class BodyNotJson(DomainError, code="json_body_needed"):
    """A request that must carry a JSON body came without one."""


class JsonBodyParser(FlaskParser):
    """Reads JSON bodies, refusing a request that has none."""

    def load_json(self, req, schema):
        if not req.get_data(cache=True).strip():
            raise BodyNotJson("Send a JSON body with the fields, and the header Content-Type: application/json.")
        if not req.is_json:
            raise BodyNotJson(f"Send the body as JSON, with the header Content-Type: application/json, not {req.mimetype or 'no type'}.")
        return super().load_json(req, schema)


class Blueprint(flask_smorest.Blueprint):
    """An API blueprint whose JSON bodies are required when an operation takes one."""

    ARGUMENTS_PARSER = JsonBodyParser()
