"""Reading the legal vocabulary's reference file (legal_bases.json) into plain records."""

import json
from dataclasses import asdict, dataclass, fields
from datetime import date
from functools import cache
from pathlib import Path

from marshmallow import ValidationError

from registry.core.errors import ValidationFailed
from registry.core.forms import validation_messages

from .schemas import LegalBasisInputSchema

BUNDLED_FILE = Path(__file__).parent / "data" / "legal_bases.json"


@dataclass(frozen=True)
class LegalBasisRecord:
    """One legal basis as the reference file describes it: every value stored on the row."""

    code: str
    kind: str
    title: str
    summary: str
    citation: str
    url: str
    commenced: date
    part: int | None
    paragraph: int | None
    needs_schedule1: bool
    special_category: bool
    criminal_offence: bool
    mandatory: bool | None
    public_authority_may_rely: bool
    notes: str

    def attributes(self) -> dict:
        """Return the values stored on the LegalBasis row."""
        return asdict(self)


FIELDS = tuple(f.name for f in fields(LegalBasisRecord))


def _refusal(path: Path, problems: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed(problems, f"{path.name} was not loaded; nothing has changed.")


def _record(path: Path, entry, number: int) -> LegalBasisRecord:
    if not isinstance(entry, dict):
        raise _refusal(path, {f"entry {number}": ["is not an object"]})
    where = f"entry {number}" + (f" ({entry['code']})" if isinstance(entry.get("code"), str) else "")
    # Every key must be there: a missing one would otherwise quietly take the form's default.
    missing = [name for name in FIELDS if name not in entry]
    if missing:
        raise _refusal(path, {where: ["is missing " + ", ".join(missing)]})
    try:
        data = LegalBasisInputSchema().load(entry)
    except ValidationError as error:
        raise _refusal(path, {f"{where} {name}": messages for name, messages in validation_messages(error).items()}) from None
    return LegalBasisRecord(**data)


def read_legal_bases(path: Path) -> list[LegalBasisRecord]:
    """Read every legal basis from a reference JSON file, refusing a file that is malformed in any way."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise _refusal(path, {"file": ["is not UTF-8 text"]}) from None
    except json.JSONDecodeError as error:
        raise _refusal(path, {"file": [f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"]}) from None
    if not isinstance(entries, list):
        raise _refusal(path, {"file": ["must hold a list of legal bases"]})
    records = [_record(path, entry, number) for number, entry in enumerate(entries, start=1)]
    codes = [record.code for record in records]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise _refusal(path, {"file": ["codes appear more than once: " + ", ".join(duplicates)]})
    return records


@cache
def bundled_codes() -> frozenset[str]:
    """Return the codes of the legal bases that come with the registry."""
    return frozenset(record.code for record in read_legal_bases(BUNDLED_FILE))
