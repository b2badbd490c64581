"""The cost of telling people: the last approval of a 50-party agreement, with and without its 150 people to tell.

Fifty councils, each with two approvers and a contributor (150 people), share an agreement
led by the first. Every party but the lead has approved it; the lead's approver gives the
last approval through the JSON API (POST /transitions), which puts the agreement in force and
tells the approvers and contributors of every party (149 people: not the one approving): an
inbox entry each and, as each chose (email, the default), an email in the outbox, all in the
approve request's own transaction.

"Without" is the same request on an identical agreement with the notifications' approval
teller switched off, so nobody is told; runs alternate between the two so both see the same
machine. Each figure is the median of the requests, in process (Flask's test client).
Target: telling adds at most 20% to the approve request.

    .venv/bin/python -m bench.notify_cost                 # PostgreSQL (BENCH_POSTGRES_URL) and SQLite
    .venv/bin/python -m bench.notify_cost --postgres-only
"""

import argparse
import statistics
import time
from datetime import timedelta

import sqlalchemy as sa

from registry.agreements import drafting, services as agreement_services
from registry.agreements.statuses import Action
from registry.authorities import services as authority_services
from registry.authorities.models import Authority
from registry.authorities.reference import BUNDLED_FILE, read_councils
from registry.core.clock import today
from registry.core.unit_of_work import unit_of_work
from registry.datasets import services as dataset_services
from registry.extensions import db
from registry.legal import services as legal_services
from registry.legal.reference import BUNDLED_FILE as LEGAL_FILE
from registry.legal.reference import read_legal_bases
from registry.notifications import workflow_messages
from registry.notifications.models import Notice, Notification
from registry.users import services as user_services
from registry.users.actors import COMMAND_LINE
from registry.users.roles import Role

from .setup import OUT, fresh_postgres, fresh_sqlite, machine, migrated_app

PARTIES = 50
PAIRS = 15  # agreements each way
BASES = ["UKGDPR-A6-1-E"]
PASSWORD = "bench-passphrase-2026"
TARGET = 1.20


def _people(councils: list[Authority]) -> dict[int, dict[str, object]]:
    """Give each council two approvers and a contributor; return them by authority id."""
    people = {}
    for n, council in enumerate(councils):
        made = {}
        for role, label in ((Role.APPROVER, "approver"), (Role.APPROVER, "second-approver"), (Role.CONTRIBUTOR, "contributor")):
            user = user_services.create_user(COMMAND_LINE, email=f"{label}@c{n}.bench", name=f"{council.name} {label}", password=PASSWORD)
            user_services.grant_membership(COMMAND_LINE, user, council, role)
            made[label] = user
        people[council.id] = made
    return people


def _dataset(councils: list[Authority], people: dict):
    """Give the lead council a dataset to share."""
    lead = councils[0]
    return dataset_services.create_dataset(people[lead.id]["contributor"], lead, {
        "name": "Children's case records", "description": "Cases", "data_subjects": "Children and families",
        "security_classification": "OFFICIAL-SENSITIVE", "system_of_record": "Mosaic", "owner_contact": "records@c0.bench",
        "items": [{"name": "Name", "personal": True}, {"name": "Case status"}]})


def _agreement_waiting_for_the_lead(councils: list[Authority], people: dict, dataset) -> str:
    """Build a complete 50-party agreement, submit it, and have every party but the lead approve; return its reference."""
    lead = councils[0]
    author = people[lead.id]["contributor"]
    start = today() + timedelta(days=30)
    with unit_of_work():
        agreement = drafting.create_agreement(author, lead, title="Regional safeguarding network", agreement_type="information_sharing")
        drafting.update_section(author, agreement, "purpose", {
            "purpose": "Safeguard children across the region.", "functions_served": "Children's services",
            "benefits": "Earlier help", "necessity": "Only what each case needs."})
        drafting.update_section(author, agreement, "terms", {
            "retention": "Two years.", "security_measures": "Encrypted.", "rights_handling": "Each controller.",
            "breach_notification_hours": 24, "onward_sharing_allowed": False, "commercial_use_allowed": False,
            "international_transfers": False, "termination_arrangements": "Deleted within 30 days."})
        drafting.update_section(author, agreement, "assurance", {"dpia_status": "completed", "dpia_reference": "DPIA-1",
                                                                 "dpia_date": today(), "dpo_consulted": True})
        drafting.update_section(author, agreement, "dates", {"start_date": start, "review_date": start + timedelta(days=365),
                                                             "review_interval_months": 12, "end_date": None})
        drafting.update_party(author, agreement, agreement.latest_version.parties[0].id, sharing_role="both",
                              controller_role="controller", legal_bases=BASES)
        for council in councils[1:]:
            drafting.add_party(author, agreement, council, sharing_role="both", controller_role="controller", legal_bases=BASES)
        parties = agreement.latest_version.parties
        drafting.add_flow(author, agreement, {"from_party_id": parties[0].id, "to_party_id": parties[1].id, "dataset_id": dataset.id,
                                              "data_item_ids": [item.id for item in dataset.items], "frequency": "periodic"})
        for party in parties[1:4]:
            drafting.add_obligation(author, agreement, {
                "owed_by_party_id": party.id, "owed_to_party_id": parties[0].id, "type": "security_standard",
                "description": "Hold Cyber Essentials Plus.", "due_kind": "recurring", "due_date": start + timedelta(days=90),
                "every_months": 12})
        agreement_services.submit(author, agreement)
    with unit_of_work():
        content_hash = agreement.latest_version.content_hash
        for council in councils[1:]:
            agreement_services.approve(people[council.id]["approver"], agreement, council, content_hash=content_hash)
    return agreement.reference


def fifty_councils_with_people() -> tuple[list[Authority], dict, object]:
    """Load the reference data; give the first 50 current councils an approver, a second approver
    and a contributor each, and the first a dataset; return (councils, their people, the dataset)."""
    with unit_of_work():
        authority_services.import_councils(COMMAND_LINE, read_councils(BUNDLED_FILE))
        legal_services.import_legal_bases(COMMAND_LINE, read_legal_bases(LEGAL_FILE))
    councils = list(db.session.scalars(
        sa.select(Authority).where(Authority.end_date.is_(None)).order_by(Authority.code).limit(PARTIES)))
    with unit_of_work():
        people = _people(councils)
        dataset = _dataset(councils, people)
    return councils, people, dataset


def run(url: str, name: str, pairs: int) -> tuple[float, float, int]:
    """Build the agreements on the database at url and time the last approvals; return (with, without, people told)."""
    app = migrated_app(url, OUT / f"notify-cost-{name}-instance")
    with app.app_context():
        councils, people, dataset = fifty_councils_with_people()
        lead_approver = people[councils[0].id]["approver"]
        with unit_of_work():
            _, token = user_services.create_api_token(lead_approver, "bench")
        print(f"{name}: building {2 * pairs} agreements of {PARTIES} parties, each approved by all but the lead", flush=True)
        started = time.perf_counter()
        references = [_agreement_waiting_for_the_lead(councils, people, dataset) for _ in range(2 * pairs + 2)]
        hashes = {ref: db.session.scalar(sa.text(
            "SELECT v.content_hash FROM agreements a JOIN agreement_versions v ON v.id = a.latest_version_id WHERE a.reference = :r"
        ), {"r": ref}) for ref in references}
        db.session.commit()
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def approve(reference: str) -> float:
        started = time.perf_counter()
        response = client.post(f"/api/v1/agreements/{reference}/transitions", headers=headers,
                                json={"action": "approve", "content_hash": hashes[reference]})
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.get_json()
        return elapsed

    teller = workflow_messages.TELLERS[Action.APPROVE]
    warm_with, warm_without, *rest = references
    approve(warm_with)
    workflow_messages.TELLERS[Action.APPROVE] = lambda event: None
    approve(warm_without)
    workflow_messages.TELLERS[Action.APPROVE] = teller
    with_telling, without_telling = [], []
    for n in range(pairs):
        with_telling.append(approve(rest[2 * n]))
        workflow_messages.TELLERS[Action.APPROVE] = lambda event: None
        try:
            without_telling.append(approve(rest[2 * n + 1]))
        finally:
            workflow_messages.TELLERS[Action.APPROVE] = teller
    with app.app_context():
        told = db.session.scalar(sa.select(sa.func.count()).select_from(Notification).join(Notice).where(Notice.kind == "in_force"))
        per_agreement = told // (pairs + 1)
        db.engine.dispose()
    a, b = statistics.median(with_telling), statistics.median(without_telling)
    print(f"  {pairs} last approvals each way, alternating; {per_agreement} people told of each")
    print(f"  without telling anyone: median {b * 1000:.1f} ms")
    print(f"  telling {per_agreement} people:     median {a * 1000:.1f} ms   ({a / b:.2f}x, target at most {TARGET:.2f}x)")
    return a, b, per_agreement


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=PAIRS, help=f"agreements timed each way (default {PAIRS})")
    parser.add_argument("--postgres-only", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    postgres_url = fresh_postgres("registry_bench_notify_cost")
    print(f"database: PostgreSQL ({postgres_url.rsplit('@', 1)[-1]})")
    run(postgres_url, "postgresql", args.pairs)
    if not args.postgres_only:
        print("database: SQLite (bench/out/notify-cost.sqlite3)")
        run(fresh_sqlite(OUT / "notify-cost.sqlite3"), "sqlite", args.pairs)


if __name__ == "__main__":
    main()
