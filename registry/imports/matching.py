"""Reading a register's words as the registry's: which column is which, which authority a name means,
which legal basis a citation means, and which day a date cell means.

Pure lookups over what the caller loaded: no writes, no Flask.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rapidfuzz import fuzz, process

from registry.agreements.models import AGREEMENT_TYPES

# The registry's own template's columns, in order, with the words other registers use for them.
FIELDS = {
    "reference": ("Reference", ("reference", "ref", "ref no", "original reference", "agreement reference", "dsa reference")),
    "title": ("Title", ("title", "agreement title", "agreement name", "name of agreement")),
    "agreement_type": ("Type", ("type", "agreement type", "type of agreement")),
    "purpose": ("Purpose", ("purpose", "purpose of sharing", "purpose of the sharing")),
    "lead": ("Lead organisation", ("lead organisation", "lead organization", "lead authority", "lead")),
    "others": ("Other organisations", ("other organisations", "other organisations involved", "other organizations involved",
                                       "other parties", "partners", "partner organisations", "parties")),
    "legal_bases": ("Legal bases", ("legal bases", "legal basis", "lawful basis", "legal basis for sharing")),
    "start_date": ("Start date", ("start date", "date started", "commencement date")),
    "review_date": ("Review date", ("review date", "next review date", "review due", "date of next review")),
    "end_date": ("End date", ("end date", "expiry date", "expires")),
    "signed_on": ("Date signed", ("date signed", "signed", "signed on", "signed date", "signature date")),
}
DATE_FIELDS = ("start_date", "review_date", "end_date", "signed_on")
REQUIRED = ("title", "lead")


def normalised(text) -> str:
    """Return text lower-cased with every run of spaces and punctuation made one space."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split())


_HEADER_WORDS = {normalised(word): name for name, (_, words) in FIELDS.items() for word in words}


def header_mapping(headers: list[str]) -> dict[str, int]:
    """Return the column each field is read from, matched by header (case, spacing and punctuation ignored)."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = _HEADER_WORDS.get(normalised(header))
        if name is not None and name not in mapping:
            mapping[name] = index
    return mapping


# --- dates ---------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, given its 1900 leap-year bug
_TEXT_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%B %d %Y")


def parse_date(cell) -> date | None:
    """Return the day a cell means (a date, an Excel serial, dd/mm/yyyy or d Month yyyy), None if blank; ValueError if not a date."""
    if cell is None or cell == "":
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return _serial(cell)
    text = " ".join(str(cell).replace(",", " ").split())
    if not text:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial(float(text))
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text, flags=re.IGNORECASE)
    for pattern in _TEXT_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _serial(number: float) -> date:
    # Serials before 1950 or after 2200 are numbers that are not dates.
    if not 18264 <= number <= 109574:
        raise ValueError(str(number))
    return _EXCEL_EPOCH + timedelta(days=int(number))


# --- agreement types -------------------------------------------------------------------------

_TYPE_WORDS = {
    **{normalised(key): key for key in AGREEMENT_TYPES},
    **{normalised(label): key for key, label in AGREEMENT_TYPES.items()},
    "isa": "information_sharing", "isp": "information_sharing", "information sharing agreement": "information_sharing",
    "information sharing protocol": "information_sharing", "reciprocal": "information_sharing",
    "dda": "disclosure", "data disclosure agreement": "disclosure", "disclosure agreement": "disclosure", "one way": "disclosure",
    "jca": "joint_controller", "joint controller agreement": "joint_controller", "joint controller": "joint_controller",
}


def agreement_type(cell) -> str | None:
    """Return the agreement type a cell names (its label, key or a common name), None if it names none."""
    return _TYPE_WORDS.get(normalised(cell))


# --- authorities ---------------------------------------------------------------------------

# How registers shorten councils' names.
_ABBREVIATIONS = {
    "cc": "city council", "bc": "borough council", "dc": "district council", "mbc": "metropolitan borough council",
    "cbc": "county borough council", "scc": "county council", "cnty": "county", "co": "county", "cncl": "council",
    "dist": "district", "boro": "borough", "st": "saint", "mdc": "metropolitan district council",
}
_LEADING_WORDS = ("the ", "london borough of ", "royal borough of ", "city of ", "borough of ", "county of ")
_TRAILING_WORDS = (" council", " city council", " county council", " borough council", " district council",
                   " metropolitan borough council", " county borough council", " metropolitan district council")


def _expanded(name: str) -> str:
    return " ".join(_ABBREVIATIONS.get(word, word) for word in normalised(name).replace("&", " and ").split())


def _bare(name: str) -> str:
    """Return a council's name without the words every council's name has ("Leeds" for "Leeds City Council")."""
    text = _expanded(name)
    for words in _LEADING_WORDS:
        if text.startswith(words):
            text = text[len(words):]
    for words in sorted(_TRAILING_WORDS, key=len, reverse=True):
        if text.endswith(words):
            return text[: -len(words)]
    return text


@dataclass(frozen=True)
class NameMatch:
    """What a name in the register matched: one authority, or none and the likely ones."""

    authority: object | None
    candidates: tuple = ()


class AuthorityNames:
    """Finds authorities by the names registers give them: exact names, codes and common shortenings, else candidates."""

    def __init__(self, authorities) -> None:
        self._exact: dict[str, object] = {}
        self._bare: dict[str, list] = {}
        for authority in authorities:
            for name in (authority.name, authority.short_name, authority.code, authority.ods_code):
                if name:
                    self._exact.setdefault(_expanded(name), authority)
            self._bare.setdefault(_bare(authority.name), []).append(authority)
        self._choices = list(self._bare)

    def match(self, name: str) -> NameMatch:
        """Return the authority a name means, or the likely candidates when it is not exact."""
        exact = self._exact.get(_expanded(name))
        if exact is not None:
            return NameMatch(exact)
        bare = _bare(name)
        same = self._bare.get(bare, [])
        # "Leeds CC" is Leeds City Council when only one authority is called Leeds.
        if len(same) == 1 and _expanded(name) != bare:
            return NameMatch(same[0])
        found = process.extract(bare, self._choices, scorer=fuzz.WRatio, limit=3, score_cutoff=80)
        candidates = tuple(authority for choice, _, _ in found for authority in self._bare[choice])
        return NameMatch(None, candidates[:3])


def split_names(cell) -> list[str]:
    """Return the names in a cell of several organisations (one a line, or separated by ; , / & or "and")."""
    text = str(cell or "")
    return [name.strip() for name in re.split(r"[;\n\r]+", text) if name.strip()]


def finer_names(name: str) -> list[str]:
    """Return a name split at commas, slashes, "&" and "and", for a list written on one line."""
    return [part.strip() for part in re.split(r",|/|&|\band\b|\+", name) if part.strip()]


# --- legal bases ---------------------------------------------------------------------------


class LegalBasisNames:
    """Finds legal bases by code, citation (with or without "UK GDPR"), or title."""

    def __init__(self, legal_bases) -> None:
        self._names: dict[str, object] = {}
        for basis in legal_bases:
            for name in (basis.code, basis.citation, basis.label, basis.title, _without_act(basis.citation)):
                if name:
                    self._names.setdefault(normalised(name), basis)

    def match(self, name: str):
        """Return the legal basis a name cites, or None."""
        name = _SECTION.sub(r"section \1", name)
        return self._names.get(normalised(name)) or self._names.get(normalised(_without_act(name)))


# Registers write "s115" or "s.115" for "section 115".
_SECTION = re.compile(r"\bss?\.?\s*(\d+)", re.IGNORECASE)


def _without_act(citation: str) -> str:
    return re.sub(r"^\s*(uk\s+gdpr|gdpr)\s+", "", citation, flags=re.IGNORECASE)


def split_citations(cell) -> list[str]:
    """Return the citations in a cell (one a line, or separated by semicolons)."""
    return [part.strip() for part in re.split(r"[;\n\r]+", str(cell or "")) if part.strip()]


# --- cells a later export would run -----------------------------------------------------------

# A lone "-" (a register's blank) or a minus before a number is no formula.
_FORMULA_START = re.compile(r"^(=|\+|@|\t|\r|-(?=[^\d\s.]))")


def looks_like_formula(cell) -> bool:
    """Return True for text a spreadsheet would run as a formula (=, +, @, tab, CR, or - before a word)."""
    return isinstance(cell, str) and bool(_FORMULA_START.match(cell))
