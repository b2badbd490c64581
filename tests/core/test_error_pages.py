"""GOV.UK-style error pages, and JSON errors under /api that never show a stack trace."""

import pytest

from registry.core.authz import public


@pytest.fixture
def failing_app(new_app):
    """An app with two routes that fail unexpectedly, as a bug would."""
    app = new_app

    @app.get("/boom")
    @public
    def boom():
        raise RuntimeError("secret internal detail")

    @app.get("/api/v1/boom")
    @public
    def api_boom():
        raise RuntimeError("secret internal detail")

    return app


def test_unknown_page_gets_the_404_page(client):
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in html
    assert 'class="govuk-heading-l"' in html


def test_unknown_authority_code_gets_the_404_page(client, signed_in_client):
    from tests.factories import make_user

    response = signed_in_client(make_user()).get("/authorities/ZZZ")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_bug_gets_the_500_page_without_details(failing_app):
    response = failing_app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "secret internal detail" not in html
    assert "Traceback" not in html


def test_a_bug_in_the_api_gets_json_without_details(failing_app):
    response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.is_json
    assert response.json["error"] == "internal_error"
    assert "secret internal detail" not in response.get_data(as_text=True)


def test_unknown_api_path_gets_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


def test_wrong_method_on_the_api_gets_json_405(client):
    response = client.delete("/api/v1/me")
    assert response.status_code == 405
    assert response.json["error"] == "method_not_allowed"


def test_a_clash_with_a_database_constraint_is_409_not_a_server_error(new_app):
    """Two requests creating the same thing at once: the second hits the unique constraint."""
    from registry.authorities.models import Authority
    from registry.extensions import db

    app = new_app

    @app.get("/api/v1/clash")
    @public
    def clash():
        for _ in range(2):
            db.session.add(Authority(code="SAME-CODE", name="Twice", short_name="Twice", type="OTHER"))
        db.session.flush()

    response = app.test_client().get("/api/v1/clash")
    assert response.status_code == 409
    assert response.json["error"] == "conflict"
