"""A 50-party agreement version as a PDF record: the time to render it, and to check it with verify.py.

Builds the 50-party agreement of bench.notify_cost (fifty councils, a flow, three
obligations), submitted and approved by every party but the lead, on a fresh SQLite
database; then renders its version 1 as the PDF record (registry/records/pdf.py: the HTML,
WeasyPrint's layout of it as tagged PDF/UA-1, and the four attachments) several times, and
checks each with the verifier. Target: under 3 s a record.

    .venv/bin/python -m bench.record_pdf [RUNS]
"""

import statistics
import sys
import time

from registry.agreements.queries import agreement_by_reference, version_by_number
from registry.auditlog import verifier
from registry.extensions import db
from registry.records.pdf import record_pdf

from .notify_cost import _agreement_waiting_for_the_lead, fifty_councils_with_people
from .setup import OUT, fresh_sqlite, machine, migrated_app


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"machine: {machine()}")
    app = migrated_app(fresh_sqlite(OUT / "record-pdf.sqlite3"), OUT / "record-pdf-instance")
    with app.app_context():
        councils, people, dataset = fifty_councils_with_people()
        reference = _agreement_waiting_for_the_lead(councils, people, dataset)
        db.session.commit()
    seconds, sizes, checks = [], [], []
    for _ in range(runs):
        with app.test_request_context():
            db.session.expire_all()  # read the agreement again each time, as a request would
            version = version_by_number(agreement_by_reference(reference), 1)
            started = time.perf_counter()
            pdf = record_pdf(version, f"http://127.0.0.1/agreements/{reference}/versions/1")
            seconds.append(time.perf_counter() - started)
            parties = len(version.parties)
        sizes.append(len(pdf))
        started = time.perf_counter()
        report = verifier.verify_record(pdf)
        checks.append(time.perf_counter() - started)
        assert report.ok, report.problems
    print(
        f"PDF record of a {parties}-party version ({sizes[-1] / 1024:.0f} KB): the first in the process {seconds[0]:.2f} s "
        f"(templates compiled, fonts found), then median {statistics.median(seconds[1:] or seconds):.2f} s, slowest {max(seconds[1:] or seconds):.2f} s "
        f"of {len(seconds[1:])} (target: under 3 s); verify.py's check of it: median {statistics.median(checks) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
