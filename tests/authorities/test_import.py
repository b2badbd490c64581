"""Loading the councils' reference data: every UK council, idempotently, with successors."""

import csv
from datetime import date

import sqlalchemy as sa

from registry.authorities.models import Authority
from registry.authorities.queries import authority_by_code
from registry.authorities.reference import BUNDLED_FILE
from registry.extensions import db
from tests.cli import succeeds
from tests.factories import make_authority


def _count(statement=None):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Authority))


def test_import_loads_every_council_from_the_bundled_file(runner):
    assert "470 added, 0 updated, 0 unchanged" in succeeds(runner, "authorities", "import")
    assert _count() == 470


def test_import_keeps_codes_names_gss_codes_and_dates(runner):
    runner.invoke(args=["authorities", "import"])
    hartlepool = authority_by_code("HPL")
    assert hartlepool.name == "Hartlepool Borough Council"
    assert hartlepool.gss_code == "E06000001"
    assert hartlepool.type_name == "Unitary authority"
    assert hartlepool.nation == "England"
    assert hartlepool.region == "North East"


def test_abolished_councils_stay_marked_ended_and_linked_to_their_successors(runner):
    runner.invoke(args=["authorities", "import"])
    cumbria = authority_by_code("CMA")
    assert cumbria.end_date == date(2023, 4, 1)
    assert not cumbria.is_current(date(2026, 11, 27))
    assert {s.code for s in cumbria.successors} == {"CBD", "WAF"}
    assert "CMA" in {p.code for p in authority_by_code("CBD").predecessors}


def test_running_the_import_again_changes_nothing(runner):
    runner.invoke(args=["authorities", "import"])
    before = {a.code: a.updated_at for a in db.session.scalars(sa.select(Authority))}

    result = runner.invoke(args=["authorities", "import"])

    assert "0 added, 0 updated, 470 unchanged" in result.output
    db.session.expire_all()
    assert {a.code: a.updated_at for a in db.session.scalars(sa.select(Authority))} == before


def _edited_copy(tmp_path, code, column, value):
    path = tmp_path / "edited.csv"
    with BUNDLED_FILE.open(newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
        fieldnames = list(rows[0].keys())
    for row in rows:
        if row["local-authority-code"] == code:
            row[column] = value
    with path.open("w", newline="", encoding="utf-8") as target:
        writer = csv.DictWriter(target, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_updates_a_changed_row(runner, tmp_path):
    runner.invoke(args=["authorities", "import"])
    edited = _edited_copy(tmp_path, "HPL", "end-date", "2030-03-31")

    result = runner.invoke(args=["authorities", "import", str(edited)])

    assert "0 added, 1 updated, 469 unchanged" in result.output
    db.session.expire_all()
    assert authority_by_code("HPL").end_date == date(2030, 3, 31)


def test_a_file_with_a_bad_date_is_refused_and_changes_nothing(runner, tmp_path):
    edited = _edited_copy(tmp_path, "HPL", "start-date", "first of April")
    result = runner.invoke(args=["authorities", "import", str(edited)])
    assert result.exit_code == 1
    assert "start-date is not a date" in result.output
    assert _count() == 0


def test_a_file_without_the_needed_columns_is_refused(runner, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("code,name\nHPL,Hartlepool\n")
    result = runner.invoke(args=["authorities", "import", str(path)])
    assert result.exit_code == 1
    assert "the file has no column local-authority-code" in result.output


def test_a_council_code_held_by_a_partner_body_is_refused(runner):
    make_authority(code="HPL", name="Not a council", type="CHARITY")
    result = runner.invoke(args=["authorities", "import"])
    assert result.exit_code == 1
    assert "belongs to a partner body" in result.output
    assert _count() == 1
