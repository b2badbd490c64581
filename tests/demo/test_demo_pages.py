"""On the demo `make run` loads, no page that any demo account can reach by following links is a server error."""

import pytest
import sqlalchemy as sa

from registry.demo.data import DEMO_PASSWORD
from registry.extensions import db
from registry.users.models import User
from tests.conftest import sign_in

from .crawl import WALKERS, walk, walker_id


@pytest.mark.parametrize("email", WALKERS, ids=walker_id)
def test_no_page_a_demo_account_can_reach_is_an_error(app, demo, email):
    client = app.test_client()
    if email:
        sign_in(client, db.session.scalar(sa.select(User).where(User.email == email)), DEMO_PASSWORD)
    visits = walk(app, client)
    seen = {visit.url for visit in visits}
    errors = [(visit.url, visit.status) for visit in visits if visit.status >= 500 or visit.status == 404]
    assert len(seen) > (20 if email else 5), f"the walk reached only {sorted(seen)}"
    if email == "auditor@registry.example.org":
        assert "/audit" in seen  # the page that was a 500 on a fresh demo
    assert errors == []
