"""Two approvers acting at the same moment on one agreement: both approvals count, and it becomes approved once."""

import multiprocessing

from registry import create_app
from registry.agreements import services
from registry.agreements.queries import agreement_by_reference
from registry.auditlog import checks
from registry.extensions import db

from .builders import complete_draft, three_councils


def _approve_in_another_process(database_url, instance_path, reference, user_id, authority_code, barrier, results):
    """Run in its own process, as a web worker would: one approver's request."""
    from registry.authorities.queries import authority_by_code
    from registry.core.unit_of_work import unit_of_work
    from registry.users.models import User

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=instance_path)
    with app.app_context():
        agreement = agreement_by_reference(reference)
        approver = db.session.get(User, user_id)
        authority = authority_by_code(authority_code)
        content_hash = agreement.latest_version.content_hash
        db.session.rollback()  # read what the page showed, then act at the same moment as the other
        barrier.wait(timeout=60)
        with unit_of_work():
            services.approve(approver, agreement, authority, content_hash=content_hash)
        results.put(authority_code)


def test_two_approvers_at_once_both_count_and_the_agreement_is_approved_once(app):
    councils = three_councils()
    agreement = complete_draft(councils)
    services.submit(councils["LDS"].contributor, agreement)
    services.approve(councils["LDS"].approver, agreement, councils["LDS"].authority, content_hash=agreement.latest_version.content_hash)
    db.session.commit()

    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [
        spawn.Process(target=_approve_in_another_process,
                      args=(url, app.instance_path, agreement.reference, councils[code].approver.id, code, barrier, results))
        for code in ("BRD", "KIR")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]

    db.session.expire_all()
    agreement = agreement_by_reference(agreement.reference)
    version = agreement.latest_version
    assert agreement.status == "approved"
    assert version.state == "approved"
    assert sorted(a.authority.code for a in version.approvals) == ["BRD", "KIR", "LDS"]
    approvals = [e for e in agreement.events if e.action == "approve"]
    assert [e.to_status for e in approvals].count("approved") == 1
    assert checks.verify_database().ok
