"""Saving a draft through the JSON API: SQL statements and milliseconds per save, on PostgreSQL and SQLite.

Builds a realistic draft through the registry's own services (Leeds leading, Bradford and
Kirklees as partners, each with its legal bases, two flows of Leeds's case records, two
obligations), then sends N saves of the `details` section (PATCH, alternating titles, so
each one changes something and writes its audit entry) through the Flask test client with
a real API token, as Leeds's contributor. It also times the other draft writes: changing a
party, and adding then removing a party, a flow and an obligation.

Each figure is per request, in process (no HTTP server): the median and the 95th percentile
of N requests, with the SQL statements each sent (counted by a before_cursor_execute
listener). Target: a details save in at most 10 statements and 8 ms on PostgreSQL.

    .venv/bin/python -m bench.section_save              # PostgreSQL (BENCH_POSTGRES_URL) and SQLite
    .venv/bin/python -m bench.section_save --verbose    # and the statements of one save of each kind
    .venv/bin/python -m bench.section_save -n 500 --postgres-only
"""

import argparse
import sqlite3
import statistics
import time
from datetime import timedelta

import sqlalchemy as sa

from registry.agreements import drafting
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
from registry.users import services as user_services
from registry.users.actors import COMMAND_LINE
from registry.users.roles import Role

from .setup import OUT, fresh_postgres, fresh_sqlite, machine, migrated_app

BASES = ["UKGDPR-A6-1-E", "UKGDPR-A9-2-G", "DPA2018-S1-P6"]
PASSWORD = "bench-passphrase-2026"
TARGET_STATEMENTS, TARGET_MS = 10, 8.0
WARM_UP = 300


class Statements:
    """Counts (and keeps) the SQL statements sent while it listens."""

    def __init__(self, engine) -> None:
        self.sent: list[str] = []
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, connection, cursor, statement, parameters, context, executemany) -> None:
        self.sent.append(statement)


def _council_people(code: str, councils: dict) -> object:
    authority = councils[code]
    user = user_services.create_user(COMMAND_LINE, email=f"contributor@{code.lower()}.bench", name=f"{authority.short_name} contributor",
                                     password=PASSWORD)
    user_services.grant_membership(COMMAND_LINE, user, authority, Role.CONTRIBUTOR)
    return user


def build() -> tuple[str, str, dict]:
    """Create the councils, legal bases, people, datasets and a complete draft; return its reference, a token and ids."""
    with unit_of_work():
        authority_services.import_councils(COMMAND_LINE, read_councils(BUNDLED_FILE))
        legal_services.import_legal_bases(COMMAND_LINE, read_legal_bases(LEGAL_FILE))
    councils = {a.code: a for a in db.session.scalars(sa.select(Authority).where(Authority.code.in_(["LDS", "BRD", "KIR", "WKF"])))}
    with unit_of_work():
        people = {code: _council_people(code, councils) for code in ("LDS", "BRD", "KIR")}
    author = people["LDS"]
    with unit_of_work():
        dataset = dataset_services.create_dataset(author, councils["LDS"], {
            "name": "Leeds case records", "description": "Children's social care cases", "data_subjects": "Children and families",
            "security_classification": "OFFICIAL-SENSITIVE", "system_of_record": "Mosaic", "owner_contact": "records@leeds.bench",
            "items": [{"name": "Name", "personal": True}, {"name": "Date of birth", "personal": True},
                      {"name": "Address", "personal": True}, {"name": "Health condition", "special_category": True},
                      {"name": "Case status"}],
        })
    start = today()
    with unit_of_work():
        agreement = drafting.create_agreement(author, councils["LDS"], title="Supporting families", agreement_type="information_sharing")
        drafting.update_section(author, agreement, "purpose", {
            "purpose": "Identify families who need early help.", "functions_served": "Children's services",
            "benefits": "Earlier support", "necessity": "Only the items listed are needed to match families."})
        drafting.update_section(author, agreement, "terms", {
            "retention": "Two years, then deleted.", "security_measures": "Encrypted at rest and in transit.",
            "rights_handling": "Each controller handles requests for its own data.", "breach_notification_hours": 24,
            "onward_sharing_allowed": False, "commercial_use_allowed": False, "international_transfers": False,
            "termination_arrangements": "Shared data is deleted within 30 days."})
        drafting.update_section(author, agreement, "assurance", {"dpia_status": "completed", "dpia_reference": "DPIA-42",
                                                                 "dpia_date": start, "dpo_consulted": True})
        drafting.update_section(author, agreement, "dates", {"start_date": start, "review_date": start + timedelta(days=365),
                                                             "review_interval_months": 12, "end_date": start + timedelta(days=3 * 365)})
        lead_party = agreement.latest_version.parties[0]
        drafting.update_party(author, agreement, lead_party.id, sharing_role="both", controller_role="controller", legal_bases=BASES)
        for code in ("BRD", "KIR"):
            drafting.add_party(author, agreement, councils[code], sharing_role="both", controller_role="controller", legal_bases=BASES)
        parties = {p.authority.code: p for p in agreement.latest_version.parties}
        items = [item.id for item in dataset.items]
        drafting.add_flow(author, agreement, {"from_party_id": parties["LDS"].id, "to_party_id": parties["BRD"].id,
                                              "dataset_id": dataset.id, "data_item_ids": items, "frequency": "periodic",
                                              "method": "SFTP", "volume": "500 a month"})
        drafting.add_flow(author, agreement, {"from_party_id": parties["LDS"].id, "to_party_id": parties["KIR"].id,
                                              "dataset_id": dataset.id, "data_item_ids": items[:3], "frequency": "on_request"})
        drafting.add_obligation(author, agreement, {
            "owed_by_party_id": parties["BRD"].id, "owed_to_party_id": parties["LDS"].id, "type": "security_standard",
            "description": "Hold Cyber Essentials Plus and send the certificate.", "due_kind": "recurring",
            "due_date": start + timedelta(days=90), "every_months": 12})
        drafting.add_obligation(author, agreement, {
            "owed_by_party_id": parties["KIR"].id, "owed_to_party_id": None, "type": "breach_notification",
            "description": "Tell the other parties about a breach.", "due_kind": "event",
            "event": "a personal data breach involving the shared data", "within_hours": 24})
    with unit_of_work():
        _, token = user_services.create_api_token(author, "bench")
    ids = {"lead": parties["LDS"].id, "partner": parties["BRD"].id, "dataset": dataset.id, "items": items}
    return agreement.reference, token, ids


def _figures(label: str, durations: list[float], counts: list[int]) -> dict:
    durations = sorted(durations)
    return {
        "label": label,
        "statements": statistics.median(counts),
        "statements_max": max(counts),
        "median": statistics.median(durations),
        "p95": durations[max(int(len(durations) * 0.95) - 1, 0)],
        "n": len(durations),
    }


def _timed(counter: Statements, call) -> tuple[float, int, list[str]]:
    """Send one request; return its milliseconds, the statements it sent, and them."""
    counter.sent.clear()
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code in (200, 201, 204), (response.status_code, response.get_data(as_text=True))
    return elapsed, len(counter.sent), list(counter.sent)


def _print_statements(label: str, sent: list[str]) -> None:
    print(f"  statements of one request ({label}):")
    for statement in sent:
        print("    " + " ".join(statement.split())[:160])


def run(url: str, name: str, saves: int, verbose: bool, section_only: bool = False) -> list[dict]:
    """Build the draft on the database at url and time each draft write `saves` times; return the figures."""
    app = migrated_app(url, OUT / f"section-save-{name}-instance")
    with app.app_context():
        reference, token, ids = build()
        if db.engine.dialect.name == "postgresql":
            # Creating the database and building the draft wrote a lot of WAL; write it out now
            # rather than have a checkpoint slow the commits being timed.
            db.session.execute(sa.text("CHECKPOINT"))
            db.session.commit()
        counter = Statements(db.engine)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/agreements/{reference}/draft"

    def details(n):
        return client.patch(f"{base}/details", headers=headers,
                            json={"title": f"Supporting families {n}", "agreement_type": "information_sharing"})

    def party(n):
        return client.put(f"{base}/parties/{ids['partner']}", headers=headers,
                          json={"sharing_role": "both" if n % 2 else "recipient", "controller_role": "controller",
                                "legal_bases": BASES})

    # Each added thing is removed again, so that the draft stays the same size throughout.
    additions = {
        "party": ("parties", {"authority_code": "WKF", "sharing_role": "recipient", "controller_role": "controller",
                              "legal_bases": BASES}),
        "flow": ("flows", {"from_party_id": ids["lead"], "to_party_id": ids["partner"], "dataset_id": ids["dataset"],
                           "data_item_ids": ids["items"][:2], "frequency": "one_off"}),
        "obligation": ("obligations", {"owed_by_party_id": ids["partner"], "type": "retention",
                                       "description": "Delete the data after two years.", "due_kind": "date",
                                       "due_date": (today() + timedelta(days=800)).isoformat()}),
    }

    # Warm up (compiled statements, prepared statements, the log's cached head, the token's
    # last use, written once a minute): the first few hundred requests are slower, by up to half.
    for n in range(WARM_UP):
        details(n)
    print(f"{name}: {saves} requests of each kind")
    results = []
    timings = [_timed(counter, lambda n=n: details(n)) for n in range(saves)]
    results.append(_figures("PATCH details (section save)", [t[0] for t in timings], [t[1] for t in timings]))
    if verbose:
        _print_statements("PATCH details", timings[-1][2])
    if not section_only:
        timings = [_timed(counter, lambda n=n: party(n)) for n in range(saves)]
        results.append(_figures("PUT party (change roles)", [t[0] for t in timings], [t[1] for t in timings]))
        if verbose:
            _print_statements("PUT party", timings[-1][2])
        for label, (kind, body) in additions.items():
            adds, removes = [], []
            for _ in range(max(saves // 2, 1)):
                made = []
                adds.append(_timed(counter, lambda: made.append(client.post(f"{base}/{kind}", headers=headers, json=body)) or made[0]))
                removes.append(_timed(counter, lambda: client.delete(f"{base}/{kind}/{made[0].get_json()['id']}", headers=headers)))
            results.append(_figures(f"POST {label} (add)", [t[0] for t in adds], [t[1] for t in adds]))
            results.append(_figures(f"DELETE {label} (remove)", [t[0] for t in removes], [t[1] for t in removes]))
            if verbose:
                _print_statements(f"POST {label}", adds[-1][2])
                _print_statements(f"DELETE {label}", removes[-1][2])
    for figures in results:
        print(f"  {figures['label']:<30} {figures['statements']:>4g} statements (max {figures['statements_max']})   "
              f"median {figures['median']:6.2f} ms   p95 {figures['p95']:6.2f} ms   ({figures['n']} requests)")
    with app.app_context():
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--saves", type=int, default=200, help="requests of each kind (default 200)")
    parser.add_argument("--verbose", action="store_true", help="print the statements of one request of each kind")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--section-only", action="store_true", help="time only the section save")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    postgres_url = fresh_postgres("registry_bench_section_save")
    print(f"database: PostgreSQL ({postgres_url.rsplit('@', 1)[-1]})")
    postgres = run(postgres_url, "postgresql", args.saves, args.verbose, args.section_only)
    if not args.postgres_only:
        print(f"database: SQLite {sqlite3.sqlite_version} (bench/out/section-save.sqlite3)")
        run(fresh_sqlite(OUT / "section-save.sqlite3"), "sqlite", args.saves, args.verbose, args.section_only)
    save = postgres[0]
    print(f"PostgreSQL details save: {save['statements']:g} statements, median {save['median']:.2f} ms, p95 {save['p95']:.2f} ms "
          f"(target: at most {TARGET_STATEMENTS} statements and {TARGET_MS:g} ms)")


if __name__ == "__main__":
    main()
