"""The differences between two versions of an agreement, in sentences a person can read.

A version's document keeps authorities and legal bases by code; the sentences say them in
words, from a mapping of code to name the caller reads (authorities' names, legal bases'
citations and titles), so that this module stays pure.
"""

from collections.abc import Callable, Mapping
from operator import itemgetter
from types import MappingProxyType

from .models import AGREEMENT_TYPES, CONTROLLER_ROLES, DPIA_STATUSES, FREQUENCIES, OBLIGATION_TYPES, SHARING_ROLES

LABELS = {
    "title": "Title",
    "type": "Type of agreement",
    "lead_authority": "Lead authority",
    "purpose.purpose": "Purpose",
    "purpose.functions_served": "Functions served",
    "purpose.benefits": "Expected benefits",
    "purpose.necessity": "Why it is necessary",
    "terms.retention": "Retention and deletion",
    "terms.security_measures": "Security measures",
    "terms.rights_handling": "Handling of individuals' rights",
    "terms.breach_notification_hours": "Breach notification time (hours)",
    "terms.onward_sharing_allowed": "Onward sharing allowed",
    "terms.onward_sharing_conditions": "Conditions for onward sharing",
    "terms.commercial_use_allowed": "Commercial use allowed",
    "terms.international_transfers": "International transfers",
    "terms.international_transfer_details": "International transfer details",
    "terms.termination_arrangements": "On termination",
    "assurance.dpia_status": "Impact assessment",
    "assurance.dpia_reference": "Impact assessment reference",
    "assurance.dpia_date": "Impact assessment date",
    "assurance.dpo_consulted": "DPO consulted",
    "dates.start": "Start date",
    "dates.review": "Review date",
    "dates.review_interval_months": "Review interval (months)",
    "dates.end": "End date",
    "register.withheld": "Withheld from the public register",
    "register.reason": "Reason for withholding it",
}
NAMES = {"type": AGREEMENT_TYPES, "assurance.dpia_status": DPIA_STATUSES}
NO_WORDS: Mapping[str, str] = MappingProxyType({})


def _say(value, key: str = "", words: Mapping[str, str] = NO_WORDS) -> str:
    if value is None or value == "":
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key == "lead_authority":
        return f"“{words.get(value, value)}”"
    names = NAMES.get(key, {})
    return f"“{names.get(value, value)}”"


def _bases(codes, words: Mapping[str, str]) -> str:
    # Citations hold commas ("Data Protection Act 2018, Schedule 1, …"), so bases are parted by semicolons.
    return "; ".join(words.get(code, code) for code in codes)


def _fields(document: dict) -> dict[str, object]:
    flat = {"title": document["title"], "type": document["type"], "lead_authority": document["lead_authority"]}
    for section in ("purpose", "terms", "assurance", "dates", "register"):
        for name, value in document.get(section, {}).items():
            flat[f"{section}.{name}"] = value
    return flat


def _party_words(party: dict, words: Mapping[str, str]) -> str:
    bases = _bases(party["legal_bases"], words) or "no legal bases"
    return (
        f"{party['name']} ({SHARING_ROLES[party['sharing_role']].lower()}, "
        f"{CONTROLLER_ROLES[party['controller_role']].lower()}; {bases})"
    )


def _flow_key(flow: dict) -> tuple:
    return (flow["from"], flow["to"], flow["dataset"]["id"])


def _flow_words(flow: dict, words: Mapping[str, str]) -> str:
    return f"{flow['dataset']['name']} from {words.get(flow['from'], flow['from'])} to {words.get(flow['to'], flow['to'])}"


def _obligation_words(obligation: dict, words: Mapping[str, str]) -> str:
    due = obligation["due"]
    when = {
        "date": f"by {due['date']}",
        "recurring": f"every {due['every_months']} months from {due['date']}",
        "event": f"within {due['within_hours']} hours of {due['event']}",
    }[due["kind"]]
    kind = OBLIGATION_TYPES.get(obligation["type"], obligation["type"]).lower()
    owed_by, owed_to = (words.get(obligation[name], obligation[name]) for name in ("owed_by", "owed_to"))
    return f"{owed_by} owes {owed_to} {kind} ({obligation['description']}), {when}"


def differences(old: dict, new: dict, words: Mapping[str, str] = NO_WORDS) -> list[str]:
    """Return each difference between two versions' content as a sentence, codes said in words where words has them."""
    sentences = []
    old_fields, new_fields = _fields(old), _fields(new)
    for key, label in LABELS.items():
        if key in old_fields and old_fields.get(key) != new_fields.get(key):
            sentences.append(f"{label} changed from {_say(old_fields[key], key, words)} to {_say(new_fields.get(key), key, words)}.")

    joined, left, stayed = _paired(old["parties"], new["parties"], itemgetter("authority"))
    sentences += [f"{_party_words(party, words)} joined as a party." for party in joined]
    sentences += [f"{party['name']} is no longer a party." for party in left]
    for before, after in stayed:
        if before["sharing_role"] != after["sharing_role"] or before["controller_role"] != after["controller_role"]:
            sentences.append(
                f"{after['name']}'s role changed from {SHARING_ROLES[before['sharing_role']].lower()} "
                f"({CONTROLLER_ROLES[before['controller_role']].lower()}) to {SHARING_ROLES[after['sharing_role']].lower()} "
                f"({CONTROLLER_ROLES[after['controller_role']].lower()})."
            )
        added = sorted(set(after["legal_bases"]) - set(before["legal_bases"]))
        removed = sorted(set(before["legal_bases"]) - set(after["legal_bases"]))
        if added:
            sentences.append(f"{after['name']} now also relies on {_bases(added, words)}.")
        if removed:
            sentences.append(f"{after['name']} no longer relies on {_bases(removed, words)}.")

    added_flows, removed_flows, kept_flows = _paired(old["flows"], new["flows"], _flow_key)
    sentences += [f"New flow: {_flow_words(flow, words)}." for flow in added_flows]
    sentences += [f"Flow removed: {_flow_words(flow, words)}." for flow in removed_flows]
    for before, after in kept_flows:
        old_items = {i["name"] for i in before["data_items"]}
        new_items = {i["name"] for i in after["data_items"]}
        if new_items - old_items:
            sentences.append(f"{_flow_words(after, words)} now includes {', '.join(sorted(new_items - old_items))}.")
        if old_items - new_items:
            sentences.append(f"{_flow_words(after, words)} no longer includes {', '.join(sorted(old_items - new_items))}.")
        for name, label in (("frequency", "frequency"), ("method", "method"), ("volume", "volume")):
            if before[name] != after[name]:
                said = FREQUENCIES if name == "frequency" else {}
                sentences.append(
                    f"The {label} of {_flow_words(after, words)} changed from "
                    f"“{said.get(before[name], before[name]) or 'nothing'}” to “{said.get(after[name], after[name]) or 'nothing'}”."
                )
    old_obligations = [_obligation_words(o, words) for o in old.get("obligations", [])]
    new_obligations = [_obligation_words(o, words) for o in new.get("obligations", [])]
    sentences += [f"New obligation: {obligation}." for obligation in new_obligations if obligation not in old_obligations]
    sentences += [f"Obligation removed: {obligation}." for obligation in old_obligations if obligation not in new_obligations]
    return sentences


def _paired(old: list[dict], new: list[dict], key: Callable[[dict], object]) -> tuple[list, list, list]:
    """Match two versions' items by key: those only in the new, those only in the old, and (old, new) for those in both."""
    olds, news = {key(item): item for item in old}, {key(item): item for item in new}
    return (
        [news[k] for k in sorted(news.keys() - olds.keys())],
        [olds[k] for k in sorted(olds.keys() - news.keys())],
        [(olds[k], news[k]) for k in sorted(olds.keys() & news.keys())],
    )
