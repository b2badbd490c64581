"""Reading one row of a register as what it will create, noting every problem with its row and column."""

from dataclasses import dataclass, field

from registry.agreements import rules
from registry.authorities.models import Authority
from registry.core.clock import today
from registry.legal.models import LegalBasis

from . import matching, policies


@dataclass(frozen=True)
class Problem:
    """Something wrong with one cell (or row) of the file, said so the person can find and fix it."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column}: {self.message}"


@dataclass
class RowPlan:
    """What one row of the file says, read as the registry's terms, and what importing it does."""

    row: int
    values: dict = field(default_factory=dict)
    lead: Authority | None = None
    others: list[Authority] = field(default_factory=list)
    legal_bases: list[LegalBasis] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Names that matched no authority exactly, with the likely ones, for the person to choose from.
    unsure: dict[str, tuple] = field(default_factory=dict)
    # The agreement an earlier import of the same file made from this row.
    already_imported_as: str | None = None
    created_as: str | None = None

    @property
    def to_create(self) -> bool:
        return not self.problems and self.already_imported_as is None


class RowReader:
    """Reads one row's cells into a RowPlan, noting every problem with its column."""

    def __init__(self, headers, mapping, in_force, actor, names, chosen, legal_bases) -> None:
        self.headers, self.mapping, self.in_force, self.actor = headers, mapping, in_force, actor
        self.names, self.chosen, self.legal_bases = names, chosen, legal_bases
        self.today = today()

    def column(self, name: str) -> str:
        header = self.headers[self.mapping[name]] if name in self.mapping else ""
        return header or matching.FIELDS[name][0]

    def read(self, number: int, cells: list) -> RowPlan:
        plan = RowPlan(number)
        raw = {name: cells[index] for name, index in self.mapping.items()}
        for name, cell in raw.items():
            if matching.looks_like_formula(cell):
                self.problem(plan, name, f"starts with “{cell[:1].strip() or 'a tab'}”, which a spreadsheet would run "
                                         "as a formula: remove it or put the text in words")
        text = {name: _text(cell) for name, cell in raw.items() if name not in matching.DATE_FIELDS}
        self.read_title(plan, text.get("title", ""))
        plan.values["purpose"] = text.get("purpose", "")
        plan.values["reference"] = text.get("reference", "")[:100]
        self.read_type(plan, text.get("agreement_type", ""))
        for name in matching.DATE_FIELDS:
            self.read_date(plan, name, raw.get(name))
        self.check_dates(plan)
        self.read_lead(plan, text.get("lead", ""))
        self.read_others(plan, raw.get("others"))
        self.read_legal_bases(plan, raw.get("legal_bases"))
        return plan

    def problem(self, plan: RowPlan, name: str, message: str) -> None:
        plan.problems.append(Problem(plan.row, self.column(name), message))

    def read_title(self, plan: RowPlan, title: str) -> None:
        if not title:
            self.problem(plan, "title", "Enter the agreement's title")
        elif len(title) > 200:
            self.problem(plan, "title", "The title must be 200 characters or fewer")
        plan.values["title"] = title[:200]

    def read_type(self, plan: RowPlan, words: str) -> None:
        kind = matching.agreement_type(words) if words else "information_sharing"
        if kind is None:
            self.problem(plan, "agreement_type", f"“{words}” is not an agreement type: use information sharing, "
                                                 "disclosure or joint controller")
        plan.values["agreement_type"] = kind or "information_sharing"

    def read_date(self, plan: RowPlan, name: str, cell) -> None:
        try:
            plan.values[name] = matching.parse_date(cell)
        except ValueError:
            plan.values[name] = None
            self.problem(plan, name, f"“{_text(cell)}” is not a date: write it like 31/03/2026 or 31 March 2026")

    def check_dates(self, plan: RowPlan) -> None:
        values = plan.values
        found = rules.date_problems(values["start_date"], values["review_date"], values["end_date"])
        for name, messages in found.items():
            for message in messages:
                # A draft may leave its dates blank; a record in force is reviewed, so needs its review date.
                if message.startswith("Enter") and not (self.in_force and name == "review_date"):
                    continue
                self.problem(plan, name, message)
        if values["signed_on"] and values["signed_on"] > self.today:
            self.problem(plan, "signed_on", "The date signed must be today or in the past")

    def authority(self, plan: RowPlan, name: str, field_name: str) -> Authority | None:
        chosen = self.chosen.get(matching.normalised(name))
        if chosen is not None:
            return chosen
        found = self.names.match(name)
        if found.authority is not None:
            if matching.normalised(name) not in (matching.normalised(found.authority.name), matching.normalised(found.authority.code)):
                plan.notes.append(f"“{name}” read as {found.authority.name}")
            return found.authority
        if found.candidates:
            plan.unsure[name] = found.candidates
            likely = " or ".join(f"{a.name} ({a.code})" for a in found.candidates)
            self.problem(plan, field_name, f"No authority is called “{name}”: did you mean {likely}?")
        else:
            self.problem(plan, field_name, f"No authority is called “{name}”: an administrator can add it as a partner body")
        return None

    def read_lead(self, plan: RowPlan, name: str) -> None:
        if not name:
            self.problem(plan, "lead", "Enter the organisation that leads the agreement")
            return
        lead = self.authority(plan, name, "lead")
        if lead is None:
            return
        if not lead.is_current(self.today):
            self.problem(plan, "lead", f"{lead.name} has ended: it cannot lead an agreement")
        elif not policies.can_import(self.actor, lead, in_force=self.in_force):
            role = "approvers" if self.in_force else "contributors and approvers"
            self.problem(plan, "lead", f"Only {role} of {lead.name} can import its agreements"
                                       + (" as records in force" if self.in_force else ""))
        plan.lead = lead

    def read_others(self, plan: RowPlan, cell) -> None:
        for name in matching.split_names(cell):
            for authority in self.others_named(plan, name):
                if authority is None or authority is plan.lead or authority in plan.others:
                    continue
                if not authority.is_current(self.today):
                    self.problem(plan, "others", f"{authority.name} has ended: name its successor instead")
                plan.others.append(authority)

    def others_named(self, plan: RowPlan, name: str) -> list[Authority | None]:
        # "Leeds CC, Bradford MDC and Kirklees" is three names; "Armagh City, Banbridge and Craigavon" is one.
        if self.chosen.get(matching.normalised(name)) or self.names.match(name).authority is not None:
            return [self.authority(plan, name, "others")]
        parts = matching.finer_names(name)
        if len(parts) > 1 and all(self.chosen.get(matching.normalised(p)) or self.names.match(p).authority for p in parts):
            return [self.authority(plan, part, "others") for part in parts]
        return [self.authority(plan, name, "others")]

    def read_legal_bases(self, plan: RowPlan, cell) -> None:
        for citation in matching.split_citations(cell):
            basis = self.legal_bases.match(citation)
            if basis is None:
                self.problem(plan, "legal_bases", f"“{citation}” is not a legal basis in the registry: use its citation, "
                                                  "like UK GDPR Article 6(1)(e), or its name")
            elif basis not in plan.legal_bases:
                plan.legal_bases.append(basis)


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split()) if not isinstance(cell, str) else cell.strip()
