"""Importing a 5,000-row register: seconds from upload to commit, on SQLite and PostgreSQL.

Loads every UK council and the legal vocabulary through the registry's own services, writes
a 5,000-row XLSX register naming real councils the way registers do ("Leeds CC", nice names,
official names, several partners a row, dates in three forms), then times
`imports.services.import_agreements` for all of it in one unit of work, as
`flask agreements import` does, and a second run of the same file (which creates nothing).
Target: under 30 s. The CPU time of this process is printed too: on a shared machine the
wall-clock figure says as much about the neighbours as about the import.

    .venv/bin/python -m bench.import_register                  # SQLite in bench/out/, then PostgreSQL
    .venv/bin/python -m bench.import_register --sqlite-only
"""

import argparse
import io
import random
import time
from datetime import date, timedelta

import sqlalchemy as sa
from openpyxl import Workbook

from registry.authorities import services as authority_services
from registry.authorities.models import Authority
from registry.authorities.reference import BUNDLED_FILE, read_councils
from registry.core.unit_of_work import unit_of_work
from registry.extensions import db
from registry.imports import services
from registry.imports.reading import Upload
from registry.legal import services as legal_services
from registry.legal.reference import BUNDLED_FILE as LEGAL_FILE
from registry.legal.reference import read_legal_bases
from registry.users.actors import COMMAND_LINE

from .setup import OUT, fresh_postgres, fresh_sqlite, machine, migrated_app

ROWS = 5000
TARGET_SECONDS = 30.0
BASES = ("UK GDPR Article 6(1)(e)", "UK GDPR Article 9(2)(g)", "Crime and Disorder Act 1998 s115", "Public task")


def _written(authority: Authority, rnd: random.Random) -> str:
    name = authority.name
    if name.endswith(" City Council") and rnd.random() < 0.5:
        return name.replace(" City Council", " CC")
    if name.endswith(" Borough Council") and rnd.random() < 0.5:
        return name.replace(" Borough Council", " BC")
    return rnd.choice((name, authority.short_name, name.upper()))


def register(councils: list[Authority], rows: int = ROWS, seed: int = 5000) -> bytes:
    """Return an XLSX county-style register of `rows` agreements between real councils."""
    rnd = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Register")
    sheet.append(["Title", "Purpose", "Lead Organisation", "Other Organisations Involved", "Legal basis", "Review date"])
    for number in range(rows):
        lead, *others = rnd.sample(councils, rnd.randrange(1, 5))
        review = date(2027, 1, 1) + timedelta(days=rnd.randrange(0, 1000))
        review_cell = rnd.choice((review, review.strftime("%d/%m/%Y"), f"{review.day} {review.strftime('%B %Y')}"))
        sheet.append([
            f"Sharing agreement {number + 1}", "Early help and safeguarding", _written(lead, rnd),
            "; ".join(_written(other, rnd) for other in others), "; ".join(rnd.sample(BASES, 2)), review_cell,
        ])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(url: str, label: str) -> float:
    app = migrated_app(url, OUT / f"import-{label}")
    with app.app_context():
        with unit_of_work():
            authority_services.import_councils(COMMAND_LINE, read_councils(BUNDLED_FILE))
            legal_services.import_legal_bases(COMMAND_LINE, read_legal_bases(LEGAL_FILE))
        # Councils existing today, whose names are each one council's (the register must be importable).
        councils = [a for a in db.session.scalars(sa.select(Authority).where(Authority.end_date.is_(None)))]
        data = register(councils)
        upload = Upload("register.xlsx", data)
        started, cpu = time.perf_counter(), time.process_time()
        with unit_of_work():
            plan = services.import_agreements(COMMAND_LINE, upload, in_force=True, only_valid=True)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        with unit_of_work():
            again = services.import_agreements(COMMAND_LINE, upload, in_force=True, only_valid=True)
        again_seconds = time.perf_counter() - started
        print(f"{label}: {len(plan.created):,} of {ROWS:,} rows imported ({len(plan.problems)} problems) "
              f"from {len(data) / 1024:.0f} KB in {seconds:.1f} s ({seconds / ROWS * 1000:.2f} ms a row; "
              f"{cpu:.1f} s of this process's CPU, the rest waiting for the machine or the database), "
              f"target under {TARGET_SECONDS:.0f} s; the same file again: {len(again.created)} created in {again_seconds:.1f} s")
        db.session.remove()
        db.engine.dispose()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    print(machine())
    run(fresh_sqlite(OUT / "import.sqlite3"), "SQLite")
    if not args.sqlite_only:
        run(fresh_postgres("registry_bench_import"), "PostgreSQL")


if __name__ == "__main__":
    main()
