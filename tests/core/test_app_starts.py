"""The app starts and answers its public pages."""


def test_sign_in_page_answers(client):
    response = client.get("/sign-in")
    assert response.status_code == 200
    assert "Sign in" in response.get_data(as_text=True)
