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
