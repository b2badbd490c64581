"""One log whatever the load: processes appending at once produce one gap-free, consistent log."""

import multiprocessing

import sqlalchemy as sa

from registry import create_app
from registry.auditlog import checks, keys, queries
from registry.auditlog.verifier import hash_leaf, open_checkpoint, parse_verifier_key, root_from_leaf_hashes
from tests.factories import make_user

from .helpers import all_entries

WORKERS = 4
CHANGES_PER_WORKER = 25


def _make_audited_changes(database_url: str, instance_path: str, worker: int, barrier) -> None:
    """Run in its own process, as a web worker would: an app of its own making audited changes."""
    from registry.authorities import services
    from registry.users.actors import COMMAND_LINE
    from registry.core.unit_of_work import unit_of_work

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=instance_path)
    with app.app_context():
        barrier.wait(timeout=60)  # start together, to contend for the log
        for change in range(CHANGES_PER_WORKER):
            with unit_of_work():
                services.add_partner(COMMAND_LINE, {"code": f"W{worker}-{change}", "name": f"Body {worker} {change}", "type": "OTHER"})


def test_processes_appending_at_once_make_one_gap_free_log(app):
    make_user()  # the keys exist and are published before the workers start, as after deployment
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(WORKERS)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [
        spawn.Process(target=_make_audited_changes, args=(url, app.instance_path, n, barrier)) for n in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [worker.exitcode for worker in workers] == [0] * WORKERS

    entries = all_entries()
    expected = 1 + WORKERS * CHANGES_PER_WORKER
    assert [entry.index for entry in entries] == list(range(expected))
    assert queries.log_size() == expected

    # Every checkpoint signed along the way is of a prefix of this one log: no two appends
    # were computed from the same state.
    log_keys = [parse_verifier_key(k.verifier_key) for k in keys.published_keys() if k.purpose == "log"]
    leaves = [hash_leaf(entry.entry) for entry in entries]
    for entry in entries:
        checkpoint = open_checkpoint(entry.checkpoint, log_keys)
        assert checkpoint.root_hash == root_from_leaf_hashes(leaves[: entry.index + 1])

    report = checks.verify_database()
    assert report.ok, report.summary()
