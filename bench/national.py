"""A national registry on PostgreSQL: every current UK council, 20,000 datasets, 100,000 agreements.

Builds the data (agreements with their versions, parties, legal bases, flows, approvals,
history and audit entries, and the sign-off cycles summarised from that history), then
times the agreements list with filters, the agreement page and the sign-off speed pages
against a bare page of the same app, and counts SQL queries per page. The history is a
believable one: each agreement is created, submitted (sometimes sent back for changes and
submitted again), approved by its parties one by one over days or weeks, started, and maybe
amended, reviewed, suspended or ended.

Targets: the list, the agreement page and the sign-off pages each answer in under 100 ms at
the 95th percentile; the number of queries does not grow with the rows shown.

    .venv/bin/python -m bench.national            # builds once (about 10 minutes), then measures
    .venv/bin/python -m bench.national --rebuild  # builds again
"""

import hashlib
import math
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

import rfc8785
import sqlalchemy as sa

from registry.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementVersion,
    Approval,
    Flow,
    Party,
    flow_data_items,
    party_legal_bases,
)
from registry.auditlog import appending, entries, keys
from registry.auditlog.models import AuditEntry, AuditEntryAuthority, AuditHash, AuditLogHead
from registry.auth.passwords import hash_password
from registry.authorities import services as authority_services
from registry.authorities.models import Authority
from registry.authorities.reference import BUNDLED_FILE, read_councils
from registry.users.actors import COMMAND_LINE
from registry.core.clock import today
from registry.datasets.models import DataItem, Dataset
from registry.extensions import db
from registry.legal import services as legal_services
from registry.legal.models import LegalBasis
from registry.legal.reference import BUNDLED_FILE as LEGAL_FILE
from registry.legal.reference import read_legal_bases
from registry.signoff import cycles
from registry.users.models import Membership, User

from .setup import OUT, POSTGRES_ADMIN_URL, machine, migrated_app


# BENCH_NATIONAL_DATABASE names another database, so that two worktrees can each keep their own.
DATABASE = os.environ.get("BENCH_NATIONAL_DATABASE", "registry_bench_national")
DATASETS = 20_000
AGREEMENTS = 100_000
PASSWORD = "bench-passphrase-2026"
random.seed(2026)

STATUSES = ["active"] * 60 + ["proposed"] * 8 + ["draft"] * 8 + ["under_review"] * 6 + ["terminated"] * 8 + ["expired"] * 5 + ["suspended"] * 2 + ["approved"] * 3
# Every title names a service area (common words, each in about one agreement in seven)
# and a topic (rare words, as real titles are varied: each in about one in 1,500).
WORDS = "children families adults health housing safeguarding education police fire youth justice care benefits schools".split()
TOPICS = [a + b + c for a in ("bra", "cle", "dun", "fal", "gor", "hol", "kin", "lam", "mor", "nor") for b in ("ba", "de", "ki", "lo", "mu", "ne", "pa", "ri") for c in ("dale", "ford", "ham", "ley", "ton", "wick", "by", "field")]
ITEM_NAMES = [("Name", "personal"), ("Date of birth", "personal"), ("Address", "personal"), ("NHS number", "personal"),
              ("Health condition", "special"), ("Ethnicity", "special"), ("Offence history", "criminal"), ("Case status", "none")]


def _url():
    return sa.make_url(POSTGRES_ADMIN_URL).set(database=DATABASE).render_as_string(hide_password=False)


def _exists() -> bool:
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        found = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": DATABASE}).scalar()
    admin.dispose()
    return bool(found)


def _insert(table, rows, chunk=5000):
    for start in range(0, len(rows), chunk):
        db.session.execute(sa.insert(table), rows[start : start + chunk])


def _document(reference, number, title, lead, parties, flows, start, review, end):
    return {
        "format": 1, "reference": reference, "version": number, "title": title, "type": "information_sharing",
        "lead_authority": lead.code,
        "purpose": {"purpose": f"{title}: better services", "functions_served": "", "benefits": "", "necessity": "Only what is needed."},
        "parties": [{"authority": a.code, "name": a.name, "sharing_role": "both", "controller_role": "controller", "legal_bases": codes}
                    for a, codes in sorted(parties, key=lambda p: p[0].code)],
        "flows": flows,
        "terms": {"retention": "Two years", "security_measures": "Encrypted", "rights_handling": "", "breach_notification_hours": 24,
                  "onward_sharing_allowed": False, "onward_sharing_conditions": "", "commercial_use_allowed": False,
                  "international_transfers": False, "international_transfer_details": "", "termination_arrangements": ""},
        "assurance": {"dpia_status": "completed", "dpia_reference": "DPIA", "dpia_date": start.isoformat(), "dpo_consulted": True},
        "dates": {"start": start.isoformat(), "review": review.isoformat(), "review_interval_months": 12, "end": end.isoformat()},
    }


def build() -> None:
    """Create every table's rows in bulk, the audit log through the registry's own append code."""
    started = time.perf_counter()
    authority_services.import_councils(COMMAND_LINE, read_councils(BUNDLED_FILE))
    legal_services.import_legal_bases(COMMAND_LINE, read_legal_bases(LEGAL_FILE))
    db.session.commit()
    print(f"  councils and legal bases ({time.perf_counter() - started:.0f} s)", flush=True)
    now = datetime.now(UTC)
    councils = [a for a in db.session.scalars(sa.select(Authority)) if a.is_current(today())]
    bases = {b.code: b for b in db.session.scalars(sa.select(LegalBasis))}
    basis_sets = [["UKGDPR-A6-1-E", "UKGDPR-A9-2-G", "DPA2018-S1-P6", "GW-CDA1998-S115"],
                  ["UKGDPR-A6-1-E", "UKGDPR-A9-2-H", "DPA2018-S1-P2"], ["UKGDPR-A6-1-C", "GW-DEA2017-S35"]]
    basis_sets = [[c for c in s if c in bases] for s in basis_sets]

    password_hash = hash_password(PASSWORD)
    users, memberships = [], []
    for n, council in enumerate(councils, start=1):
        users.append({"id": n, "email": f"approver@{council.code.lower()}.bench", "name": f"{council.short_name} approver",
                      "password_hash": password_hash, "active": True, "created_at": now, "system_role": None})
        memberships.append({"user_id": n, "authority_id": council.id, "role": "approver", "created_at": now})
    users.append({"id": len(councils) + 1, "email": "auditor@registry.bench", "name": "Auditor", "password_hash": password_hash,
                  "active": True, "created_at": now, "system_role": "auditor"})
    _insert(User.__table__, users)
    _insert(Membership.__table__, memberships)

    datasets, items, items_of = [], [], {}
    item_id = 0
    for dataset_id in range(1, DATASETS + 1):
        owner = councils[dataset_id % len(councils)]
        datasets.append({"id": dataset_id, "authority_id": owner.id, "name": f"{random.choice(WORDS).capitalize()} records {dataset_id}",
                         "description": "", "data_subjects": "Residents", "security_classification": "OFFICIAL-SENSITIVE",
                         "system_of_record": "", "owner_contact": "", "created_at": now, "updated_at": now})
        items_of[dataset_id] = []
        for name, kind in random.sample(ITEM_NAMES, 5):
            item_id += 1
            items.append({"id": item_id, "dataset_id": dataset_id, "name": name, "personal": kind != "none",
                          "special_category": kind == "special", "criminal_offence": kind == "criminal"})
            items_of[dataset_id].append((item_id, name, kind))
    _insert(Dataset.__table__, datasets)
    _insert(DataItem.__table__, items)
    datasets_of = {}
    for row in datasets:
        datasets_of.setdefault(row["authority_id"], []).append(row)
    db.session.commit()
    print(f"  {len(users):,} users, {DATASETS:,} datasets ({time.perf_counter() - started:.0f} s)", flush=True)

    log_key, entry_key = keys.signer("log"), keys.signer("entry")
    head = db.session.get(AuditLogHead, 1)
    log_index, frontier, origin = head.size, head.frontier, keys.origin()
    version_id = party_id = flow_id = event_id = approval_id = 0
    batch = {name: [] for name in ("agreements", "versions", "parties", "plb", "flows", "fdi", "approvals", "events", "audit", "audit_authorities", "hashes")}

    def audit(action, reference, codes, data, moment):
        nonlocal log_index, frontier
        body = entries.entry_body(COMMAND_LINE, action, "agreement", reference, data, codes, None, moment)
        append = appending.prepare_append(body, log_index, frontier, origin, log_key, entry_key)
        batch["audit"].append({"index": log_index, "entry": append.entry, "key_id": append.key_id, "signature": append.signature,
                               "checkpoint": append.checkpoint, "time": moment, "action": action, "actor_user_id": None,
                               "object_type": "agreement", "object_ref": reference})
        batch["audit_authorities"] += [{"entry_index": log_index, "authority_code": c} for c in body["authorities"]]
        batch["hashes"] += [{"index": append.first_hash_index + i, "hash": h} for i, h in enumerate(append.hashes)]
        frontier = append.frontier
        log_index += 1
        return log_index - 1

    def flush_batch():
        order = (("agreements", Agreement.__table__), ("versions", AgreementVersion.__table__), ("parties", Party.__table__),
                 ("plb", party_legal_bases), ("flows", Flow.__table__), ("fdi", flow_data_items), ("approvals", Approval.__table__),
                 ("audit", AuditEntry.__table__), ("audit_authorities", AuditEntryAuthority.__table__), ("hashes", AuditHash.__table__),
                 ("events", AgreementEvent.__table__))
        pending_links = [{"id": a["id"], "current": a["current_version_id"], "latest": a["latest_version_id"]} for a in batch["agreements"]]
        for agreement in batch["agreements"]:
            agreement["current_version_id"] = agreement["latest_version_id"] = None
        for name, table in order:
            _insert(table, batch[name])
            batch[name].clear()
        table = Agreement.__table__
        db.session.execute(
            sa.update(table).where(table.c.id == sa.bindparam("a_id")).values(current_version_id=sa.bindparam("current"), latest_version_id=sa.bindparam("latest")),
            [{"a_id": link["id"], "current": link["current"], "latest": link["latest"]} for link in pending_links],
        )
        db.session.execute(sa.update(AuditLogHead.__table__).values(size=log_index, frontier=frontier))
        db.session.commit()

    def add_version(agreement_id, reference, number, state, title, lead, partners, start, moment):
        """Add one version with its parties, legal bases and flows; return its id and content hash."""
        nonlocal version_id, party_id, flow_id
        version_id += 1
        review, end = start + timedelta(days=365), start + timedelta(days=3 * 365)
        parties_doc, flows_doc = [], []
        for authority in [lead, *partners]:
            party_id += 1
            chosen = random.choice(basis_sets)
            parties_doc.append((authority, chosen))
            batch["parties"].append({"id": party_id, "version_id": version_id, "authority_id": authority.id, "sharing_role": "both", "controller_role": "controller"})
            batch["plb"] += [{"party_id": party_id, "legal_basis_id": bases[c].id} for c in chosen]
            if authority is lead:
                lead_party = party_id
            else:
                to_party = party_id
        for _ in range(random.randint(1, 2)):
            flow_id += 1
            dataset = random.choice(datasets_of.get(lead.id) or datasets)
            chosen_items = random.sample(items_of[dataset["id"]], 3)
            batch["flows"].append({"id": flow_id, "version_id": version_id, "from_party_id": lead_party, "to_party_id": to_party,
                                   "dataset_id": dataset["id"], "frequency": "periodic", "method": "SFTP", "volume": ""})
            batch["fdi"] += [{"flow_id": flow_id, "data_item_id": i} for i, _, _ in chosen_items]
            flows_doc.append({"from": lead.code, "to": partners[-1].code,
                              "dataset": {"id": dataset["id"], "name": dataset["name"], "owner": lead.code, "classification": "OFFICIAL-SENSITIVE"},
                              "data_items": sorted(({"name": n, "personal": k != "none", "special_category": k == "special", "criminal_offence": k == "criminal"} for _, n, k in chosen_items), key=lambda i: i["name"]),
                              "frequency": "periodic", "method": "SFTP", "volume": ""})
        document = _document(reference, number, title, lead, parties_doc, flows_doc, start, review, end)
        canonical = rfc8785.dumps(document) if number else None
        content_hash = hashlib.sha256(canonical).hexdigest() if canonical else None
        batch["versions"].append({
            "id": version_id, "agreement_id": agreement_id, "number": number, "state": state, "title": title,
            "agreement_type": "information_sharing", "purpose": document["purpose"]["purpose"], "functions_served": "", "benefits": "",
            "necessity": "Only what is needed.", "retention": "Two years", "security_measures": "Encrypted", "rights_handling": "",
            "breach_notification_hours": 24, "onward_sharing_allowed": False, "onward_sharing_conditions": "",
            "commercial_use_allowed": False, "international_transfers": False, "international_transfer_details": "",
            "termination_arrangements": "", "dpia_status": "completed", "dpia_reference": "DPIA", "dpia_date": start,
            "dpo_consulted": True, "start_date": start, "review_date": review, "review_interval_months": 12, "end_date": end,
            "content": canonical.decode() if canonical else None, "content_hash": content_hash, "created_at": moment,
            "submitted_at": moment if number else None,
        })
        return version_id, content_hash

    for agreement_id in range(1, AGREEMENTS + 1):
        lead = councils[random.randrange(len(councils))]
        partners = random.sample([c for c in councils if c.id != lead.id], random.randint(1, 3))
        status = random.choice(STATUSES)
        reference = f"DSA-2026-{agreement_id:06d}"
        title = f"{random.choice(WORDS).capitalize()}: {random.choice(TOPICS)} {random.choice(TOPICS)} sharing {agreement_id}"
        codes = sorted([lead.code] + [p.code for p in partners])
        history: list[tuple] = []  # (action, version id, from, to, authority, time), in the order they happened

        def event(action, version, from_status, to_status, authority, moment):
            history.append((action, version, from_status, to_status, authority, moment))

        def sign_off(number, submitted, start, *, sent_back, complete, first_state="proposed"):
            """Submit a version (after one sent back for changes, sometimes); its parties approve it, the lead first.

            Returns (version id, number, time of the last approval or None if some party is still to approve).
            """
            nonlocal approval_id
            if sent_back and submitted < now - timedelta(days=30):
                old, _ = add_version(agreement_id, reference, number, "changes_requested", title, lead, partners, start, submitted)
                event("submit", old, "draft", "proposed", lead, submitted)
                submitted += timedelta(days=min(random.lognormvariate(math.log(5), 0.8), 12))
                event("request_changes", old, "proposed", "draft", random.choice(partners), submitted)
                submitted += timedelta(days=min(random.lognormvariate(math.log(4), 0.8), 12))
                number += 1
            version, content_hash = add_version(agreement_id, reference, number, first_state, title, lead, partners, start, submitted)
            event("submit", version, "draft", "proposed", lead, submitted)
            # The lead approves within a day or two; partners take days to weeks, a few of them months.
            waits = [random.uniform(0.05, 2)] + [min(random.lognormvariate(math.log(7), 0.9), 150) for _ in partners]
            if complete and submitted + timedelta(days=max(waits)) > now - timedelta(hours=2):
                # Approved by now: the same waits, squeezed into the time there was.
                room = (now - timedelta(hours=2) - submitted) / timedelta(days=1)
                waits = [w * room / max(waits) for w in waits]
            approvals = sorted((submitted + timedelta(days=w), authority) for w, authority in zip(waits, [lead, *partners]))
            if not complete:
                approvals = [a for a in approvals if a[0] < now][: len(approvals) - 1]  # someone is still to approve
            for n, (moment, authority) in enumerate(approvals, start=1):
                approval_id += 1
                batch["approvals"].append({"id": approval_id, "version_id": version, "authority_id": authority.id,
                                           "approver_id": authority.id % len(councils) + 1, "content_hash": content_hash, "approved_at": moment})
                last = complete and n == len(approvals)
                event("approve", version, "proposed", "approved" if last else "proposed", authority, moment)
            return version, number, (approvals[-1][0] if complete else None)

        created = now - timedelta(days=random.uniform(1, 820))
        current = latest = None
        if status == "draft":
            start = today() + timedelta(days=random.randint(10, 120))
            event("create", None, None, "draft", lead, created)
            latest, _ = add_version(agreement_id, reference, None, "draft", title, lead, partners, start, created)
        elif status in ("proposed", "approved"):
            start = today() + timedelta(days=random.randint(1, 90))
            submitted = now - timedelta(days=random.uniform(0.1, 70) if status == "proposed" else random.uniform(20, 120))
            event("create", None, None, "draft", lead, submitted - timedelta(days=random.uniform(1, 30)))
            final_state = "proposed" if status == "proposed" else "approved"
            latest, _, _ = sign_off(1, submitted, start, sent_back=random.random() < 0.15, complete=status == "approved", first_state=final_state)
        else:  # in force once, and maybe amended, reviewed, suspended or ended since
            submitted = created
            event("create", None, None, "draft", lead, submitted - timedelta(days=random.uniform(1, 30)))
            guess = (submitted + timedelta(days=40)).date()
            start = min(guess + timedelta(days=random.randint(0, 30)), today())
            version, number, done = sign_off(1, submitted, start, sent_back=random.random() < 0.15, complete=True, first_state="current")
            # Started on its start date, or once approved if that came later (sharing often starts first).
            began = max(done, datetime.combine(start, datetime.min.time(), UTC) + timedelta(hours=3))
            event("start", version, "approved", "active", None, min(began, now - timedelta(minutes=30)))
            current = latest = version
            last_time = history[-1][5]
            if random.random() < 0.2 and last_time < now - timedelta(days=40):
                pending = status == "active" and random.random() < 0.3
                if pending:
                    amended = max(last_time + timedelta(days=1), now - timedelta(days=random.uniform(1, 60)))
                else:
                    amended = last_time + timedelta(days=random.uniform(10, (now - last_time).days - 20))
                event("amend", current, "active", "active", lead, amended)
                submitted = amended + timedelta(days=random.uniform(0.5, 10))
                if pending and submitted >= now:
                    submitted = now - timedelta(hours=1)
                version, number, done = sign_off(number + 1, submitted, start, sent_back=random.random() < 0.1, complete=not pending,
                                                 first_state="proposed" if pending else "current")
                latest = version
                if done is not None:
                    for row in batch["versions"]:
                        if row["id"] == current:
                            row["state"] = "superseded"
                    current = version
            ending = {"under_review": ("start_review", "active", "under_review"), "suspended": ("suspend", "active", "suspended"),
                      "terminated": ("terminate", "active", "terminated"), "expired": ("expire", "active", "expired")}.get(status)
            if ending:
                last_time = max(h[5] for h in history)
                event(ending[0], current, ending[1], ending[2], None if ending[0] == "expire" else lead,
                      min(now, last_time + timedelta(days=random.uniform(1, 200))))
        batch["agreements"].append({
            "id": agreement_id, "reference": reference, "lead_authority_id": lead.id, "status": status,
            "current_version_id": current, "latest_version_id": latest,
            "review_due": start + timedelta(days=365) if status in ("active", "under_review", "suspended") else None,
            "lock_version": len(history), "created_at": history[0][5], "updated_at": max(h[5] for h in history),
        })
        numbers = {row["id"]: row["number"] for row in batch["versions"][-6:]}
        for action, version, from_status, to_status, authority, moment in sorted(history, key=lambda h: h[5]):
            event_id += 1
            index = audit(f"agreement.{action}", reference, codes, {"version": numbers.get(version)}, moment)
            batch["events"].append({"id": event_id, "agreement_id": agreement_id, "version_id": version, "action": action,
                                    "from_status": from_status, "to_status": to_status, "actor_id": None,
                                    "authority_id": authority.id if authority is not None else None,
                                    "reason": "Say how long the records are kept." if action == "request_changes" else None,
                                    "audit_index": index, "created_at": moment})
        if agreement_id % 5000 == 0:
            flush_batch()
            print(f"  {agreement_id:,} agreements, {log_index:,} audit entries ({time.perf_counter() - started:.0f} s)", flush=True)
    for table, column in (("agreements", "id"), ("agreement_versions", "id"), ("parties", "id"), ("flows", "id"), ("approvals", "id"),
                          ("agreement_events", "id"), ("datasets", "id"), ("data_items", "id"), ("users", "id"), ("memberships", "id")):
        db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), (SELECT max({column}) FROM {table}))"))
    db.session.commit()
    # Statistics first: without them PostgreSQL plans the backfill's pass over the whole
    # history as if the tables were empty (11 minutes instead of 4 seconds).
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    # History written in bulk passes by the subscriber that records each sign-off cycle as it
    # completes: summarise it as the migration does, by the same definition.
    summarised = time.perf_counter()
    count = cycles.backfill(db.session)
    db.session.commit()
    print(f"  {count:,} sign-off cycles from the history ({time.perf_counter() - summarised:.1f} s)", flush=True)
    # Vacuumed, as autovacuum would have done after such a load in production (this machine's
    # server runs without it): index-only scans, such as the waiting list's, then read no table pages.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))


class QueryCounter:
    """Counts SQL statements sent while it is on."""

    def __init__(self, engine):
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args):
        self.count += 1


def _time(client, paths, label):
    client.get(paths[0])
    durations = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    durations.sort()
    p95 = durations[int(len(durations) * 0.95) - 1]
    print(f"  {label:<48} median {statistics.median(durations):6.1f} ms   p95 {p95:6.1f} ms   ({len(paths)} requests)")
    return p95


def _sign_in(app, email):
    import re

    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").get_data(as_text=True)).group(1)
    assert client.post("/sign-in", data={"csrf_token": token, "email": email, "password": PASSWORD}).status_code == 302
    return client


def measure(app) -> None:
    """Time the pages, and count their queries."""
    with app.app_context():
        references = list(db.session.scalars(sa.select(Agreement.reference).order_by(sa.func.random()).limit(200)))
        proposals = list(db.session.scalars(
            sa.select(Agreement.reference).join(AgreementVersion, AgreementVersion.id == Agreement.latest_version_id)
            .where(AgreementVersion.state == "proposed").order_by(sa.func.random()).limit(200)))
        codes = list(db.session.scalars(sa.select(Authority.code).where(Authority.id.in_(sa.select(Membership.authority_id)))))
        parties = [a.code for a in db.session.scalars(sa.select(Authority).limit(50))]
        council = db.session.scalar(sa.select(Authority).where(Authority.code == "LDS"))
        counts = db.session.execute(sa.select(sa.func.count()).select_from(Agreement)).scalar()
    print(f"{counts:,} agreements")
    auditor = _sign_in(app, "auditor@registry.bench")
    approver = _sign_in(app, f"approver@{council.code.lower()}.bench")
    n = 200
    print("Timings (in-process test client, signed in):")
    results = {
        "bare page (/about)": _time(auditor, ["/about"] * n, "bare page (/about), auditor"),
        "list, auditor, all": _time(auditor, [f"/agreements?page={random.randint(1, 50)}" for _ in range(n)], "list: auditor, all agreements, random page"),
        "list, auditor, filtered": _time(auditor, [f"/agreements?status=active&party={random.choice(parties)}" for _ in range(n)], "list: auditor, active with a party"),
        "list, auditor, search": _time(auditor, [f"/agreements?q={random.choice(TOPICS)}&sort=title" for _ in range(n)], "list: auditor, search a topic, sorted by title"),
        "list, auditor, common": _time(auditor, [f"/agreements?q={random.choice(WORDS)}" for _ in range(n)], "list: auditor, search a common word (1 in 7)"),
        "list, auditor, basis": _time(auditor, [f"/agreements?legal_basis=DPA2018-S1-P6&review_due_before=2027-06-30" for _ in range(n)], "list: auditor, legal basis and review due"),
        "list, council": _time(approver, [f"/agreements?status={random.choice(['active', 'proposed', 'draft'])}" for _ in range(n)], "list: a council's approver, by status"),
        "detail, auditor": _time(auditor, [f"/agreements/{r}" for r in references[:n]], "agreement page, auditor"),
        "detail, proposed": _time(auditor, [f"/agreements/{r}" for r in proposals[:n]], "agreement page, proposed (who still has to approve)"),
        "sign-off, council": _time(approver, [f"/authorities/{council.code}/sign-off?page={random.randint(1, 2)}" for _ in range(n)], "sign-off speed: a council's approver, their own"),
        "sign-off, any council": _time(auditor, [f"/authorities/{random.choice(codes)}/sign-off" for _ in range(n)], "sign-off speed: auditor, a random council"),
        "sign-off, national": _time(auditor, [f"/sign-off?page={random.randint(1, 40)}" for _ in range(n)], "sign-off speed: auditor, across every authority"),
    }
    with app.app_context():
        counter = QueryCounter(db.engine)
    print("Queries per page:")
    for label, path in (("list, 10 rows", "/agreements?status=active&q=DSA-2026-00001"), ("list, 25 rows", "/agreements?status=active"),
                        ("agreement page (2 parties)", None), ("agreement page (4 parties)", None),
                        ("agreement page, proposed", f"/agreements/{proposals[0]}"), ("sign-off speed, a council", f"/authorities/{council.code}/sign-off"),
                        ("sign-off speed, every authority", "/sign-off")):
        if path is None:
            with app.app_context():
                size = 2 if "2 parties" in label else 4
                reference = db.session.scalar(
                    sa.select(Agreement.reference).join(Party, Party.version_id == Agreement.latest_version_id)
                    .group_by(Agreement.reference).having(sa.func.count() == size).limit(1))
            path = f"/agreements/{reference}"
        counter.count = 0
        auditor.get(path)
        print(f"  {label:<30} {counter.count} queries")
    worst = max(v for k, v in results.items() if k != "bare page (/about)")
    print(f"Worst p95 of the list, agreement and sign-off pages: {worst:.1f} ms (target: under 100 ms)")


def main() -> None:
    print(f"machine: {machine()}")
    rebuild = "--rebuild" in sys.argv or not _exists()
    if rebuild:
        from .setup import fresh_postgres

        fresh_postgres(DATABASE)
    app = migrated_app(_url(), OUT / "national-instance")
    if rebuild:
        with app.app_context():
            print("building the national dataset on PostgreSQL")
            build()
    measure(app)


if __name__ == "__main__":
    main()
