"""Demonstration agreements: one Leeds proposes to Bradford and Kirklees, waiting for approvals; one in force
between Leeds and Bradford, with an obligation overdue, so the dashboard and counterpart view have something to show."""

from datetime import timedelta

import sqlalchemy as sa

from registry.agreements import drafting, services
from registry.agreements.models import AgreementVersion
from registry.authorities.queries import authority_by_code
from registry.users.actors import SCHEDULER
from registry.core.clock import today
from registry.datasets import services as dataset_services
from registry.datasets.models import Dataset
from registry.extensions import db
from registry.users.queries import user_by_email

TITLE = "Supporting Families: early help across West Yorkshire"
DATASETS = {
    "LDS": ("Early help case records", [("Name", "personal"), ("Date of birth", "personal"), ("Address", "personal"), ("School attendance", "personal"), ("Health needs", "special")]),
    "BRD": ("Children's social care referrals", [("Name", "personal"), ("Date of birth", "personal"), ("Reason for referral", "personal")]),
    "KIR": ("Housing support register", [("Name", "personal"), ("Address", "personal"), ("Tenancy status", "personal")]),
}
BASES = ["UKGDPR-A6-1-E", "UKGDPR-A9-2-G", "DPA2018-S1-P18", "GW-CA2004-S10"]


def _contributor(code: str):
    return user_by_email(f"contributor@{ {'LDS': 'leeds', 'BRD': 'bradford', 'KIR': 'kirklees'}[code] }.example.org")


def load_datasets() -> int:
    """Give each demo council a dataset, added by its contributor; return how many were added."""
    added = 0
    for code, (name, items) in DATASETS.items():
        authority = authority_by_code(code)
        if db.session.scalar(sa.select(Dataset).where(Dataset.authority_id == authority.id, Dataset.name == name)):
            continue
        dataset_services.create_dataset(
            _contributor(code), authority,
            {"name": name, "description": "Demonstration data", "data_subjects": "Residents", "security_classification": "OFFICIAL-SENSITIVE",
             "system_of_record": "", "owner_contact": "Information governance team",
             "items": [{"name": n, "personal": True, "special_category": kind == "special", "criminal_offence": False} for n, kind in items]},
        )
        added += 1
    return added


def load_agreement() -> bool:
    """Draft the demo agreement and submit it, unless it is there already; return whether it was added."""
    if db.session.scalar(sa.select(AgreementVersion.id).where(AgreementVersion.title == TITLE)):
        return False
    author = _contributor("LDS")
    leeds = authority_by_code("LDS")
    agreement = drafting.create_agreement(author, leeds, title=TITLE, agreement_type="information_sharing")
    start = today() + timedelta(days=14)
    drafting.update_section(author, agreement, "purpose", {
        "purpose": "Identify families who would benefit from early help, and coordinate support between councils.",
        "functions_served": "Children's services, early help, housing", "benefits": "Families are helped sooner.",
        "necessity": "Matching needs only names, dates of birth and addresses; health needs are shared only with Bradford's social care.",
    })
    drafting.update_section(author, agreement, "terms", {
        "retention": "Kept for two years after the case closes, then securely deleted.",
        "security_measures": "Cyber Essentials Plus; transfers by SFTP; role-based access.",
        "rights_handling": "Each council handles requests about the data it holds.", "breach_notification_hours": 24,
        "onward_sharing_allowed": False, "onward_sharing_conditions": "", "commercial_use_allowed": False,
        "international_transfers": False, "international_transfer_details": "",
        "termination_arrangements": "Shared data is deleted within 30 days of termination.",
    })
    drafting.update_section(author, agreement, "assurance", {"dpia_status": "completed", "dpia_reference": "LDS-DPIA-2026-014", "dpia_date": today(), "dpo_consulted": True})
    drafting.update_section(author, agreement, "dates", {"start_date": start, "review_date": start + timedelta(days=365), "review_interval_months": 12, "end_date": start + timedelta(days=3 * 365)})
    draft = agreement.latest_version
    drafting.update_party(author, agreement, draft.parties[0].id, sharing_role="provider", controller_role="controller", legal_bases=BASES)
    for code in ("BRD", "KIR"):
        drafting.add_party(author, agreement, authority_by_code(code), sharing_role="recipient", controller_role="controller", legal_bases=BASES)
    parties = {p.authority.code: p for p in agreement.latest_version.parties}
    dataset = db.session.scalar(sa.select(Dataset).where(Dataset.authority_id == leeds.id, Dataset.name == DATASETS["LDS"][0]))
    for code, with_health in (("BRD", True), ("KIR", False)):
        drafting.add_flow(author, agreement, {
            "from_party_id": parties["LDS"].id, "to_party_id": parties[code].id, "dataset_id": dataset.id,
            "data_item_ids": [item.id for item in dataset.items if with_health or not item.special_category],
            "frequency": "periodic", "method": "SFTP", "volume": "About 300 families a month",
        })
    drafting.add_obligation(author, agreement, {
        "owed_by_party_id": parties["BRD"].id, "owed_to_party_id": parties["LDS"].id, "type": "security_standard",
        "description": "Hold Cyber Essentials Plus and send Leeds the certificate each year.", "due_kind": "recurring",
        "due_date": start + timedelta(days=90), "every_months": 12,
    })
    drafting.add_obligation(author, agreement, {
        "owed_by_party_id": parties["KIR"].id, "owed_to_party_id": None, "type": "breach_notification",
        "description": "Tell the other councils' data protection officers.", "due_kind": "event",
        "event": "a personal data breach involving the shared data", "within_hours": 24,
    })
    services.submit(author, agreement)
    return True


ACTIVE_TITLE = "Hospital discharge: housing adaptations for Leeds residents"


def load_active_agreement() -> bool:
    """Agree, approve and start a Leeds and Bradford agreement 100 days ago, unless it is there; return whether it was added.

    Bradford's annual certificate fell due 10 days ago and nobody has attested: it shows overdue.
    """
    if db.session.scalar(sa.select(AgreementVersion.id).where(AgreementVersion.title == ACTIVE_TITLE)):
        return False
    author = _contributor("LDS")
    leeds, bradford = authority_by_code("LDS"), authority_by_code("BRD")
    agreement = drafting.create_agreement(author, leeds, title=ACTIVE_TITLE, agreement_type="information_sharing")
    start = today() - timedelta(days=100)
    drafting.update_section(author, agreement, "purpose", {
        "purpose": "Arrange housing adaptations before residents leave hospital.", "functions_served": "Adult social care, housing",
        "benefits": "Fewer delayed discharges.", "necessity": "Only names, addresses and the adaptation needed are shared.",
    })
    drafting.update_section(author, agreement, "terms", {
        "retention": "Deleted six months after the adaptation is complete.", "security_measures": "Secure email; role-based access.",
        "rights_handling": "Each council handles requests about the data it holds.", "breach_notification_hours": 72,
        "onward_sharing_allowed": False, "onward_sharing_conditions": "", "commercial_use_allowed": False,
        "international_transfers": False, "international_transfer_details": "",
        "termination_arrangements": "Shared data is deleted within 30 days of termination.",
    })
    drafting.update_section(author, agreement, "assurance", {"dpia_status": "screened_out", "dpia_reference": "", "dpia_date": None, "dpo_consulted": True})
    drafting.update_section(author, agreement, "dates", {"start_date": start, "review_date": start + timedelta(days=180), "review_interval_months": 12, "end_date": None})
    draft = agreement.latest_version
    drafting.update_party(author, agreement, draft.parties[0].id, sharing_role="provider", controller_role="controller", legal_bases=BASES[:1])
    drafting.add_party(author, agreement, bradford, sharing_role="recipient", controller_role="controller", legal_bases=BASES[:1])
    parties = {p.authority.code: p for p in agreement.latest_version.parties}
    dataset = db.session.scalar(sa.select(Dataset).where(Dataset.authority_id == leeds.id, Dataset.name == DATASETS["LDS"][0]))
    drafting.add_flow(author, agreement, {
        "from_party_id": parties["LDS"].id, "to_party_id": parties["BRD"].id, "dataset_id": dataset.id,
        "data_item_ids": [item.id for item in dataset.items if item.name in ("Name", "Address")],
        "frequency": "on_request", "method": "Secure email", "volume": "About 20 residents a month",
    })
    drafting.add_obligation(author, agreement, {
        "owed_by_party_id": parties["BRD"].id, "owed_to_party_id": parties["LDS"].id, "type": "security_standard",
        "description": "Complete the Data Security and Protection Toolkit each year and send Leeds the result.",
        "due_kind": "recurring", "due_date": today() - timedelta(days=10), "every_months": 12,
    })
    drafting.add_obligation(author, agreement, {
        "owed_by_party_id": parties["LDS"].id, "owed_to_party_id": parties["BRD"].id, "type": "data_quality",
        "description": "Check addresses against the council tax register before sending.", "due_kind": "date",
        "due_date": today() + timedelta(days=45),
    })
    services.submit(author, agreement)
    for code in ("LDS", "BRD"):
        approver = user_by_email(f"approver@{ {'LDS': 'leeds', 'BRD': 'bradford'}[code] }.example.org")
        services.approve(approver, agreement, authority_by_code(code), content_hash=agreement.latest_version.content_hash)
    services.start(SCHEDULER, agreement)
    return True
