"""Every change the agreements API offers, tried by every kind of person: only those domain.md names succeed.

The people are a viewer, a contributor and an approver of the lead authority (Leeds), of a
partner that is a party (Bradford), and of an unrelated council (Wakefield), and an auditor
and an administrator, who belong to no authority. Each action is tried on an agreement in
the state the workflow needs for it, so that only the caller decides the answer. A refusal
is 403 and changes nothing; an allowed call succeeds and changes the database.
"""

from datetime import timedelta

import pytest

from registry.agreements import services
from registry.agreements.schemas import TransitionSchema
from registry.core.clock import today
from registry.extensions import db
from registry.users.actors import SCHEDULER
from tests.factories import make_authority, make_user
from tests.shared_data import shared_data
from tests.snapshots import database_snapshot

from .builders import PUBLIC_TASK_WITH_HEALTH, complete_draft, three_councils

URL = "/api/v1/agreements"
WHOSE = {"lead": "LDS", "partner": "BRD"}
ACTORS = [f"{role} of {whose}" for whose in ("lead", "partner", "unrelated") for role in ("viewer", "contributor", "approver")]
ACTORS += ["auditor", "admin"]

# The specification, from domain.md's roles and workflow table, written out rather than asked of the policy.
LEAD_EDITORS = {"contributor of lead", "approver of lead"}
PARTY_EDITORS = LEAD_EDITORS | {"contributor of partner", "approver of partner"}
PARTY_APPROVERS = {"approver of lead", "approver of partner"}
LEAD_APPROVER = {"approver of lead"}


def _party(agreement, code):
    return next(p for p in agreement.latest_version.parties if p.authority.code == code)


def _flow_body(agreement, councils, to="KIR", items=1):
    dataset = councils["LDS"].dataset
    return {
        "from_party_id": _party(agreement, "LDS").id,
        "to_party_id": _party(agreement, to).id,
        "dataset_id": dataset.id,
        "data_item_ids": [item.id for item in dataset.items[:items]],
        "frequency": "continuous",
    }


def _obligation_body(agreement):
    return {
        "owed_by_party_id": _party(agreement, "BRD").id, "owed_to_party_id": _party(agreement, "LDS").id,
        "type": "retention", "description": "Delete the shared data when the agreement ends.",
        "due_kind": "date", "due_date": (today() + timedelta(days=400)).isoformat(),
    }


TRANSITION_REQUESTS = []


def _transition(action, **values):
    def request(agreement, councils):
        body = {"action": action, **values}
        if action == "approve":
            # The hash of the version the approver read: known once it is submitted.
            body["content_hash"] = agreement.latest_version.content_hash
        return "POST", f"{URL}/{agreement.reference}/transitions", body

    TRANSITION_REQUESTS.append(request)
    return request


def _draft(path: str, method: str = "PATCH", body=None):
    def request(agreement, councils):
        ids = {
            "kir": _party(agreement, "KIR").id, "flow": agreement.latest_version.flows[-1].id,
            "obligation": agreement.latest_version.obligations[-1].id,
        }
        data = body(agreement, councils) if callable(body) else body
        return method, f"{URL}/{agreement.reference}/draft/{path.format(**ids)}", data

    return request


SECTION_BODIES = {
    "details": {"title": "Supporting families better", "agreement_type": "joint_controller"},
    "purpose": {"purpose": "Find families who need help early.", "necessity": "Nothing less would do."},
    "terms": {
        "retention": "One year.", "security_measures": "Encrypted.", "breach_notification_hours": 48,
        "onward_sharing_allowed": False, "commercial_use_allowed": False, "international_transfers": False,
    },
    "assurance": {"dpia_status": "screened_out", "dpo_consulted": True},
    "dates": {"start_date": today().isoformat(), "review_date": (today() + timedelta(days=180)).isoformat()},
}

# action: (the state it needs, the request, who may, the status of success)
ACTIONS = {
    "create": (None, lambda agreement, councils: ("POST", URL, {
        "lead_authority_code": "LDS", "title": "Housing and health", "agreement_type": "disclosure",
    }), LEAD_EDITORS, 201),
    **{
        f"save {section}": ("draft", _draft(section, body=body), PARTY_EDITORS, 200)
        for section, body in SECTION_BODIES.items()
    },
    "add party": ("draft", _draft("parties", "POST", {
        "authority_code": "CAL", "sharing_role": "recipient", "controller_role": "controller", "legal_bases": ["UKGDPR-A6-1-E"],
    }), PARTY_EDITORS, 201),
    "change party": ("draft", _draft("parties/{kir}", "PUT", {
        "sharing_role": "both", "controller_role": "joint_controller", "legal_bases": PUBLIC_TASK_WITH_HEALTH,
    }), PARTY_EDITORS, 200),
    "remove party": ("draft", _draft("parties/{kir}", "DELETE"), PARTY_EDITORS, 204),
    "add flow": ("draft", _draft("flows", "POST", lambda a, c: _flow_body(a, c, to="BRD")), PARTY_EDITORS, 201),
    "change flow": ("draft", _draft("flows/{flow}", "PUT", lambda a, c: _flow_body(a, c, items=2)), PARTY_EDITORS, 200),
    "remove flow": ("draft", _draft("flows/{flow}", "DELETE"), PARTY_EDITORS, 204),
    "add obligation": ("draft", _draft("obligations", "POST", lambda a, c: _obligation_body(a)), PARTY_EDITORS, 201),
    "change obligation": ("draft", _draft("obligations/{obligation}", "PUT", lambda a, c: _obligation_body(a)), PARTY_EDITORS, 200),
    "remove obligation": ("draft", _draft("obligations/{obligation}", "DELETE"), PARTY_EDITORS, 204),
    "submit": ("draft", _transition("submit"), LEAD_EDITORS, 200),
    # Leeds's contributor submitted, so Leeds's approvers are free to approve.
    "approve": ("proposed", _transition("approve"), PARTY_APPROVERS, 200),
    "request changes": ("proposed", _transition("request_changes", reason="Say how long data is kept"), PARTY_APPROVERS, 200),
    "withdraw": ("proposed", _transition("withdraw"), LEAD_EDITORS, 200),
    "start review": ("active", _transition("start_review"), PARTY_EDITORS, 200),
    "complete review": ("under_review", _transition("complete_review", next_review=(today() + timedelta(days=90)).isoformat()), LEAD_APPROVER, 200),
    "amend": ("active", _transition("amend"), PARTY_EDITORS, 200),
    "suspend": ("active", _transition("suspend", reason="A breach is being investigated"), PARTY_APPROVERS, 200),
    # Kirklees suspended it; any party's approver resumes it or agrees to.
    "resume": ("suspended", _transition("resume"), PARTY_APPROVERS, 200),
    "terminate": ("active", _transition("terminate", reason="The project has ended"), PARTY_APPROVERS, 200),
}


@shared_data
def _agreement_in(status: str | None, councils):
    """Return the agreement in the state an action needs (built once per worker, then put back)."""
    if status is None:
        return None
    agreement = complete_draft(councils)
    if status == "draft":
        return agreement
    services.submit(councils["LDS"].contributor, agreement)
    if status != "proposed":
        for code in ("LDS", "BRD", "KIR"):
            services.approve(councils[code].approver, agreement, councils[code].authority, content_hash=agreement.latest_version.content_hash)
        services.start(SCHEDULER, agreement)
    if status == "under_review":
        services.start_review(councils["KIR"].contributor, agreement)
    if status == "suspended":
        services.suspend(councils["KIR"].approver, agreement, reason="A breach is being investigated")
    db.session.commit()
    assert agreement.status == status
    return agreement


def _person(actor: str, councils):
    if actor in ("auditor", "admin"):
        return make_user(system_role=actor)
    role, _, whose = actor.partition(" of ")
    if whose == "unrelated":
        return make_user(name=f"Wakefield {role}", memberships={make_authority(code="WKF", name="Wakefield Council"): role})
    return getattr(councils[WHOSE[whose]], role)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", ACTIONS)
def test_only_the_people_domain_md_names_may_take_each_action(app, api_as, action, actor):
    status, request, allowed, success = ACTIONS[action]
    councils = three_councils()
    agreement = _agreement_in(status, councils)  # before anything else is written, so it is put back, not built
    make_authority(code="CAL", name="Calderdale Council")  # not yet a party: one to add
    api = api_as(_person(actor, councils))
    method, url, body = request(agreement, councils)
    before = database_snapshot()

    response = api.client.open(url, method=method, json=body, headers=api.headers)

    if actor in allowed:
        assert response.status_code == success, response.json
        assert database_snapshot() != before
    else:
        assert response.status_code == 403, response.json
        assert response.json["error"] == "forbidden"
        assert database_snapshot() == before


def test_the_matrix_covers_every_mutating_endpoint(app):
    """Guards the matrix: a new mutating route on the agreements API must be added to it."""
    routes = {
        (method, rule.rule.removeprefix(URL))
        for rule in app.url_map.iter_rules()
        # Other features' routes under the same prefix (sign-off's nudges) have matrices of their own.
        if rule.rule.startswith(URL) and rule.endpoint.startswith("agreements_api.")
        for method in rule.methods - {"GET", "HEAD", "OPTIONS"}
    }
    assert routes == {
        ("POST", ""),
        *(("PATCH", f"/<string:reference>/draft/{section}") for section in SECTION_BODIES),
        ("POST", "/<string:reference>/draft/parties"),
        ("PUT", "/<string:reference>/draft/parties/<int:party_id>"),
        ("DELETE", "/<string:reference>/draft/parties/<int:party_id>"),
        ("POST", "/<string:reference>/draft/flows"),
        ("POST", "/<string:reference>/draft/obligations"),
        ("PUT", "/<string:reference>/draft/obligations/<int:obligation_id>"),
        ("DELETE", "/<string:reference>/draft/obligations/<int:obligation_id>"),
        ("PUT", "/<string:reference>/draft/flows/<int:flow_id>"),
        ("DELETE", "/<string:reference>/draft/flows/<int:flow_id>"),
        ("POST", "/<string:reference>/transitions"),
    }
    transitions = {name.replace(" ", "_") for name, (_, request, _, _) in ACTIONS.items() if request in TRANSITION_REQUESTS}
    assert transitions == set(TransitionSchema().fields["action"].validate.choices)
