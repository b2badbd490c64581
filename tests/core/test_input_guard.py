"""Text no field can hold (a NUL character, an unpaired surrogate) is refused with a clear error everywhere."""

from tests.factories import make_user


def test_a_search_with_a_nul_character_is_refused_not_a_server_error(signed_in_client):
    response = signed_in_client(make_user()).get("/authorities", query_string={"q": "Hart\x00lepool"})
    assert response.status_code == 422
    assert "NUL character" in response.get_data(as_text=True)


def test_an_api_body_with_a_nul_character_is_422_naming_the_body(api_as, admin):
    response = api_as(admin).post("/api/v1/authorities", json={"code": "NHS-X1", "name": "Bad\x00name", "type": "OTHER"})
    assert response.status_code == 422
    assert response.json["fields"] == {"body": ["Remove the NUL character or unpaired surrogate: text cannot contain it"]}


def test_an_api_body_with_an_unpaired_surrogate_is_422_and_changes_nothing(api_as, admin):
    from tests.snapshots import database_snapshot

    api = api_as(admin)
    before = database_snapshot()
    # JSON can spell a lone surrogate (\ud800); UTF-8, databases and hashes cannot hold one.
    body = b'{"code": "NHS-X1", "name": "Bad \\ud800 name", "type": "OTHER"}'
    response = api.post("/api/v1/authorities", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json["fields"] == {"body": ["Remove the NUL character or unpaired surrogate: text cannot contain it"]}
    assert database_snapshot() == before


def test_a_form_with_a_nul_character_is_refused(client):
    from tests.conftest import post_form

    response = post_form(client, "/sign-in", {"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 422
    assert "NUL character" in response.get_data(as_text=True)


DEEP = b"[" * 100_000 + b"]" * 100_000


def test_json_nested_100000_deep_is_a_400_before_it_is_parsed(client, api_as, admin):
    for api in (api_as(None), api_as(admin)):  # signed out and signed in
        response = api.post("/api/v1/authorities", data=DEEP, content_type="application/json")
        assert response.status_code == 400
        assert response.json["error"] == "nested_too_deeply"
        assert "nested more than 32 levels" in response.json["message"]


def test_deep_json_sent_to_a_page_gets_the_error_page(client):
    # A GET, so no CSRF check stands in front of the guard.
    response = client.get("/register", data=b"{" + b'"a":{' * 50_000 + b"}" * 50_001, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "text/html"


def test_brackets_inside_strings_do_not_count():
    from registry.core.input_guard import json_depth_exceeds

    assert not json_depth_exceeds(b'{"name": "' + b"[" * 1000 + b'"}')
    assert not json_depth_exceeds(b'{"name": "a \\" [[[[ \\\\", "b": [1, [2]]}')
    assert json_depth_exceeds(b'{"name": "\\\\"' + b", [" * 40 + b"]" * 40 + b"}")
    assert not json_depth_exceeds(b"[" * 32 + b"]" * 32) and json_depth_exceeds(b"[" * 33 + b"]" * 33)


def test_a_hostile_string_is_scanned_in_linear_time():
    # An unterminated string of escaped quotes would make a backtracking pattern quadratic.
    from registry.core.input_guard import json_depth_exceeds

    assert not json_depth_exceeds(b'"' + b'\\"' * 500_000)


def test_a_body_over_the_limit_is_413_in_json_for_the_api(app, api_as, admin):
    body = b'{"name": "' + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1) + b'"}'
    response = api_as(admin).post("/api/v1/authorities", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json["error"] == "request_entity_too_large"
    assert "larger than the registry accepts (at most 1 MB)" in response.json["message"]


def test_a_form_over_the_limit_is_413_on_the_error_page(app, client):
    response = client.post("/sign-in", data={"email": "a@example.org", "password": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert response.mimetype == "text/html" and "What you sent is too large" in html and "nothing was saved" in html
