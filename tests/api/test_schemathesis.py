"""Schemathesis, run in process against /api/v1/openapi.json: no server error, and every response as documented.

Every operation in the document is called with generated data, valid and invalid, as an
administrator and as a council's approver, on a database with councils, their people and
datasets, the legal vocabulary, and agreements in several states. Each operation is its own
test, on its own fresh database.

Checks: no 5xx (not_a_server_error); the status code, content type, headers and body of every
response as the document describes them. Schemathesis's other checks are not run:
positive_data_acceptance and negative_data_rejection expect any schema-valid request to
succeed and any invalid one to fail, but here most valid requests are refused by
authorization (403), by the workflow (409) or name nothing (404), and blank text is read as
left out, as in the HTML forms; 401 without a token is tested endpoint by endpoint elsewhere.

The document is used as published, but for one thing: flask-smorest adds a `default` error
response to every operation, under which any status code would count as documented. It is
left out here, so each status an operation answers must be one it names.

Generation is derandomized, so a run is repeatable and the suite is not flaky; to explore,
raise max_examples and drop derandomize.
"""

import contextvars
import re
import tempfile
import warnings
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               response_headers_conformance,
                                               response_schema_conformance,
                                               status_code_conformance)

from registry import create_app
from registry.agreements import services
from registry.extensions import db
from registry.users.actors import SCHEDULER
from tests.agreements.builders import complete_draft, three_councils
from tests.factories import make_api_token, make_user
from tests.shared_data import shared_data

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Agreements are numbered in the order they are made, so the populated database's references
# are known before it exists; generated references would almost never name one.
REFERENCES = [f"DSA-{date.today().year}-{number:04d}" for number in (1, 2, 3)]
LARGEST_ID = 2**31 - 1


def _published_document() -> dict:
    """Return the API's OpenAPI document without the catch-all `default` responses.

    The document depends on the code only, so an app on an empty in-memory database serves it.
    """
    with tempfile.TemporaryDirectory() as instance_path:
        document_app = create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://"}, instance_path=instance_path)
        document = document_app.test_client().get("/api/v1/openapi.json").json
    for path in document["paths"].values():
        for name, operation in path.items():
            if name != "parameters":
                operation["responses"].pop("default", None)
    return document


schema = schemathesis.openapi.from_dict(_published_document())


class Isolated:
    """Runs each request in its own context, as a real server does, not in the test's application context."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        return contextvars.Context().run(self.app, environ, start_response)


@pytest.fixture
def tokens(app):
    """Populate the database; return the Authorization headers of an administrator and of Leeds's approver."""
    return _populated()


@shared_data
def _populated() -> dict:
    """An agreement in force, one proposed and one draft; tokens for an administrator and Leeds's approver
    (built once per worker, then put back for each operation)."""
    councils = three_councils()
    active = complete_draft(councils)
    services.submit(councils["LDS"].contributor, active)
    for code in ("LDS", "BRD", "KIR"):
        services.approve(councils[code].approver, active, councils[code].authority, content_hash=active.latest_version.content_hash)
    services.start(SCHEDULER, active)
    proposed = complete_draft(councils, lead="BRD", partners=("LDS", "KIR"))
    services.submit(councils["BRD"].contributor, proposed)
    draft = complete_draft(councils, lead="KIR", partners=("BRD", "LDS"))
    db.session.commit()
    assert [active.reference, proposed.reference, draft.reference] == REFERENCES
    assert [active.status, proposed.status, draft.status] == ["active", "proposed", "draft"]
    return {
        "admin": {"Authorization": f"Bearer {make_api_token(make_user(system_role='admin'))}"},
        "approver": {"Authorization": f"Bearer {make_api_token(councils['LDS'].approver)}"},
    }


@schema.parametrize()
@schema.given(reference=st.sampled_from([None, *REFERENCES]))
@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_request_as_documented(app, tokens, case, reference):
    if reference is not None and "reference" in (case.path_parameters or {}):
        case.path_parameters["reference"] = reference
    for headers in tokens.values():
        response = case.call(app=Isolated(app), headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
