"""The JSON API's blueprint: flask-smorest's, with a parser that says when a body is missing or not JSON, and paginated lists.

Left to itself, webargs reads a POST, PUT or PATCH with no body, or with a form body, as
an empty object, and the caller is told which fields are missing instead of what is wrong.
"""

from collections.abc import Callable
from functools import wraps

import flask_smorest
from marshmallow import Schema
from webargs.flaskparser import FlaskParser

from .errors import DomainError
from .pagination import paginate


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

    def paginated(
        self, query_schema: type[Schema], *, per_page: int, options: Callable[[], tuple] = tuple, count_limit: int | None = None
    ) -> Callable:
        """Make a GET answer one page of the select statement it returns (under @blp.response with the page's schema).

        The query string is read with query_schema, whose `page` field picks the page; the
        view gets the other values. `options` (loader options for the page's rows) and
        `count_limit` are paginate()'s.
        """

        def decorator(search: Callable) -> Callable:
            @wraps(search)
            def view(resource, args: dict, **path):
                number = args.pop("page")
                return paginate(search(resource, args, **path), number, per_page, options=options(), count_limit=count_limit)

            return self.arguments(query_schema, location="query")(view)

        return decorator
