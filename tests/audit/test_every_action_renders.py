"""Every action the code can write to the log reads as words on the auditors' pages, never as a server error."""

import json

import pytest
import sqlalchemy as sa

from registry.auditlog.models import AuditEntry
from registry.audit.presenters import ACTION_NAMES
from registry.extensions import db
from tests.factories import make_user

from .every_action import recorded_actions, write_every_action


def test_the_scan_finds_the_actions_it_should():
    # Guards the tests below: if the patterns stopped matching, they would pass on nothing.
    assert {"user.sign_in", "obligation.attest", "agreement.add_obligation", "agreement.edit", "audit.rotate_key",
            "agreement.approve"} <= recorded_actions()


def test_every_recorded_action_has_a_name():
    assert sorted(recorded_actions() - set(ACTION_NAMES)) == []


@pytest.fixture
def every_entry(app, api_as):
    """Write every action once; return all the entries, oldest first."""
    write_every_action(app, api_as)
    return list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.index)))


def _action(entry) -> str:
    return json.loads(entry.entry)["action"]


@pytest.fixture
def auditor(signed_in_client):
    return signed_in_client(make_user(system_role="auditor", email="reader@example.org"))


def test_the_scenario_writes_every_action_the_code_can_record(every_entry):
    assert sorted(recorded_actions() - {_action(entry) for entry in every_entry}) == []


def test_every_entry_renders_on_its_own_page_with_its_name(every_entry, auditor):
    failures = []
    for entry in every_entry:
        shown = auditor.get(f"/audit/log/{entry.index}")
        if shown.status_code != 200 or ACTION_NAMES[_action(entry)] not in shown.get_data(as_text=True):
            failures.append((entry.index, _action(entry), shown.status_code))
    assert failures == []


def test_every_page_of_the_log_renders(every_entry, auditor):
    pages = -(-len(every_entry) // 50)
    statuses = [auditor.get("/audit", query_string={"page": page}).status_code for page in range(1, pages + 1)]
    assert statuses == [200] * pages
    for action in sorted({_action(entry) for entry in every_entry}):
        assert auditor.get("/audit", query_string={"action": action}).status_code == 200, action


def test_an_edit_says_what_each_field_became(every_entry, auditor):
    dates = next(e for e in every_entry if _action(e) == "agreement.edit" and '"dates"' in e.entry.decode())
    html = auditor.get(f"/audit/log/{dates.index}").get_data(as_text=True)
    assert "Review interval months" in html and "changed to 12" in html
    purpose = next(e for e in every_entry if _action(e) == "agreement.edit" and '"purpose"' in e.entry.decode())
    html = auditor.get(f"/audit/log/{purpose.index}").get_data(as_text=True)
    # Free text is in the log only by its hash, and the page says so rather than "from none to none".
    assert "changed to text with SHA-256" in html and "from none" not in html
