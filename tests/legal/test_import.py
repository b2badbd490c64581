"""Loading the legal vocabulary: `flask legal import` adds, updates, audits, and refuses malformed files whole."""

import json

import pytest
import sqlalchemy as sa

from registry.core.errors import PermissionDenied
from registry.extensions import db
from registry.legal import services
from registry.legal.models import LegalBasis
from registry.legal.queries import legal_basis_by_code
from registry.legal.reference import BUNDLED_FILE, read_legal_bases
from tests.audit.helpers import entry_bodies
from tests.cli import succeeds
from tests.factories import make_user
from tests.snapshots import database_snapshot


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(LegalBasis))


def _bundled_entries() -> list[dict]:
    return json.loads(BUNDLED_FILE.read_text(encoding="utf-8"))


def _write(tmp_path, entries, name="edited.json"):
    path = tmp_path / name
    path.write_text(json.dumps(entries, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def _edited(code: str, **changes) -> list[dict]:
    entries = _bundled_entries()
    for entry in entries:
        if entry["code"] == code:
            entry.update(changes)
    return entries


def test_import_loads_every_legal_basis_from_the_bundled_file(runner):
    output = succeeds(runner, "legal", "import")
    assert "Legal bases from legal_bases.json: 72 added, 0 updated, 0 unchanged." in output
    assert _count() == 72


def test_import_keeps_citations_dates_and_flags(runner):
    runner.invoke(args=["legal", "import"])
    paragraph_18 = legal_basis_by_code("DPA2018-S1-P18")
    assert paragraph_18.kind == "schedule1"
    assert (paragraph_18.part, paragraph_18.paragraph) == (2, 18)
    assert paragraph_18.title == "Safeguarding of children and of individuals at risk"
    assert paragraph_18.url == "https://www.legislation.gov.uk/ukpga/2018/12/schedule/1/paragraph/18"
    assert paragraph_18.commenced.isoformat() == "2018-05-25"
    assert legal_basis_by_code("GW-CA2004-S10").mandatory is True
    assert legal_basis_by_code("GW-CDA1998-S115").mandatory is False
    assert legal_basis_by_code("UKGDPR-A6-1-F").public_authority_may_rely is False


def test_running_the_import_again_changes_nothing(runner):
    runner.invoke(args=["legal", "import"])
    before = database_snapshot()

    output = succeeds(runner, "legal", "import")
    assert "0 added, 0 updated, 72 unchanged" in output
    assert database_snapshot() == before


def test_import_updates_a_changed_entry(runner, tmp_path):
    runner.invoke(args=["legal", "import"])
    edited = _write(tmp_path, _edited("GW-DEA2017-S35", commenced="2018-04-01", notes="Commencement now confirmed."))

    output = succeeds(runner, "legal", "import", str(edited))
    assert "0 added, 1 updated, 71 unchanged" in output
    db.session.expire_all()
    gateway = legal_basis_by_code("GW-DEA2017-S35")
    assert gateway.commenced.isoformat() == "2018-04-01"
    assert gateway.notes == "Commencement now confirmed."


def test_import_adds_an_entry_the_database_lacks(runner, tmp_path):
    runner.invoke(args=["legal", "import"])
    entries = _bundled_entries()
    local_act = dict(entries[-1], code="GW-LOCAL-ACT-2026", citation="Example Council Act 2026, section 3")
    edited = _write(tmp_path, [*entries, local_act])

    result = runner.invoke(args=["legal", "import", str(edited)])

    assert "1 added, 0 updated, 72 unchanged" in result.output
    assert legal_basis_by_code("GW-LOCAL-ACT-2026").citation == "Example Council Act 2026, section 3"


def test_import_writes_an_audit_entry_for_each_legal_basis_it_creates(runner):
    runner.invoke(args=["legal", "import"])
    created = [body for body in entry_bodies() if body["action"] == "legal_basis.create"]
    assert len(created) == 72
    paragraph_18 = next(body for body in created if body["object"]["ref"] == "DPA2018-S1-P18")
    assert paragraph_18["object"]["type"] == "legal_basis"
    assert paragraph_18["actor"] == {"type": "system", "name": "command-line"}
    assert paragraph_18["data"]["citation"] == "Data Protection Act 2018, Schedule 1, Part 2, paragraph 18"
    assert paragraph_18["data"]["commenced"] == "2018-05-25"


def test_an_update_is_audited_with_what_changed(runner, tmp_path):
    runner.invoke(args=["legal", "import"])
    edited = _write(tmp_path, _edited("GW-DEA2017-S35", commenced="2018-04-01"))

    runner.invoke(args=["legal", "import", str(edited)])

    last = entry_bodies()[-1]
    assert last["action"] == "legal_basis.update"
    assert last["object"] == {"type": "legal_basis", "ref": "GW-DEA2017-S35"}
    assert last["data"] == {"changes": {"commenced": {"from": "2018-03-15", "to": "2018-04-01"}}}


def test_every_audit_entry_of_the_import_stays_small(runner):
    runner.invoke(args=["legal", "import"])
    sizes = [len(json.dumps(body)) for body in entry_bodies() if body["action"] == "legal_basis.create"]
    assert max(sizes) < 4096


def _with_a_good_change() -> list[dict]:
    """Return the bundled entries with one valid change, which a refused file must not bring in."""
    return _edited("GW-DEA2017-S35", notes="A valid change in a file that is refused.")


def _entry(entries: list[dict], code: str) -> dict:
    return next(entry for entry in entries if entry["code"] == code)


def _bad_json(entries):
    return json.dumps(entries)[:-10]


def _unknown_kind(entries):
    _entry(entries, "UKGDPR-A6-1-C")["kind"] = "article7"
    return entries


def _missing_field(entries):
    del _entry(entries, "UKGDPR-A6-1-C")["commenced"]
    return entries


def _bad_date(entries):
    _entry(entries, "UKGDPR-A6-1-C")["commenced"] = "2018-02-31"
    return entries


def _duplicate_code(entries):
    return [*entries, dict(entries[0], title="A second consent")]


def _schedule1_without_paragraph(entries):
    _entry(entries, "DPA2018-S1-P18")["paragraph"] = None
    return entries


def _url_elsewhere(entries):
    _entry(entries, "UKGDPR-A6-1-C")["url"] = "https://example.org/gdpr/article-6"
    return entries


@pytest.mark.parametrize(
    "spoil, message",
    [
        (_bad_json, "is not valid JSON"),
        (_unknown_kind, "entry 3 (UKGDPR-A6-1-C) kind: Kind must be one of: article6, article9"),
        (_missing_field, "entry 3 (UKGDPR-A6-1-C): is missing commenced"),
        (_bad_date, "entry 3 (UKGDPR-A6-1-C) commenced: The date it came into force must be a real date"),
        (_duplicate_code, "codes appear more than once: UKGDPR-A6-1-A"),
        (_schedule1_without_paragraph, "DPA2018-S1-P18 paragraph: Enter the paragraph number"),
        (_url_elsewhere, "starting https://www.legislation.gov.uk/"),
    ],
    ids=["bad-json", "unknown-kind", "missing-field", "bad-date", "duplicate-code", "rule-broken", "url-elsewhere"],
)
def test_a_malformed_file_is_refused_and_changes_nothing(runner, tmp_path, spoil, message):
    runner.invoke(args=["legal", "import"])
    spoiled = spoil(_with_a_good_change())
    path = tmp_path / "spoiled.json"
    path.write_text(spoiled if isinstance(spoiled, str) else json.dumps(spoiled), encoding="utf-8")
    before = database_snapshot()

    result = runner.invoke(args=["legal", "import", str(path)])

    assert result.exit_code == 1
    assert message in result.output
    assert database_snapshot() == before


def test_a_refused_file_says_that_nothing_was_loaded(runner, tmp_path):
    result = runner.invoke(args=["legal", "import", str(_write(tmp_path, _bad_date(_bundled_entries())))])
    assert "edited.json was not loaded; nothing has changed." in result.output
    assert _count() == 0


def test_only_administrators_may_import(app):
    records = read_legal_bases(BUNDLED_FILE)
    with pytest.raises(PermissionDenied):
        services.import_legal_bases(make_user(system_role="auditor"), records)
    assert _count() == 0
