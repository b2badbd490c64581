"""Every audit action the code can write: found by reading the source, and written by doing each once.

`recorded_actions()` scans the package for the actions its services pass to `record()`, so a
new action is picked up without anyone adding it to a list. `write_every_action()` then does
each of them once, the way people and the scheduled job do, through the services and the API.
"""

import re
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from registry.agreements import drafting, services as agreement_services
from registry.agreements.statuses import Action
from registry.audit import services as audit_services
from registry.auth import services as auth_services
from registry.authorities import services as authority_services
from registry.authorities.models import Authority
from registry.calendars import services as calendar_services
from registry.imports import services as import_services
from registry.imports.reading import Upload
from registry.invitations import services as invitation_services
from registry.password_resets import services as password_reset_services
from registry.password_resets.models import PasswordReset
from registry.users.actors import COMMAND_LINE, SCHEDULER
from registry.core.clock import UK_TIME, today
from registry.extensions import db
from registry.notifications import services as notification_services
from registry.obligations import services as obligation_services
from registry.reminders import services as reminder_services
from registry.signoff import services as signoff_services
from registry.users import services as user_services
from registry.users.roles import Role
from tests.conftest import sign_in
from tests.factories import TEST_PASSWORD, make_authority, make_user
from tests.sso.conftest import sign_in_with
from tests.sso.provider import Served, TestProvider, registry_settings

from ..agreements.builders import agreement_in, complete_draft, three_councils

SOURCE = Path(__file__).resolve().parents[2] / "registry"


def recorded_actions() -> set[str]:
    """Return every action the package's code passes to the audit log's record()."""
    actions = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text()
        actions |= set(re.findall(r'\brecord\(\s*[\w.]+,\s*"([a-z_]+\.[a-z_]+)"', text))
        # Drafting records "agreement.<what>" through its own helper.
        actions |= {f"agreement.{name}" for name in re.findall(r'\b_record\(\s*actor,\s*"([a-z_]+)"', text)}
        # Multi-line calls put the action on its own line after the actor.
        actions |= set(re.findall(r'\brecord\(\s*\n\s*[\w.]+,\s*\n\s*"([a-z_]+\.[a-z_]+)"', text))
    # The workflow's transitions record "agreement.<action>" for every action in its table.
    return actions | {f"agreement.{action.value}" for action in Action}


PARTNER = {"type": "NHS_TRUST", "name": "Leeds Teaching Hospitals NHS Trust", "code": "NHS-RR8", "ods_code": "RR8"}
GATEWAY = {
    "code": "GW-HRA2017-S10", "kind": "gateway", "mandatory": True,
    "citation": "Homelessness Reduction Act 2017, section 10", "title": "Duty to refer",
    "summary": "Specified public authorities must refer people who may be homeless.",
    "url": "https://www.legislation.gov.uk/ukpga/2017/13/section/10", "commenced": "2018-10-01",
}


def _sign_in_with_an_organisations_account(app, admin, authority) -> None:
    provider = TestProvider("entra")
    served = Served(provider)
    try:
        app.config["SSO_PROVIDERS"] = registry_settings(provider, roles={"Registry.Approver": Role.APPROVER})
        invitation_services.invite(admin, email="sso.person@leeds.example.org", authority=authority, role=Role.VIEWER)
        db.session.commit()
        provider.person = provider.claims_for(email="sso.person@leeds.example.org", roles=["Registry.Approver"])
        assert sign_in_with(app.test_client(), provider).status_code == 302
    finally:
        served.stop()
        app.config.pop("SSO_PROVIDERS", None)


def write_every_action(app, api_as) -> None:
    """Do every recorded action once, committing as each request or job would."""
    councils = three_councils()  # user.create and membership.grant for each council's people
    leeds, bradford, kirklees = councils["LDS"], councils["BRD"], councils["KIR"]
    admin = make_user(email="every-action-admin@example.org", system_role="admin")

    # Signing in and out, through the real form.
    client = app.test_client()
    sign_in(client, leeds.viewer)
    client.post("/sign-out", data={"csrf_token": _token(client)})

    # People, roles and tokens.
    api = api_as(admin)
    person = make_user(name="Passing Officer", memberships={leeds.authority: "viewer"})
    user_services.set_system_role(COMMAND_LINE, person, "auditor")
    user_services.revoke_membership(COMMAND_LINE, person.memberships[0])
    user_services.deactivate_user(COMMAND_LINE, person)
    user_services.reactivate_user(COMMAND_LINE, person)
    token, _ = user_services.create_api_token(person, "laptop")
    user_services.revoke_api_token(person, token)
    db.session.commit()

    # Administrators for an authority invite people; passwords are changed and reset.
    grant = user_services.appoint_administrator(COMMAND_LINE, leeds.viewer, leeds.authority)
    invited = invitation_services.invite(leeds.viewer, email="newcomer@example.org", authority=leeds.authority,
                                         role=Role.CONTRIBUTOR).invitation
    invitation_services.resend(leeds.viewer, invited)
    declined = invitation_services.invite(leeds.viewer, email="not-coming@example.org", authority=leeds.authority,
                                          role=Role.VIEWER).invitation
    invitation_services.cancel(leeds.viewer, declined)
    invitation_services.accept_with_password(invited, name="New Comer", password="a-long-enough-passphrase")
    user_services.remove_administrator(COMMAND_LINE, grant)
    db.session.commit()  # the throttle below counts on a connection of its own
    user_services.change_password(person, person, current_password=TEST_PASSWORD, new_password="another-long-passphrase",
                                  client_address="127.0.0.1", keep_session=None)
    db.session.commit()
    password_reset_services.request_reset(person.email, "127.0.0.1")
    password_reset_services.reset_password(db.session.scalar(sa.select(PasswordReset)), "a-third-long-passphrase")
    db.session.commit()

    # A register brought in from a spreadsheet, as a record in force.
    register = (b"Title,Purpose,Lead Organisation,Other Organisations Involved,Review date\n"
                b"Troubled families,Support families together,Leeds City Council,Bradford Council,31/03/2027\n")
    import_services.import_agreements(leeds.approver, Upload("register.csv", register), in_force=True)
    db.session.commit()

    # Single sign-on: an invited person signs in with their organisation's account (linking it),
    # whose roles claim then sets their role; Leeds turns password sign-in off for its people.
    _sign_in_with_an_organisations_account(app, admin, leeds.authority)
    auth_services.set_password_sign_in(admin, leeds.authority, allowed=False)
    db.session.commit()

    # Authorities, legal bases and datasets, through the API.
    assert api.post("/api/v1/authorities", json=PARTNER).status_code == 201
    trust = db.session.scalar(sa.select(Authority).where(Authority.code == "NHS-RR8"))
    authority_services.edit_partner(COMMAND_LINE, trust, {**PARTNER, "name": "Leeds Teaching Hospitals"})
    db.session.commit()
    assert api.post("/api/v1/legal-bases", json=GATEWAY).status_code == 201
    assert api.client.patch("/api/v1/legal-bases/GW-HRA2017-S10", json={"title": "Duty to refer the homeless"},
                            headers=api.headers).status_code == 200
    contributor_api = api_as(leeds.contributor)
    created = contributor_api.post("/api/v1/datasets", json={
        "authority_code": "LDS", "name": "Housing register", "security_classification": "OFFICIAL",
        "items": [{"name": "Address", "personal": True}],
    })
    assert created.status_code == 201, created.json
    dataset = created.json["id"]
    assert contributor_api.client.patch(f"/api/v1/datasets/{dataset}", json={"description": "Who is waiting"},
                                        headers=contributor_api.headers).status_code == 200
    item = contributor_api.post(f"/api/v1/datasets/{dataset}/items", json={"name": "Household size"}).json["id"]
    assert contributor_api.client.patch(f"/api/v1/datasets/{dataset}/items/{item}", json={"name": "People in household"},
                                        headers=contributor_api.headers).status_code == 200
    assert contributor_api.delete(f"/api/v1/datasets/{dataset}/items/{item}").status_code == 204

    # Drafting: every kind of edit, then the workflow from submission to termination.
    agreement = complete_draft(councils)
    author = leeds.contributor
    draft = agreement.latest_version
    drafting.update_section(author, agreement, "details", {"title": "Supporting families together"})
    wakefield = make_authority(code="WKF", name="Wakefield Council", type="MD")
    party = drafting.add_party(author, agreement, wakefield, sharing_role="recipient", controller_role="controller",
                               legal_bases=["UKGDPR-A6-1-E"])
    flow = draft.flows[1]
    drafting.update_flow(author, agreement, flow.id, {
        "from_party_id": flow.from_party_id, "to_party_id": flow.to_party_id, "dataset_id": flow.dataset_id,
        "data_item_ids": [i.id for i in flow.data_items], "frequency": "periodic",
    })
    drafting.add_flow(author, agreement, {
        "from_party_id": flow.from_party_id, "to_party_id": party.id, "dataset_id": flow.dataset_id,
        "data_item_ids": [i.id for i in flow.data_items], "frequency": "one_off",
    })
    drafting.remove_flow(author, agreement, draft.flows[-1].id)
    drafting.remove_party(author, agreement, party.id)
    breach = draft.obligations[1]
    drafting.update_obligation(author, agreement, breach.id, {
        "owed_by_party_id": breach.owed_by_party_id, "owed_to_party_id": None, "type": "breach_notification",
        "description": "Tell the others about a breach at once.", "due_kind": "event",
        "event": "a personal data breach", "within_hours": 12,
    })
    extra = drafting.add_obligation(author, agreement, {
        "owed_by_party_id": breach.owed_by_party_id, "owed_to_party_id": None, "type": "other",
        "description": "Something dropped later.", "due_kind": "date", "due_date": today() + timedelta(days=30),
    })
    drafting.remove_obligation(author, agreement, extra.id)
    db.session.commit()

    # Bradford's approver hears of proposals in a daily digest (written further down).
    notification_services.set_preferences(bradford.approver, {"proposals": "digest"})
    agreement_services.submit(author, agreement)
    agreement_services.request_changes(bradford.approver, agreement, reason="Say how long the data is kept.")
    agreement_services.submit(author, agreement)
    for council in (leeds, bradford, kirklees):
        agreement_services.approve(council.approver, agreement, council.authority,
                                   content_hash=agreement.latest_version.content_hash)
    agreement_services.start(SCHEDULER, agreement)
    agreement_services.start_review(leeds.contributor, agreement)
    agreement_services.complete_review(leeds.approver, agreement, next_review=today() + timedelta(days=200))
    agreement_services.amend(bradford.contributor, agreement)
    db.session.commit()

    # What a party owes, and the reminders that go out about it.
    security = next(o for o in agreement.current_version.obligations if o.type == "security_standard")
    obligation_services.attest(bradford.approver, security.id, status="met", note="Certificate sent.",
                               evidence_reference="CE+ 2026")
    app.config["TODAY"] = today() + timedelta(days=150)
    reminder_services.queue_due_reminders(SCHEDULER, today())
    app.config["TODAY"] = None
    # Reminders are chosen with the other notifications (reminder.preferences is written no more).
    notification_services.set_preferences(leeds.approver, {"obligation_reminders": "off"})
    digest_hour = datetime.now(UK_TIME).replace(hour=app.config["NOTIFICATIONS_DIGEST_HOUR"], minute=5)
    assert notification_services.send_digests(SCHEDULER, digest_hour) == 1
    feed, _ = calendar_services.create_feed(leeds.viewer, leeds.authority)
    calendar_services.revoke_feed(leeds.viewer, feed)
    db.session.commit()

    agreement_services.suspend(kirklees.approver, agreement, reason="Checking a breach")
    agreement_services.resume(kirklees.approver, agreement)
    agreement_services.terminate(leeds.approver, agreement, reason="The programme has ended.")
    db.session.commit()

    withdrawn = agreement_in("proposed", councils)
    # Waiting for approval: the lead nudges a party, and the schedule chases them all.
    signoff_services.nudge(leeds.approver, withdrawn, kirklees.authority)
    app.config["TODAY"] = today() + timedelta(days=7)
    signoff_services.send_chasers(SCHEDULER, today())
    app.config["TODAY"] = None
    agreement_services.withdraw(author, withdrawn, reason="Started again elsewhere.")
    ending = agreement_in("active", councils)
    app.config["TODAY"] = ending.current_version.end_date + timedelta(days=1)
    agreement_services.expire(SCHEDULER, ending)
    app.config["TODAY"] = None
    db.session.commit()

    rotation = audit_services.rotate_key(COMMAND_LINE, "entry")
    db.session.commit()
    rotation.install()


def _token(client) -> str:
    from tests.conftest import csrf_token_from

    return csrf_token_from(client.get("/account").get_data(as_text=True))
