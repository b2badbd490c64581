"""Exporting 100,000 agreements to XLSX, as the agreements list's Excel download writes them.

Builds a SQLite database of 100,000 agreements once (each with a version, and two or three
parties; the rows go in as bulk inserts, not through the services, which would take hours),
then writes the whole list with `registry.core.downloads.write_xlsx` fed by
`registry.agreements.exports.list_rows` in a child process, so that its peak memory is its
own: the process's maximum resident set size, before and after the export. (tracemalloc
slowed the export twentyfold, so it is not used for the figure: one run with it showed a
peak of 4 MB of Python allocations.) Target: under 200 MB peak memory.

    .venv/bin/python -m bench.export_xlsx [COUNT]
"""

import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from registry.agreements.models import Agreement, AgreementVersion, Party
from registry.authorities.models import Authority
from registry.extensions import db

from .setup import OUT, fresh_sqlite, machine, migrated_app

CHUNK = 10_000
# The first title in every hundred looks like a formula, so that the neutralising is timed too.
TITLES = ("=HYPERLINK(\"x\")", "Supporting families", "Missing children", "Adult social care referrals", "Housing need")

EXPORT_IN_CHILD = """
import resource, sys, time
from types import SimpleNamespace
from registry import create_app
from registry.agreements import exports, queries
from registry.core.downloads import write_xlsx
app = create_app("development", {"SQLALCHEMY_DATABASE_URI": sys.argv[1]}, instance_path=sys.argv[2])
with app.app_context():
    auditor = SimpleNamespace(is_auditor=True, memberships=[])
    search = queries.agreement_search(auditor, queries.AgreementFilters(sort="reference"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with open(sys.argv[3], "wb") as file:
        write_xlsx(file, "Agreements", exports.LIST_HEADER, exports.list_rows(search))
    seconds = time.perf_counter() - started
print(f"{seconds:.1f}", before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def build(count: int) -> None:
    """Insert the councils, then the agreements, their versions and parties in chunks."""
    now = datetime.now(UTC)
    councils = [Authority(code=f"B{n:02d}", name=f"Bench Council {n}", short_name=f"Bench {n}", type="UA") for n in range(20)]
    db.session.add_all(councils)
    db.session.flush()
    ids = [council.id for council in councils]
    party_id = 0
    for first in range(1, count + 1, CHUNK):
        agreements, versions, parties = [], [], []
        for n in range(first, min(first + CHUNK, count + 1)):
            lead = ids[n % len(ids)]
            start = date(2026, 1, 1) + timedelta(days=n % 365)
            agreements.append({"id": n, "reference": f"DSA-2026-{n:06d}", "lead_authority_id": lead, "status": "draft",
                               "review_due": start + timedelta(days=365), "lock_version": 0, "created_at": now, "updated_at": now})
            versions.append({
                "id": n, "agreement_id": n, "number": None, "state": "draft", "title": f"{TITLES[n % 100 and 1 + n % 4]} {n}",
                "agreement_type": "information_sharing", "purpose": "Better services", "functions_served": "", "benefits": "",
                "necessity": "", "retention": "", "security_measures": "", "rights_handling": "", "onward_sharing_conditions": "",
                "international_transfer_details": "", "termination_arrangements": "", "dpia_reference": "", "start_date": start,
                "review_date": start + timedelta(days=365), "end_date": start + timedelta(days=3 * 365), "created_at": now,
            })
            for authority in {lead, ids[(n * 7 + 3) % len(ids)], ids[(n * 13 + 5) % len(ids)]}:
                party_id += 1
                parties.append({"id": party_id, "version_id": n, "authority_id": authority, "sharing_role": "both", "controller_role": "controller"})
        db.session.execute(sa.insert(Agreement.__table__), agreements)
        db.session.execute(sa.insert(AgreementVersion.__table__), versions)
        db.session.execute(sa.insert(Party.__table__), parties)
        db.session.execute(sa.update(Agreement.__table__).where(Agreement.id >= first).values(latest_version_id=Agreement.id))
        db.session.commit()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"machine: {machine()}")
    path = OUT / f"export-{count}.sqlite3"
    instance, target = OUT / f"export-{count}-instance", OUT / f"agreements-{count}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        url = fresh_sqlite(path)
        app = migrated_app(url, instance)
        with app.app_context():
            build(count)
        print(f"built {count:,} agreements in {time.perf_counter() - started:.0f} s")
    result = subprocess.run(
        [sys.executable, "-c", EXPORT_IN_CHILD, f"sqlite:///{path}", str(instance), str(target)],
        capture_output=True, text=True, check=True,
    )
    seconds, before_kb, max_rss_kb = result.stdout.split()
    print(
        f"XLSX of {count:,} agreements: {seconds} s, {target.stat().st_size / 1e6:.1f} MB file; "
        f"peak resident memory {int(max_rss_kb) / 1024:.0f} MB (target: under 200 MB), "
        f"of which the app before the export {int(before_kb) / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
