"""Reading the UK local authorities reference file (mySociety's register) into plain records."""

import csv
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from registry.core.errors import ValidationFailed

from .types import LOCAL_AUTHORITY_TYPES

BUNDLED_FILE = Path(__file__).parent / "data" / "uk_local_authorities.csv"

REQUIRED_COLUMNS = (
    "local-authority-code",
    "official-name",
    "nice-name",
    "gss-code",
    "start-date",
    "end-date",
    "replaced-by",
    "nation",
    "region",
    "local-authority-type",
)


@dataclass(frozen=True)
class CouncilRecord:
    """One council as the reference file describes it."""

    code: str
    name: str
    short_name: str
    type: str
    gss_code: str | None
    nation: str | None
    region: str | None
    start_date: date | None
    end_date: date | None
    successor_codes: tuple[str, ...]

    def attributes(self) -> dict:
        """Return the values stored on the Authority row (everything but the successors)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "successor_codes"}


def _date(value: str, line: int, column: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed.single(f"line {line}", f"{column} is not a date (YYYY-MM-DD): {value!r}") from None


def _record(row: dict[str, str], line: int) -> CouncilRecord:
    code = row["local-authority-code"].strip()
    council_type = row["local-authority-type"].strip()
    if not code or not row["official-name"].strip():
        raise ValidationFailed.single(f"line {line}", "every council needs a code and an official name")
    if council_type not in LOCAL_AUTHORITY_TYPES:
        raise ValidationFailed.single(f"line {line}", f"unknown local authority type {council_type!r} for {code}")
    return CouncilRecord(
        code=code,
        name=row["official-name"].strip(),
        short_name=row["nice-name"].strip() or row["official-name"].strip(),
        type=council_type,
        gss_code=row["gss-code"].strip() or None,
        nation=row["nation"].strip() or None,
        region=row["region"].strip() or None,
        start_date=_date(row["start-date"].strip(), line, "start-date"),
        end_date=_date(row["end-date"].strip(), line, "end-date"),
        successor_codes=tuple(c.strip() for c in row["replaced-by"].split(",") if c.strip()),
    )


def read_councils(path: Path) -> list[CouncilRecord]:
    """Read every council from a reference CSV file, refusing a file with missing columns or bad rows."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise ValidationFailed.single("file", "the file has no column " + ", ".join(missing))
        records = [_record(row, line) for line, row in enumerate(reader, start=2)]
    codes = [record.code for record in records]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ValidationFailed.single("file", "codes appear more than once: " + ", ".join(duplicates))
    unknown = sorted({s for r in records for s in r.successor_codes} - set(codes))
    if unknown:
        raise ValidationFailed.single("file", "successors not in the file: " + ", ".join(unknown))
    return records
