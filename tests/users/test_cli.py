"""`flask users …` does from the command line what administrators do in the UI."""

import pytest

from registry.users.queries import user_by_email
from tests.factories import make_authority, make_user


def test_create_a_user_with_roles(runner):
    make_authority(code="LDS", name="Leeds City Council")
    result = runner.invoke(
        args=["users", "create", "--email", "ig@leeds.example.org", "--name", "IG Officer",
              "--password", "lantern-orchard-winter", "--member", "LDS=approver"]
    )
    assert result.exit_code == 0, result.output
    user = user_by_email("ig@leeds.example.org")
    assert [(m.authority.code, m.role) for m in user.memberships] == [("LDS", "approver")]


@pytest.mark.parametrize(("options", "exit_code", "explanation"), [
    pytest.param(["--password", "short"], 1, "Password must be 12 characters or more", id="a weak password"),
    pytest.param(["--password", "lantern-orchard-winter", "--member", "ZZZ=viewer"], 1, "There is no authority with the code ZZZ",
                 id="an unknown authority"),
    pytest.param(["--password", "lantern-orchard-winter", "--member", "LDS:boss"], 2, "write CODE=ROLE", id="a malformed membership"),
])
def test_create_refuses_what_it_cannot_use_explains_why_and_creates_nothing(runner, options, exit_code, explanation):
    result = runner.invoke(args=["users", "create", "--email", "a@example.org", "--name", "A", *options])
    assert result.exit_code == exit_code
    assert explanation in result.output
    assert user_by_email("a@example.org") is None


def test_grant_revoke_and_deactivate(runner):
    make_authority(code="LDS", name="Leeds City Council")
    user = make_user(email="someone@example.org")

    assert runner.invoke(args=["users", "grant", "someone@example.org", "LDS=contributor"]).exit_code == 0
    assert runner.invoke(args=["users", "revoke", "someone@example.org", "LDS"]).exit_code == 0
    assert runner.invoke(args=["users", "deactivate", "someone@example.org"]).exit_code == 0

    refreshed = user_by_email("someone@example.org")
    assert refreshed.memberships == [] and refreshed.active is False
    assert user.id == refreshed.id


def test_commands_on_an_unknown_email_fail_clearly(runner):
    result = runner.invoke(args=["users", "deactivate", "ghost@example.org"])
    assert result.exit_code == 1
    assert "There is no account with the email address ghost@example.org" in result.output
