"""Building realistic agreements for tests: three councils, their people, datasets and a full draft."""

import json
from dataclasses import dataclass
from datetime import date, timedelta

from registry.agreements import drafting
from registry.authorities.models import Authority
from registry.core.clock import today
from registry.datasets.models import DataItem, Dataset
from registry.extensions import db
from registry.legal.models import LegalBasis
from tests.factories import make_authority, make_user
from tests.shared_data import shared_data

LEGAL_BASES_FILE = "registry/legal/data/legal_bases.json"


def load_legal_bases() -> None:
    """Load the bundled legal vocabulary straight into the table."""
    for record in json.load(open(LEGAL_BASES_FILE)):
        record = dict(record)
        record["commenced"] = date.fromisoformat(record["commenced"]) if record["commenced"] else None
        record["notes"] = record["notes"] or ""
        db.session.add(LegalBasis(**record))
    db.session.commit()


def make_test_dataset(authority: Authority, name: str, items: list[tuple[str, str]]) -> Dataset:
    """Create a dataset whose items are given as (name, "personal" | "special" | "criminal" | "none")."""
    dataset = Dataset(authority=authority, name=name, description="", security_classification="OFFICIAL-SENSITIVE")
    for item_name, kind in items:
        dataset.items.append(
            DataItem(name=item_name, personal=kind != "none", special_category=kind == "special", criminal_offence=kind == "criminal")
        )
    db.session.add(dataset)
    db.session.commit()
    return dataset


@dataclass
class Council:
    authority: Authority
    viewer: object
    contributor: object
    approver: object
    second_approver: object
    dataset: Dataset


def make_council(code: str, name: str) -> Council:
    """Create a council with a viewer, a contributor, two approvers and a dataset with a health item."""
    authority = make_authority(code=code, name=name, type="MD")
    people = {role: make_user(name=f"{name} {role}", memberships={authority: role}) for role in ("viewer", "contributor", "approver")}
    second = make_user(name=f"{name} second approver", memberships={authority: "approver"})
    dataset = make_test_dataset(
        authority, f"{name} case records", [("Name", "personal"), ("Date of birth", "personal"), ("Health condition", "special")]
    )
    return Council(authority, people["viewer"], people["contributor"], people["approver"], second, dataset)


@shared_data
def three_councils() -> dict[str, Council]:
    """Create Leeds, Bradford and Kirklees, and load the legal vocabulary."""
    load_legal_bases()
    return {
        "LDS": make_council("LDS", "Leeds City Council"),
        "BRD": make_council("BRD", "Bradford Council"),
        "KIR": make_council("KIR", "Kirklees Council"),
    }


PUBLIC_TASK_WITH_HEALTH = ["UKGDPR-A6-1-E", "UKGDPR-A9-2-G", "DPA2018-S1-P6"]


@shared_data
def complete_draft(councils: dict[str, Council], *, lead: str = "LDS", partners=("BRD", "KIR"), start: date | None = None):
    """Draft a complete agreement led by `lead`, through the services, ready to submit; return it.

    The first partner owes the lead an annual security certificate, first due 90 days after
    the start; the last partner owes every other party notice of a breach within 24 hours.
    """
    author = councils[lead].contributor
    agreement = drafting.create_agreement(author, councils[lead].authority, title="Supporting families", agreement_type="information_sharing")
    start = start or today()
    drafting.update_section(author, agreement, "purpose", {
        "purpose": "Identify families who need early help.", "functions_served": "Children's services",
        "benefits": "Earlier support", "necessity": "Only the items listed are needed to match families.",
    })
    drafting.update_section(author, agreement, "terms", {
        "retention": "Two years, then deleted.", "security_measures": "Encrypted at rest and in transit.",
        "rights_handling": "Each controller handles requests for its own data.", "breach_notification_hours": 24,
        "onward_sharing_allowed": False, "commercial_use_allowed": False, "international_transfers": False,
        "termination_arrangements": "Shared data is deleted within 30 days.",
    })
    drafting.update_section(author, agreement, "assurance", {"dpia_status": "completed", "dpia_reference": "DPIA-42", "dpia_date": min(start, today()), "dpo_consulted": True})
    drafting.update_section(author, agreement, "dates", {"start_date": start, "review_date": start + timedelta(days=365), "review_interval_months": 12, "end_date": start + timedelta(days=3 * 365)})
    lead_party = agreement.latest_version.parties[0]
    drafting.update_party(author, agreement, lead_party.id, sharing_role="both", controller_role="controller", legal_bases=PUBLIC_TASK_WITH_HEALTH)
    for code in partners:
        drafting.add_party(author, agreement, councils[code].authority, sharing_role="both", controller_role="controller", legal_bases=PUBLIC_TASK_WITH_HEALTH)
    draft = agreement.latest_version
    parties = {p.authority.code: p for p in draft.parties}
    lead_dataset = councils[lead].dataset
    drafting.add_flow(author, agreement, {
        "from_party_id": parties[lead].id, "to_party_id": parties[partners[0]].id, "dataset_id": lead_dataset.id,
        "data_item_ids": [item.id for item in lead_dataset.items], "frequency": "periodic", "method": "SFTP", "volume": "500 a month",
    })
    if len(partners) > 1:
        drafting.add_flow(author, agreement, {
            "from_party_id": parties[lead].id, "to_party_id": parties[partners[1]].id, "dataset_id": lead_dataset.id,
            "data_item_ids": [item.id for item in lead_dataset.items if not item.special_category], "frequency": "on_request",
        })
    drafting.add_obligation(author, agreement, {
        "owed_by_party_id": parties[partners[0]].id, "owed_to_party_id": parties[lead].id, "type": "security_standard",
        "description": "Hold Cyber Essentials Plus and send the certificate.", "due_kind": "recurring",
        "due_date": start + timedelta(days=90), "every_months": 12,
    })
    drafting.add_obligation(author, agreement, {
        "owed_by_party_id": parties[partners[-1]].id, "owed_to_party_id": None, "type": "breach_notification",
        "description": "Tell the other parties about a breach.", "due_kind": "event",
        "event": "a personal data breach involving the shared data", "within_hours": 24,
    })
    db.session.commit()
    return agreement


@shared_data
def agreement_in(state: str, councils: dict[str, Council]):
    """Return a Leeds-led agreement with Bradford and Kirklees, brought to the given state through the services."""
    from registry.agreements import services
    from registry.users.actors import SCHEDULER

    agreement = complete_draft(councils)
    if state == "draft":
        return agreement
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    if state == "proposed":
        return agreement
    for code in ("LDS", "BRD", "KIR"):
        services.approve(councils[code].approver, agreement, councils[code].authority, content_hash=agreement.latest_version.content_hash)
    services.start(SCHEDULER, agreement)
    db.session.commit()
    if state == "under_review":
        services.start_review(councils["LDS"].contributor, agreement)
    elif state == "suspended":
        services.suspend(councils["KIR"].approver, agreement, reason="Checking a breach")
    db.session.commit()
    return agreement
