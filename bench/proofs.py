"""Inclusion proofs served from the stored hashes: rate at 1,000,000 entries, and against pymerkle at 100,000.

Both sides run in this one process on SQLite files, on the same 100,000 entries, proving
the same random entries in the tree of all of them: ours with queries.inclusion_proof (one
SELECT of O(log n) stored hashes), pymerkle 7's SqliteTree with prove_inclusion. Each
proof is checked once against the tree's root so that neither side can be fast by being
wrong. Targets: at least 1,000 proofs a second at 1M entries; at least 10x pymerkle.
"""

import random
import sys
import time

from pymerkle import SqliteTree
from pymerkle import verify_inclusion as pymerkle_verify_inclusion

from registry.auditlog import queries
from registry.auditlog.models import AuditEntry
from registry.auditlog.verifier import hash_leaf, verify_inclusion
from registry.extensions import db

from .setup import OUT, machine, sqlite_log

PROOFS = 5_000
random.seed(6962)


def _our_rate(size: int) -> float:
    indexes = [random.randrange(size) for _ in range(PROOFS)]
    root = queries.checkpoint_at(size)  # warm the connection and the page cache
    from registry.auditlog.verifier import open_checkpoint, parse_verifier_key
    from registry.auditlog import keys

    log_keys = [parse_verifier_key(k.verifier_key) for k in keys.published_keys() if k.purpose == "log"]
    root = open_checkpoint(root, log_keys).root_hash
    sample = indexes[0]
    _, proof = queries.inclusion_proof(sample, size)
    verify_inclusion(hash_leaf(db.session.get(AuditEntry, sample).entry), sample, size, proof, root)
    started = time.perf_counter()
    for index in indexes:
        queries.inclusion_proof(index, size)
    return PROOFS / (time.perf_counter() - started)


def _pymerkle_rate(entries: list[bytes]) -> tuple[float, float]:
    path = OUT / "pymerkle-100k.sqlite3"
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    with SqliteTree(str(path), algorithm="sha256") as tree:
        tree.append_entries(entries)
        build_seconds = time.perf_counter() - started
        size = tree.get_size()
        root = tree.get_root(size)
        sample = random.randrange(size)
        pymerkle_verify_inclusion(tree.get_leaf(sample + 1), root, tree.prove_inclusion(sample + 1, size))
        proofs = max(200, PROOFS // 10)  # pymerkle is slow: fewer proofs, same rate formula
        indexes = [random.randrange(size) + 1 for _ in range(proofs)]
        started = time.perf_counter()
        for index in indexes:
            tree.prove_inclusion(index, size)
        return proofs / (time.perf_counter() - started), build_seconds


def main() -> None:
    print(f"machine: {machine()}")
    small, large = 100_000, int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000

    with sqlite_log(f"log-{small}", small).app_context():
        ours_small = _our_rate(small)
        entries = [entry for (entry,) in db.session.execute(db.select(AuditEntry.entry).order_by(AuditEntry.index))]
    print(f"building pymerkle's SqliteTree of the same {small:,} entries")
    theirs, pymerkle_build = _pymerkle_rate(entries)
    print(f"  (pymerkle built its tree in {pymerkle_build:.1f} s)")
    print(f"at {small:,} entries, SQLite, same entries, one process:")
    print(f"  ours:     {ours_small:,.0f} inclusion proofs a second")
    print(f"  pymerkle: {theirs:,.0f} inclusion proofs a second")
    print(f"  ours is {ours_small / theirs:,.0f}x faster (target: at least 10x)")

    with sqlite_log(f"log-{large}", large).app_context():
        ours_large = _our_rate(large)
    print(f"at {large:,} entries: {ours_large:,.0f} inclusion proofs a second (target: at least 1,000)")


if __name__ == "__main__":
    main()
