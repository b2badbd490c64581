"""A page's form POST (registry/core/form_views.py): validate, run the use case in one unit of work, then move on or show the form again."""

from functools import partial

import pytest
import sqlalchemy as sa
from marshmallow import Schema

from registry.authorities import services as authority_services
from registry.authorities.models import Authority
from registry.core.errors import Conflict, NotFound, ValidationFailed
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.text import SingleLine
from registry.extensions import db
from tests.core.test_writes_go_through_services import reaches_a_use_case


class NameSchema(Schema):
    name = SingleLine(required=True, error_messages={"required": "Enter a name"})


def _answer(app, use_case, form_data, **options):
    """Post the form data to handle_form; return what it answered, as ("saved", result) or ("invalid", form)."""
    with app.test_request_context(method="POST", data=form_data):
        return handle_form(
            NameSchema(), use_case,
            saved=lambda result: ("saved", result),
            invalid=lambda form: ("invalid", form),
            **options,
        )


def _add_authority(data: dict) -> str:
    db.session.add(Authority(code="FV1", name=data["name"], short_name=data["name"], type="OTHER"))
    db.session.flush()
    return data["name"]


def _stored() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Authority).where(Authority.code == "FV1"))


def test_a_valid_form_runs_the_use_case_commits_and_answers_with_its_result(app):
    assert _answer(app, _add_authority, {"name": "Form Views Body"}) == ("saved", "Form Views Body")
    db.session.remove()
    assert _stored() == 1


def test_a_form_the_schema_refuses_is_shown_again_without_running_the_use_case(app):
    ran = []
    kind, form = _answer(app, ran.append, {})
    assert (kind, form.errors, ran) == ("invalid", {"name": "Enter a name"}, [])


def test_a_use_case_refusal_is_shown_on_the_form_and_nothing_it_did_is_kept(app):
    def refuses(data):
        _add_authority(data)
        raise ValidationFailed.single("name", "That name is taken")

    kind, form = _answer(app, refuses, {"name": "Form Views Body"})
    assert (kind, form.errors, form.value("name")) == ("invalid", {"name": "That name is taken"}, "Form Views Body")
    assert _stored() == 0


def test_a_listed_refusal_gets_its_own_answer_and_others_go_to_the_error_pages(app):
    def clashes(data):
        raise Conflict("Someone else changed it")

    refusals = {Conflict: lambda form: ("conflict", form.value("name"))}
    assert _answer(app, clashes, {"name": "Mine"}, refusals=refusals) == ("conflict", "Mine")
    with pytest.raises(Conflict):
        _answer(app, clashes, {"name": "Mine"})
    with pytest.raises(NotFound):
        _answer(app, partial(_raise, NotFound("Gone")), {"name": "Mine"}, refusals=refusals)


def _raise(error, data):
    raise error


def test_the_banner_goes_with_the_redirect(app):
    with app.test_request_context():
        from flask import get_flashed_messages

        response = redirect_with_banner("/somewhere", "It has been saved.")
        assert (response.status_code, response.location) == (302, "/somewhere")
        assert get_flashed_messages(with_categories=True) == [("success", "It has been saved.")]


# The structural test follows a handler to its use case through what the handler itself
# names: a partial of a service does; a lambda of the handler's own does not, so a page
# that writes itself through handle_form is still caught.


def _handler_passing_the_service():
    return handle_form(NameSchema(), partial(authority_services.add_partner, None), saved=print, invalid=print)


def _handler_writing_itself():
    return handle_form(NameSchema(), lambda data: db.session.add(data), saved=print, invalid=print)


def test_the_structural_test_sees_the_use_case_a_handler_passes():
    assert reaches_a_use_case(_handler_passing_the_service)


def test_the_structural_test_still_catches_a_handler_that_writes_itself_through_the_helper():
    assert not reaches_a_use_case(_handler_writing_itself)
