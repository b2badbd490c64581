"""`flask agreements import FILE [--dry-run]`: the same import from the command line."""

import sqlalchemy as sa

from registry.agreements.models import Agreement
from registry.extensions import db

REGISTER = (
    "Title,Purpose,Lead Organisation,Other Organisations Involved,Review date\n"
    "MARAC,Domestic abuse risk,Leeds CC,West Yorkshire Police,31/03/2027\n"
    "Troubled families,,Bradford MDC,,1 April 2027\n"
)


def _agreements() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Agreement))


def _register(tmp_path, text: str):
    """Write a register CSV to import; return its path."""
    path = tmp_path / "register.csv"
    path.write_text(text)
    return path


def test_a_dry_run_says_what_would_be_created_and_creates_nothing(runner, west_yorkshire, tmp_path):
    path = _register(tmp_path, REGISTER)
    result = runner.invoke(args=["agreements", "import", str(path), "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Row 2: would create “MARAC” led by Leeds City Council" in result.output
    assert "2 to create, 0 already imported, 0 problems" in result.output
    assert _agreements() == 0


def test_importing_creates_the_drafts_and_a_second_run_creates_nothing(runner, west_yorkshire, tmp_path):
    path = _register(tmp_path, REGISTER)
    first = runner.invoke(args=["agreements", "import", str(path)])
    second = runner.invoke(args=["agreements", "import", str(path)])

    assert first.exit_code == 0, first.output
    assert "2 created, 0 already imported, 0 problems" in first.output
    assert "0 created, 2 already imported, 0 problems" in second.output
    assert _agreements() == 2


def test_a_register_with_a_problem_is_refused_with_every_problem_and_nothing_imported(runner, west_yorkshire, tmp_path):
    path = _register(tmp_path, REGISTER + "Youth offending,,Nowhere Council,,next year\n")
    result = runner.invoke(args=["agreements", "import", str(path)])

    assert result.exit_code == 1
    assert "Nothing was imported: the file has 2 problems." in result.output
    assert "Row 4, Lead Organisation: No authority is called “Nowhere Council”" in result.output
    assert "Row 4, Review date: “next year” is not a date" in result.output
    assert _agreements() == 0


def test_a_file_that_is_no_register_is_refused(runner, west_yorkshire, tmp_path):
    path = tmp_path / "notes.xlsm"
    path.write_bytes(b"PK\x03\x04")
    result = runner.invoke(args=["agreements", "import", str(path)])
    assert result.exit_code == 1 and "macro-enabled" in result.output
