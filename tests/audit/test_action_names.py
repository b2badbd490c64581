"""Every action the code records has a name people read on the audit pages, not its code."""

import re
from pathlib import Path

from registry.agreements.workflow import Action
from registry.audit.presenters import ACTION_NAMES

SOURCE = Path(__file__).resolve().parents[2] / "registry"


def _recorded_actions() -> set[str]:
    actions = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text()
        actions |= set(re.findall(r'\brecord\(\s*[\w.]+,\s*"([a-z_]+\.[a-z_]+)"', text))
        # Drafting records "agreement.<what>" through its own helper.
        actions |= {f"agreement.{name}" for name in re.findall(r'\b_record\(\s*actor,\s*"([a-z_]+)"', text)}
    return actions | {f"agreement.{action.value}" for action in Action}


def test_the_scan_finds_the_actions_it_should():
    # Guards the test below: if the patterns stopped matching, it would pass on nothing.
    assert {"user.sign_in", "obligation.attest", "agreement.add_obligation", "agreement.approve"} <= _recorded_actions()


def test_every_recorded_action_has_a_name():
    assert sorted(_recorded_actions() - set(ACTION_NAMES)) == []
