"""The cost of auditing: one state change with and without its audit entry, side by side, on PostgreSQL.

The change is an administrator renaming a partner body through the real service
(authorities.services.edit_partner), committed by a unit of work. "Without" is the same
code with audit.record replaced by a function that does nothing; runs alternate
between the two so that both see the same machine state. Target: at most 1.5x.
"""

import statistics
import time
from pathlib import Path

from registry.auditlog import recording as audit_services
from registry.authorities import services as authority_services
from registry.users.actors import COMMAND_LINE
from registry.core.unit_of_work import unit_of_work

from .setup import OUT, fresh_postgres, machine, migrated_app

ROUNDS = 10
CHANGES_PER_ROUND = 200


def _changes(authority, count: int, label: str) -> float:
    """Make `count` committed changes; return seconds per change."""
    started = time.perf_counter()
    for n in range(count):
        with unit_of_work():
            authority_services.edit_partner(COMMAND_LINE, authority, {"type": "OTHER", "name": f"Body {label} {n}"})
    return (time.perf_counter() - started) / count


def main() -> None:
    url = fresh_postgres("registry_bench_audit_cost")
    app = migrated_app(url, OUT / "audit-cost-instance")
    with app.app_context():
        with unit_of_work():
            authority = authority_services.add_partner(COMMAND_LINE, {"code": "BENCH-1", "name": "Body", "type": "OTHER"})
        real_record = audit_services.record
        with_audit, without_audit = [], []
        _changes(authority, 50, "warm-up")
        for round_number in range(ROUNDS):
            with_audit.append(_changes(authority, CHANGES_PER_ROUND, f"a{round_number}"))
            authority_services.record = lambda *args, **kwargs: None
            try:
                without_audit.append(_changes(authority, CHANGES_PER_ROUND, f"b{round_number}"))
            finally:
                authority_services.record = real_record
    a, b = statistics.median(with_audit), statistics.median(without_audit)
    print(f"machine: {machine()}")
    print(f"database: PostgreSQL ({url.rsplit('@', 1)[-1]})")
    print(f"{ROUNDS} rounds of {CHANGES_PER_ROUND} committed changes each way, alternating")
    print(f"  without audit entry: median {b * 1000:.3f} ms per change")
    print(f"  with audit entry:    median {a * 1000:.3f} ms per change")
    print(f"  ratio: {a / b:.2f}x (target: at most 1.5x)")


if __name__ == "__main__":
    main()
