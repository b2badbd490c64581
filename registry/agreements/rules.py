"""The consistency rules a version must meet before it is submitted, each with a message for people.

Rules are grouped by the section of the agreement they concern, so a page can point to the
step that needs work. A draft may break them while it is being written; submitting may not.
"""

from collections import defaultdict

from registry.legal.models import KINDS

from .models import AgreementVersion, Party

SECTIONS = ("details", "purpose", "parties", "flows", "obligations", "terms", "assurance", "dates")

# Partner bodies that are not public authorities may rely on legitimate interests.
NOT_PUBLIC_AUTHORITY_TYPES = frozenset({"CHARITY", "OTHER"})


def _kinds(party: Party, kind: str):
    return [basis for basis in party.legal_bases if basis.kind == kind]


def _party_problems(party: Party, needs_special: bool, needs_criminal: bool) -> list[str]:
    name = party.authority.name
    problems = []
    if not _kinds(party, "article6"):
        problems.append(f"Choose a UK GDPR Article 6 lawful basis for {name}")
    if party.authority.type not in NOT_PUBLIC_AUTHORITY_TYPES:
        for basis in party.legal_bases:
            if not basis.public_authority_may_rely:
                problems.append(f"{name} is a public authority, so it cannot rely on {basis.citation} for its tasks")
    article9 = _kinds(party, "article9")
    schedule1 = _kinds(party, "schedule1")
    if needs_special:
        if not article9:
            problems.append(f"Special category data flows to or from {name}: choose an Article 9 condition for it")
        elif any(b.needs_schedule1 for b in article9) and not any(b.special_category for b in schedule1):
            problems.append(f"The Article 9 condition chosen for {name} needs a DPA 2018 Schedule 1 Part 1 or 2 condition")
    if needs_criminal:
        if not _kinds(party, "article10"):
            problems.append(f"Criminal offence data flows to or from {name}: choose Article 10 for it")
        if not any(b.criminal_offence for b in schedule1):
            problems.append(f"Criminal offence data flows to or from {name}: choose a DPA 2018 Schedule 1 condition that covers it")
    return problems


def kinds_of_basis_asked_for(party: Party | None) -> set[str]:
    """Return the kinds of legal basis to ask a party for, going by what flows to and from it.

    Until flows to or from it are added, nobody can tell what it will need, so every kind is asked for.
    """
    flows = [f for f in party.version.flows if party in (f.from_party, f.to_party)] if party is not None else []
    if not flows:
        return set(KINDS)
    special = any(f.has_special_category_data for f in flows)
    criminal = any(f.has_criminal_offence_data for f in flows)
    kinds = {"article6", "gateway"}
    if special:
        kinds.add("article9")
    if criminal:
        kinds.add("article10")
    if special or criminal:
        kinds.add("schedule1")  # its conditions back both Article 9 conditions and Article 10
    return kinds


def flow_problems(flow) -> list[str]:
    """Return what is wrong with one flow, whatever state the rest of the version is in."""
    problems = []
    parties = flow.version.parties
    if flow.from_party not in parties or flow.to_party not in parties:
        problems.append("Both ends of a flow must be parties to the agreement")
        return problems
    if flow.from_party is flow.to_party:
        problems.append("A flow must go from one party to another")
    if not flow.from_party.provides:
        problems.append(f"{flow.from_party.authority.name} sends data in a flow, so it must be a provider")
    if not flow.to_party.receives:
        problems.append(f"{flow.to_party.authority.name} receives data in a flow, so it must be a recipient")
    if flow.dataset.authority is not flow.from_party.authority:
        problems.append(f"{flow.dataset.name} belongs to {flow.dataset.authority.name}, not to the party sending it")
    if not flow.data_items:
        problems.append(f"Choose the data items that flow from {flow.dataset.name}")
    if any(item.dataset is not flow.dataset for item in flow.data_items):
        problems.append(f"Every data item in a flow must come from {flow.dataset.name}")
    return problems


def obligation_date_problem(due, start) -> str | None:
    """Return what is wrong with an obligation's (first) due date, given the agreement's start, or None."""
    if due is not None and start is not None and due < start:
        return f"The due date must be on or after the agreement's start date, {start.day} {start:%B} {start.year}"
    return None


def date_problems(start, review, end) -> dict[str, list[str]]:
    """Return what is wrong with a version's dates, by field."""
    problems: dict[str, list[str]] = defaultdict(list)
    if start is None:
        problems["start_date"].append("Enter the date the sharing starts")
    if review is None:
        problems["review_date"].append("Enter the date the agreement is next reviewed")
    if start and review and review < start:
        problems["review_date"].append("The review date must be on or after the start date")
    if end and start and end <= start:
        problems["end_date"].append("The end date must be after the start date")
    if end and review and review > end:
        problems["review_date"].append("The review date must be on or before the end date")
    return dict(problems)


def submission_problems(version: AgreementVersion) -> dict[str, list[str]]:
    """Return every rule the version breaks, by section; empty when it may be submitted."""
    problems: dict[str, list[str]] = defaultdict(list)
    agreement = version.agreement
    if not version.title.strip():
        problems["details"].append("Enter a title")
    if version.withhold_from_register and not version.withholding_reason.strip():
        problems["details"].append("Say why the agreement is withheld from the public register")
    if not version.purpose.strip():
        problems["purpose"].append("Say what the sharing is for")
    if not version.necessity.strip():
        problems["purpose"].append("Say why the sharing is necessary and proportionate")

    parties = version.parties
    if len(parties) < 2:
        problems["parties"].append("An agreement needs at least two parties")
    if version.party_for(agreement.lead_authority) is None:
        problems["parties"].append(f"The lead authority, {agreement.lead_authority.name}, must be a party")

    if not version.flows:
        problems["flows"].append("Add at least one flow of data")
    special = defaultdict(bool)
    criminal = defaultdict(bool)
    for flow in version.flows:
        problems["flows"].extend(flow_problems(flow))
        for party in (flow.from_party, flow.to_party):
            special[party.id] |= flow.has_special_category_data
            criminal[party.id] |= flow.has_criminal_offence_data
    for party in parties:
        problems["parties"].extend(_party_problems(party, special[party.id], criminal[party.id]))

    for obligation in version.obligations:
        if obligation.owed_by not in parties or (obligation.owed_to is not None and obligation.owed_to not in parties):
            problems["obligations"].append("An obligation must be owed by and to parties to the agreement")
            break
    for obligation in version.obligations:
        # The start date can move after an obligation was added.
        problem = obligation_date_problem(obligation.due_date, version.start_date)
        if problem:
            problems["obligations"].append(problem.replace("The due date", f"The due date of “{obligation.description[:60]}”"))

    if not version.retention.strip():
        problems["terms"].append("Say how long shared data is kept and how it is deleted")
    if not version.security_measures.strip():
        problems["terms"].append("Describe the security measures")
    if version.breach_notification_hours is None:
        problems["terms"].append("Say within how many hours a party must report a breach to the others")
    if version.onward_sharing_allowed is None:
        problems["terms"].append("Say whether onward sharing is allowed")

    if version.dpia_status is None:
        problems["assurance"].append("Say whether a data protection impact assessment was done")
    elif version.dpia_status == "completed" and not (version.dpia_reference.strip() and version.dpia_date):
        problems["assurance"].append("Give the reference and date of the completed impact assessment")

    for messages in date_problems(version.start_date, version.review_date, version.end_date).values():
        problems["dates"].extend(messages)
    return {section: messages for section, messages in problems.items() if messages}
