"""On the demo `make run` loads, no page that any demo account can reach by following links is a server error."""

import pytest

from .crawl import WALKER_PARAMS, walk_as


@pytest.mark.parametrize("email", WALKER_PARAMS)
def test_no_page_a_demo_account_can_reach_is_an_error(app, demo, email):
    visits = walk_as(app, email)
    seen = {visit.url for visit in visits}
    errors = [(visit.url, visit.status) for visit in visits if visit.status >= 500 or visit.status == 404]
    assert len(seen) > (20 if email else 5), f"the walk reached only {sorted(seen)}"
    if email == "auditor@registry.example.org":
        assert "/audit" in seen  # the page that was a 500 on a fresh demo
    assert errors == []
