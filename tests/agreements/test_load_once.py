"""The draft's edits through the API load the draft once, under the agreement's lock, and answer from what they hold.

Statement counts are pinned (they are deterministic; timings are for bench/section_save.py),
and the answers are checked against what a fresh read of the draft shows.
"""

import multiprocessing

import pytest

from registry import create_app
from registry.agreements.queries import agreement_by_reference
from registry.auditlog import checks
from registry.extensions import db
from tests.factories import make_authority

from .builders import PUBLIC_TASK_WITH_HEALTH

URL = "/api/v1/agreements"
# A draft edit through the API: the token (with its owner's memberships), the lock, the
# draft with its parties (and, for a section, its flows and obligations), the change, the
# lock version, the audit entry.
MOST_STATEMENTS = 10
# SQLite appends to the audit log in five statements, in process, where PostgreSQL sends one.
SQLITE_APPEND_EXTRA = 4


def _most_statements() -> int:
    return MOST_STATEMENTS + (SQLITE_APPEND_EXTRA if db.engine.dialect.name == "sqlite" else 0)


def _counted(count_queries, call):
    """Return the response to call() and the SQL statements it sent."""
    count_queries.count = 0
    response = call()
    return response, count_queries.count


def _details(api, reference: str, title: str):
    return api.client.patch(f"{URL}/{reference}/draft/details", headers=api.headers,
                            json={"title": title, "agreement_type": "information_sharing"})


def test_saving_a_section_sends_at_most_ten_statements_and_answers_with_what_it_committed(councils, draft, api_as, count_queries):
    api = api_as(councils["LDS"].contributor)
    # The first call writes down the token's use and reads the log's head; count the second.
    assert _details(api, draft.reference, "Warming up").status_code == 200
    before = api.get(f"{URL}/{draft.reference}/draft").get_json()

    response, statements = _counted(count_queries, lambda: _details(api, draft.reference, "Supporting families together"))

    assert response.status_code == 200
    assert statements <= _most_statements()
    saved = response.get_json()
    assert saved["lock_version"] == before["lock_version"] + 1
    assert saved["content"]["title"] == "Supporting families together"
    assert saved == api.get(f"{URL}/{draft.reference}/draft").get_json()  # problems, parties, flows, obligations and all


def test_a_section_save_that_is_refused_as_stale_saves_nothing(councils, draft, api_as):
    api = api_as(councils["LDS"].contributor)
    seen = api.get(f"{URL}/{draft.reference}/draft").get_json()["lock_version"]
    assert _details(api, draft.reference, "Changed meanwhile").status_code == 200

    stale = api.client.patch(f"{URL}/{draft.reference}/draft/details", headers=api.headers,
                             json={"title": "Mine", "agreement_type": "information_sharing", "lock_version": seen})

    assert stale.status_code == 409
    db.session.expire_all()
    assert agreement_by_reference(draft.reference).latest_version.title == "Changed meanwhile"


def _body(kind: str, councils, draft) -> dict:
    """Return what adding a party, a flow or an obligation to the complete draft sends."""
    parties = {p.authority.code: p.id for p in draft.latest_version.parties}
    dataset = councils["LDS"].dataset
    bodies = {
        "parties": {"authority_code": "WKF", "sharing_role": "recipient", "controller_role": "controller",
                    "legal_bases": PUBLIC_TASK_WITH_HEALTH},
        "flows": {"from_party_id": parties["LDS"], "to_party_id": parties["KIR"], "dataset_id": dataset.id,
                  "data_item_ids": [dataset.items[0].id], "frequency": "one_off"},
        "obligations": {"owed_by_party_id": parties["BRD"], "type": "retention", "description": "Delete it after two years.",
                        "due_kind": "event", "event": "the end of the agreement", "within_hours": 48},
    }
    return bodies[kind]


@pytest.mark.parametrize("kind", ["parties", "flows", "obligations"])
def test_adding_to_the_draft_sends_at_most_ten_statements_and_answers_with_what_it_committed(kind, councils, draft, api_as, count_queries):
    make_authority(code="WKF", name="Wakefield Council", type="MD")
    api = api_as(councils["LDS"].contributor)
    assert _details(api, draft.reference, "Warming up").status_code == 200
    body = _body(kind, councils, draft)

    response, statements = _counted(count_queries, lambda: api.post(f"{URL}/{draft.reference}/draft/{kind}", json=body))

    assert response.status_code == 201, response.get_json()
    assert statements <= _most_statements()
    added = response.get_json()
    shown = api.get(f"{URL}/{draft.reference}/draft").get_json()[kind]
    assert added == next(item for item in shown if item["id"] == added["id"])


def _save_in_another_process(database_url, instance_path, token, reference, title, seen, barrier, results):
    """Run in its own process, as a web worker would: one person's save of the draft's details."""
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=instance_path)
    client = app.test_client()
    barrier.wait(timeout=60)
    response = client.patch(f"{URL}/{reference}/draft/details", headers={"Authorization": f"Bearer {token}"},
                            json={"title": title, "agreement_type": "information_sharing", "lock_version": seen})
    results.put((title, response.status_code))


def test_two_saves_at_once_from_the_same_lock_version_save_one_and_refuse_the_other(app, councils, draft, api_as):
    leeds, bradford = api_as(councils["LDS"].contributor), api_as(councils["BRD"].contributor)
    seen = leeds.get(f"{URL}/{draft.reference}/draft").get_json()["lock_version"]

    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [
        spawn.Process(target=_save_in_another_process,
                      args=(url, app.instance_path, api.headers["Authorization"].split()[1], draft.reference, title, seen,
                            barrier, results))
        for api, title in ((leeds, "Leeds's title"), (bradford, "Bradford's title"))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]

    outcomes = dict(results.get(timeout=5) for _ in workers)
    assert sorted(outcomes.values()) == [200, 409]
    saved = next(title for title, status in outcomes.items() if status == 200)
    db.session.expire_all()
    agreement = agreement_by_reference(draft.reference)
    assert agreement.latest_version.title == saved
    assert agreement.lock_version == seen + 1
    assert checks.verify_database().ok


# Each workflow action through the API, from the state it applies in: who takes it, and its body.
ACTIONS = {
    "submit": ("draft", "LDS", "contributor", {}),
    "approve": ("proposed", "BRD", "approver", {"content_hash": None}),
    "request_changes": ("proposed", "KIR", "approver", {"reason": "Name who deletes the records"}),
    "withdraw": ("proposed", "LDS", "contributor", {"reason": "Replaced"}),
    "start_review": ("active", "BRD", "contributor", {}),
    "amend": ("active", "KIR", "contributor", {}),
    "suspend": ("active", "KIR", "approver", {"reason": "Checking a breach"}),
    "terminate": ("active", "BRD", "approver", {"reason": "No longer needed"}),
    "resume": ("suspended", "KIR", "approver", {}),
    "complete_review": ("under_review", "LDS", "approver", {"next_review": None}),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_a_workflow_action_through_the_api_answers_with_exactly_what_it_committed(action, councils, api_as, count_queries):
    from datetime import timedelta

    from registry.core.clock import today

    from .builders import agreement_in

    state, code, role, body = ACTIONS[action]
    agreement = agreement_in(state, councils)
    body = dict(body)
    if "content_hash" in body:
        body["content_hash"] = agreement.latest_version.content_hash
    if "next_review" in body:
        body["next_review"] = (today() + timedelta(days=200)).isoformat()
    api = api_as(getattr(councils[code], role))

    response, statements = _counted(count_queries, lambda: api.post(f"{URL}/{agreement.reference}/transitions",
                                                                    json={"action": action, **body}))

    assert response.status_code == 200, response.get_json()
    assert response.get_json() == api.get(f"{URL}/{agreement.reference}").get_json()
    # The lock, the agreement's page read once under it, the change, its history and audit
    # entry, and whoever is told: never the whole agreement read twice.
    assert statements <= 40 + (SQLITE_APPEND_EXTRA if db.engine.dialect.name == "sqlite" else 0)


def test_saving_a_section_from_its_page_reads_the_draft_once(councils, draft, signed_in_client, count_queries):
    from tests.conftest import csrf_token_from

    client = signed_in_client(councils["LDS"].contributor)
    page = f"/agreements/{draft.reference}/draft/details"
    token = csrf_token_from(client.get(page).get_data(as_text=True))

    response, statements = _counted(count_queries, lambda: client.post(page, data={
        "title": "Supporting families together", "agreement_type": "information_sharing", "csrf_token": token}))

    assert response.status_code == 302
    # The session and its person, the lock, the draft read under it, the change, the lock
    # version and the audit entry: the same as the API's section save, and no page read.
    assert statements <= MOST_STATEMENTS + 2 + (SQLITE_APPEND_EXTRA if db.engine.dialect.name == "sqlite" else 0)
    db.session.expire_all()
    assert agreement_by_reference(draft.reference).latest_version.title == "Supporting families together"
