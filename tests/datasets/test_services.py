"""The dataset use cases: who may make each change, the rules they keep, and the audit entry each writes."""

import json
from datetime import date

import pytest
import sqlalchemy as sa

from registry.agreements.models import Agreement, AgreementVersion, Flow, Party
from registry.auditlog.models import AuditEntry
from registry.auditlog.recording import commitment
from registry.users.actors import COMMAND_LINE
from registry.core.errors import Conflict, PermissionDenied, ValidationFailed
from registry.core.unit_of_work import unit_of_work
from registry.datasets import services
from registry.datasets.models import DataItem, Dataset
from registry.extensions import db
from registry.users.models import Membership
from tests.factories import make_authority, make_dataset, make_user
from tests.snapshots import database_snapshot

SOCIAL_CARE = {
    "name": "Adult social care case records",
    "description": "Assessments, care plans and reviews.",
    "data_subjects": "Adults receiving care and support",
    "security_classification": "OFFICIAL-SENSITIVE",
    "system_of_record": "Case management system",
    "owner_contact": "jo.bloggs@leeds.example.gov.uk",
    "items": [
        {"name": "NHS number", "personal": True},
        {"name": "Health condition", "special_category": True},
        {"name": "Count of visits"},
    ],
}


def _entries(action: str) -> list[dict]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.index))
    return [json.loads(row.entry) for row in rows]


def _used_in_agreement(item: DataItem, other_authority, reference: str = "DSA-2026-0001") -> None:
    """Put the item in a data flow of a draft agreement between its owner and another authority."""
    agreement = Agreement(reference=reference, lead_authority=item.dataset.authority)
    version = AgreementVersion(agreement=agreement, title="Hospital discharge")
    provider = Party(version=version, authority=item.dataset.authority, sharing_role="provider")
    recipient = Party(version=version, authority=other_authority, sharing_role="recipient")
    db.session.add(Flow(version=version, from_party=provider, to_party=recipient, dataset=item.dataset, data_items=[item]))
    db.session.commit()


def test_contributor_creates_a_dataset_with_its_items(leeds, contributor):
    with unit_of_work():
        created = services.create_dataset(contributor, leeds, SOCIAL_CARE)

    dataset = db.session.get(Dataset, created.id)
    assert dataset.authority == leeds
    assert dataset.security_classification == "OFFICIAL-SENSITIVE"
    assert [(i.name, i.personal, i.special_category) for i in dataset.items] == [
        ("NHS number", True, False),
        ("Health condition", True, True),
        ("Count of visits", False, False),
    ]


def test_approver_may_add_datasets_too(leeds):
    approver = make_user(memberships={leeds: "approver"})
    with unit_of_work():
        services.create_dataset(approver, leeds, {"name": "Council tax accounts"})
    assert db.session.scalar(sa.select(Dataset.name)) == "Council tax accounts"


@pytest.mark.parametrize("category", ["special_category", "criminal_offence"])
def test_special_category_and_criminal_offence_items_are_marked_personal(dataset, contributor, category):
    with unit_of_work():
        item = services.add_data_item(contributor, dataset, {"name": "Sensitive item", "personal": False, category: True})
    assert db.session.get(DataItem, item.id).personal is True


def test_an_item_ticked_as_nothing_is_not_personal(dataset, contributor):
    with unit_of_work():
        item = services.add_data_item(contributor, dataset, {"name": "Count of cases"})
    assert db.session.get(DataItem, item.id).category == "Not personal"


def test_a_dataset_name_is_unique_within_its_authority_whatever_the_case(leeds, contributor, dataset):
    with pytest.raises(ValidationFailed) as failure:
        services.create_dataset(contributor, leeds, {"name": "ADULT social care case records"})
    assert failure.value.fields == {"name": ["Leeds City Council already has a dataset called ADULT social care case records"]}


def test_another_authority_may_use_the_same_dataset_name(dataset):
    bradford = make_authority(code="BRD", name="Bradford Council")
    with unit_of_work():
        services.create_dataset(make_user(memberships={bradford: "contributor"}), bradford, {"name": dataset.name})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Dataset)) == 2


def test_items_created_with_a_dataset_must_have_different_names(leeds, contributor):
    items = [{"name": "Date of birth", "personal": True}, {"name": "date of birth"}]
    with pytest.raises(ValidationFailed) as failure:
        services.create_dataset(contributor, leeds, {"name": "Register", "items": items})
    assert failure.value.fields == {"items.1.name": ["There is already a data item called date of birth"]}


def test_an_unknown_classification_is_refused(leeds, contributor):
    with pytest.raises(ValidationFailed) as failure:
        services.create_dataset(contributor, leeds, {"name": "Register", "security_classification": "SECRET"})
    assert failure.value.fields == {"security_classification": ["Select OFFICIAL or OFFICIAL-SENSITIVE"]}


def test_an_ended_authority_cannot_have_new_datasets(app):
    ended = make_authority(code="CMA", name="Cumbria County Council", end_date=date(2023, 3, 31))
    member = make_user()
    # A membership granted while the council existed: granting one now would be refused.
    db.session.add(Membership(user=member, authority=ended, role="contributor"))
    db.session.commit()

    with pytest.raises(ValidationFailed) as failure:
        services.create_dataset(member, ended, {"name": "Highways defects"})
    assert failure.value.fields == {
        "authority_code": ["Cumbria County Council has ended: add the dataset to its successor instead"]
    }


@pytest.mark.parametrize("who", ["viewer", "contributor elsewhere", "admin", "auditor", "command line"])
def test_only_contributors_and_approvers_of_the_owner_add_datasets(leeds, who):
    elsewhere = make_authority(code="BRD")
    actor = {
        "viewer": lambda: make_user(memberships={leeds: "viewer"}),
        "contributor elsewhere": lambda: make_user(memberships={elsewhere: "contributor"}),
        "admin": lambda: make_user(system_role="admin"),
        "auditor": lambda: make_user(system_role="auditor"),
        "command line": lambda: COMMAND_LINE,
    }[who]()
    with pytest.raises(PermissionDenied, match="Only contributors and approvers of Leeds City Council"):
        services.create_dataset(actor, leeds, {"name": "Register"})


def test_an_administrator_who_is_also_a_contributor_manages_the_datasets(leeds, dataset):
    admin_and_contributor = make_user(system_role="admin", memberships={leeds: "contributor"})
    with unit_of_work():
        services.update_dataset(admin_and_contributor, dataset, {"description": "Changed"})
    assert db.session.get(Dataset, dataset.id).description == "Changed"


def test_update_changes_only_the_fields_given(dataset, contributor):
    with unit_of_work():
        services.update_dataset(contributor, dataset, {"security_classification": "OFFICIAL-SENSITIVE"})
    changed = db.session.get(Dataset, dataset.id)
    assert changed.security_classification == "OFFICIAL-SENSITIVE"
    assert changed.name == "Adult social care case records"


def test_a_dataset_may_be_renamed_in_another_case(dataset, contributor):
    with unit_of_work():
        services.update_dataset(contributor, dataset, {"name": "ADULT SOCIAL CARE CASE RECORDS"})
    assert db.session.get(Dataset, dataset.id).name == "ADULT SOCIAL CARE CASE RECORDS"


def test_renaming_to_another_datasets_name_is_refused(leeds, dataset, contributor):
    other = make_dataset(authority=leeds, name="Housing register")
    with pytest.raises(ValidationFailed) as failure:
        services.update_dataset(contributor, other, {"name": dataset.name})
    assert failure.value.fields == {"name": ["Leeds City Council already has a dataset called Adult social care case records"]}


def test_an_update_that_changes_nothing_writes_no_entry(dataset, contributor):
    before = database_snapshot()
    with unit_of_work():
        services.update_dataset(contributor, dataset, {"name": dataset.name})
    assert database_snapshot() == before


def test_an_item_name_is_unique_within_its_dataset(dataset, contributor):
    with pytest.raises(ValidationFailed) as failure:
        services.add_data_item(contributor, dataset, {"name": "health condition"})
    assert failure.value.fields == {"name": ["Adult social care case records already has a data item called health condition"]}


def test_an_item_may_keep_its_own_name_when_changed(dataset, contributor):
    item = dataset.items[0]
    with unit_of_work():
        services.update_data_item(contributor, item, {"name": item.name, "criminal_offence": True})
    assert db.session.get(DataItem, item.id).criminal_offence is True


def test_making_an_item_special_category_makes_it_personal(leeds, contributor):
    dataset = make_dataset(authority=leeds, items=[("Postcode district", "none")])
    item = dataset.items[0]
    with unit_of_work():
        services.update_data_item(contributor, item, {"special_category": True})
    changed = db.session.get(DataItem, item.id)
    assert (changed.name, changed.personal, changed.special_category) == ("Postcode district", True, True)


def test_renaming_an_item_to_another_items_name_is_refused(dataset, contributor):
    with pytest.raises(ValidationFailed):
        services.update_data_item(contributor, dataset.items[0], {"name": "Health condition"})


def test_adding_an_item_changes_when_the_dataset_was_last_changed(dataset, contributor):
    before = dataset.updated_at
    with unit_of_work():
        services.add_data_item(contributor, dataset, {"name": "Address", "personal": True})
    assert db.session.get(Dataset, dataset.id).updated_at > before


def test_contributor_removes_an_item(dataset, contributor):
    item_id = dataset.items[0].id
    with unit_of_work():
        services.remove_data_item(contributor, dataset.items[0])
    assert db.session.get(DataItem, item_id) is None
    assert [i.name for i in db.session.get(Dataset, dataset.id).items] == ["Health condition"]


def test_an_item_used_in_an_agreement_cannot_be_removed(dataset, contributor):
    _used_in_agreement(dataset.items[1], make_authority(code="NHS-RR8", type="NHS_TRUST", ods_code="RR8"))
    before = database_snapshot()

    with pytest.raises(Conflict) as conflict:
        with unit_of_work():
            services.remove_data_item(contributor, db.session.get(Dataset, dataset.id).items[1])

    assert conflict.value.message == "Health condition is used in agreement DSA-2026-0001, so it cannot be removed."
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("change", "action"),
    [
        (lambda actor, d: services.create_dataset(actor, d.authority, {"name": "Housing register"}), "dataset.create"),
        (lambda actor, d: services.update_dataset(actor, d, {"name": "Renamed"}), "dataset.update"),
        (lambda actor, d: services.add_data_item(actor, d, {"name": "Address", "personal": True}), "dataset.add_item"),
        (lambda actor, d: services.update_data_item(actor, d.items[0], {"name": "Full name"}), "dataset.update_item"),
        (lambda actor, d: services.remove_data_item(actor, d.items[0]), "dataset.remove_item"),
    ],
)
def test_each_change_is_recorded_for_the_owner_by_the_person_who_made_it(dataset, contributor, change, action):
    with unit_of_work():
        change(contributor, dataset)
    (entry,) = _entries(action)
    assert entry["actor"] == {"type": "user", "id": contributor.id}
    assert entry["authorities"] == ["LDS"]
    assert entry["object"]["type"] == "dataset"


def test_the_creation_entry_lists_items_and_commits_to_free_text(leeds, contributor):
    with unit_of_work():
        dataset = services.create_dataset(contributor, leeds, SOCIAL_CARE)
    (entry,) = _entries("dataset.create")

    assert entry["object"] == {"type": "dataset", "ref": str(dataset.id)}
    assert entry["data"]["name"] == "Adult social care case records"
    assert entry["data"]["owner_contact_sha256"] == commitment("jo.bloggs@leeds.example.gov.uk")
    assert entry["data"]["items"][1] == {
        "id": dataset.items[1].id,
        "name": "Health condition",
        "personal": True,
        "special_category": True,
        "criminal_offence": False,
    }


def test_no_free_text_reaches_the_log(leeds, contributor):
    with unit_of_work():
        dataset = services.create_dataset(contributor, leeds, SOCIAL_CARE)
    with unit_of_work():
        services.update_dataset(
            contributor, dataset, {"owner_contact": "someone.else@leeds.example.gov.uk", "description": "New"}
        )

    log = b"".join(db.session.scalars(sa.select(AuditEntry.entry)))
    for text in ("jo.bloggs", "someone.else", "Assessments, care plans", "Adults receiving", "Case management system"):
        assert text.encode() not in log


def test_an_update_entry_names_the_fields_changed(dataset, contributor):
    with unit_of_work():
        services.update_dataset(
            contributor,
            dataset,
            {"security_classification": "OFFICIAL-SENSITIVE", "owner_contact": "data@leeds.example.gov.uk"},
        )
    (entry,) = _entries("dataset.update")
    assert entry["data"]["changes"] == {
        "security_classification": {"from": "OFFICIAL", "to": "OFFICIAL-SENSITIVE"},
        "owner_contact_sha256": {"from": commitment(""), "to": commitment("data@leeds.example.gov.uk")},
    }


def test_an_item_change_entry_names_the_item_and_its_categories(dataset, contributor):
    item = dataset.items[0]
    with unit_of_work():
        services.update_data_item(contributor, item, {"criminal_offence": True})
    (entry,) = _entries("dataset.update_item")
    assert entry["data"] == {"item": item.id, "changes": {"criminal_offence": {"from": False, "to": True}}}
