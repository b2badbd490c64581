"""The datasets each body in the demonstration holds, added by its contributor as anyone would add them."""

import sqlalchemy as sa

from registry.authorities.queries import authority_by_code
from registry.datasets import services as dataset_services
from registry.datasets.models import Dataset
from registry.extensions import db
from registry.users.queries import user_by_email

from .data import BRADFORD, CALDERDALE, CHARITY, ICB, KIRKLEES, LEEDS, POLICE, WAKEFIELD, contributor_email

P, S, C = "personal", "special", "criminal"

# (body, name, classification, data subjects, [(item, kind)]). Items are looked up by name in agreements.py.
DATASETS = (
    (LEEDS, "Early help case records", "OFFICIAL-SENSITIVE", "Children and families",
     [("Name", P), ("Date of birth", P), ("Address", P), ("School attendance", P), ("Health needs", S)]),
    (LEEDS, "Adult social care client index", "OFFICIAL-SENSITIVE", "Adults receiving care and support",
     [("Name", P), ("NHS number", P), ("Address", P), ("Care needs", S)]),
    (BRADFORD, "Children's social care referrals", "OFFICIAL-SENSITIVE", "Children referred to social care",
     [("Name", P), ("Date of birth", P), ("Reason for referral", P)]),
    (BRADFORD, "Pupil attendance returns", "OFFICIAL", "Pupils at Bradford schools",
     [("Name", P), ("Unique pupil number", P), ("Sessions missed", P)]),
    (KIRKLEES, "Housing support register", "OFFICIAL-SENSITIVE", "Tenants and applicants",
     [("Name", P), ("Address", P), ("Tenancy status", P)]),
    (KIRKLEES, "Drug and alcohol service records", "OFFICIAL-SENSITIVE", "People in treatment",
     [("NHS number", P), ("Treatment outcome", S)]),
    (CALDERDALE, "Council tax accounts", "OFFICIAL", "Council tax payers",
     [("Name", P), ("Address", P), ("Single person discount", P)]),
    (CALDERDALE, "Carers' assessments", "OFFICIAL-SENSITIVE", "Unpaid carers",
     [("Name", P), ("Address", P), ("Caring role", P), ("Carer's own health", S)]),
    (WAKEFIELD, "Homelessness casework", "OFFICIAL-SENSITIVE", "Households at risk of homelessness",
     [("Name", P), ("Date of birth", P), ("Address", P), ("Support needs", S)]),
    (ICB, "Population health extract", "OFFICIAL-SENSITIVE", "Patients registered with West Yorkshire GPs",
     [("NHS number", P), ("Date of birth", P), ("Postcode", P), ("Long-term conditions", S), ("Frailty score", S)]),
    (POLICE, "Domestic abuse incident notifications", "OFFICIAL-SENSITIVE", "Victims and children in the household",
     [("Victim's name", P), ("Address", P), ("Children in the household", P), ("Incident summary", C), ("Risk level", P)]),
    (CHARITY, "Family support referrals", "OFFICIAL-SENSITIVE", "Families the charity supports",
     [("Name", P), ("Address", P), ("Support plan", P)]),
)


def dataset_named(code: str, name: str) -> Dataset:
    """Return the demo dataset of this name held by the body with this code."""
    authority = authority_by_code(code)
    return db.session.scalar(sa.select(Dataset).where(Dataset.authority_id == authority.id, Dataset.name == name))


def load_datasets() -> int:
    """Give each body its datasets, added by its contributor, unless they are there; return how many were added."""
    added = 0
    for code, name, classification, subjects, items in DATASETS:
        if dataset_named(code, name) is not None:
            continue
        dataset_services.create_dataset(
            user_by_email(contributor_email(code)), authority_by_code(code),
            {"name": name, "description": "Demonstration data", "data_subjects": subjects,
             "security_classification": classification, "system_of_record": "", "owner_contact": "Information governance team",
             "items": [{"name": item, "personal": True, "special_category": kind == S, "criminal_offence": kind == C}
                       for item, kind in items]},
        )
        added += 1
    return added
