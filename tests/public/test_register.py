"""The public register: only agreements in force, only their published fields, for anyone, with downloads and a change log."""

import csv
import io
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.agreements import drafting, services
from registry.agreements.models import AgreementVersion
from registry.users.actors import SCHEDULER
from registry.core.clock import today
from tests.shared_data import shared_data
from registry.core.templating import format_date, format_iso_date
from registry.extensions import db
from registry.public.published import FIELD_NAMES
from registry.users.models import User
from tests.agreements.builders import complete_draft, make_test_dataset, three_councils
from tests.factories import make_user
from tests.html_checks import words_outside_small_print

LEGAL_BASES = ["UKGDPR-A6-1-E", "UKGDPR-A9-2-G", "DPA2018-S1-P6", "UKGDPR-A10", "GW-CDA1998-S115"]
# Words that only these pieces of text contain, so finding one anywhere is a leak.
ITEM_NAMES = ["Xylophone Reference Number", "Quokka Health Marker", "Narwhal Conviction Flag"]
DATASET_NAME = "Wombat Casefile Extract"
WITHHOLDING_REASON = "Capercaillie intelligence operation"
REQUEST_CHANGES_REASON = "Gooseberry wording is unclear"
SUSPEND_REASON = "Lapwing breach being investigated"
TERMINATE_REASON = "Loganberry service decommissioned"
# What the agreement says beyond the published fields.
UNPUBLISHED_TEXT = ["Two years, then deleted.", "Encrypted at rest and in transit.", "DPIA-42", "500 a month", "SFTP",
                    "Only the items listed are needed to match families."]


@pytest.fixture
def councils(app):
    """Leeds, Bradford and Kirklees, whose people have distinctive names and emails, and a Leeds dataset."""
    return _councils()


@shared_data
def _councils():
    councils = three_councils()
    people = {
        "LDS": ("Zebedee Quartermaine", "Philomena Gristlethwaite"),
        "BRD": ("Ignatius Pennyfeather", "Barnaby Thistlewood"),
        "KIR": ("Araminta Fotheringay", "Ottoline Marchbanks"),
    }
    for code, (contributor, approver) in people.items():
        authority = councils[code].authority
        councils[code].contributor = make_user(
            name=contributor, email=contributor.lower().replace(" ", ".") + "@council.example", memberships={authority: "contributor"}
        )
        councils[code].approver = make_user(
            name=approver, email=approver.lower().replace(" ", ".") + "@council.example", memberships={authority: "approver"}
        )
    councils["LDS"].dataset = make_test_dataset(
        councils["LDS"].authority, DATASET_NAME, list(zip(ITEM_NAMES, ["personal", "special", "criminal"]))
    )
    return councils


def draft(councils, title: str, purpose: str, *, withhold: str | None = None, start=None):
    """Draft a complete Leeds-led agreement with Bradford and Kirklees, with its own title and purpose."""
    agreement = complete_draft(councils, start=start)
    author = councils["LDS"].contributor
    details = {"title": title, "agreement_type": "information_sharing"}
    if withhold:
        details |= {"withhold_from_register": True, "withholding_reason": withhold}
    drafting.update_section(author, agreement, "details", details)
    drafting.update_section(author, agreement, "purpose", {"purpose": purpose})
    for party in agreement.latest_version.parties:
        drafting.update_party(author, agreement, party.id, sharing_role="both", controller_role="controller", legal_bases=LEGAL_BASES)
    db.session.commit()
    return agreement


def approve_all(councils, agreement):
    version = agreement.latest_version
    for code in ("LDS", "BRD", "KIR"):
        services.approve(councils[code].approver, agreement, councils[code].authority, content_hash=version.content_hash)
    db.session.commit()


def in_force(councils, title: str, purpose: str, **kwargs):
    """Return an agreement that has been approved and started."""
    agreement = draft(councils, title, purpose, **kwargs)
    services.submit(councils["LDS"].contributor, agreement)
    approve_all(councils, agreement)
    services.start(SCHEDULER, agreement)
    db.session.commit()
    return agreement


def amend(councils, agreement, *, title: str, purpose: str):
    """Start an amendment of the agreement and change its title and purpose."""
    services.amend(councils["LDS"].contributor, agreement)
    drafting.update_section(councils["LDS"].contributor, agreement, "details", {"title": title, "agreement_type": "information_sharing"})
    drafting.update_section(councils["LDS"].contributor, agreement, "purpose", {"purpose": purpose})
    db.session.commit()


@pytest.fixture
def world(councils):
    """Agreements in every state; only the first four are in the register."""
    return _world(councils)


@shared_data
def _world(councils):
    made = {}
    made["active"] = in_force(councils, "Riverside early help partnership", "Coordinate early help for families across the river.")

    made["under_review"] = in_force(councils, "Hillside school attendance", "Improve school attendance in the hills.")
    services.start_review(councils["LDS"].contributor, made["under_review"])
    services.complete_review(councils["LDS"].approver, made["under_review"], next_review=today() + timedelta(days=200))
    services.start_review(councils["LDS"].contributor, made["under_review"])
    db.session.commit()

    made["suspended"] = in_force(councils, "Canalside housing support", "Help tenants at risk of eviction.")
    services.suspend(councils["KIR"].approver, made["suspended"], reason=SUSPEND_REASON)
    services.resume(councils["KIR"].approver, made["suspended"])
    services.suspend(councils["KIR"].approver, made["suspended"], reason=SUSPEND_REASON)
    db.session.commit()

    # Amended once (version 2 in force), and now a second amendment is being drafted after changes were asked for.
    made["amended"] = in_force(councils, "Moorland carers register", "Find unpaid carers who need support.")
    amend(councils, made["amended"], title="Moorland carers register", purpose="Find and support unpaid carers of all ages.")
    services.submit(councils["LDS"].contributor, made["amended"])
    approve_all(councils, made["amended"])
    amend(councils, made["amended"], title="Marmalade amended title", purpose="Marmalade purpose from the draft amendment.")
    services.submit(councils["LDS"].contributor, made["amended"])
    services.request_changes(councils["BRD"].approver, made["amended"], reason=REQUEST_CHANGES_REASON)
    drafting.update_section(councils["LDS"].contributor, made["amended"], "purpose", {"purpose": "Marmalade purpose, reworded."})
    db.session.commit()

    made["draft"] = draft(councils, "Pomegranate draft agreement", "Pomegranate purpose.")
    made["proposed"] = draft(councils, "Quince proposed agreement", "Quince purpose.")
    services.submit(councils["LDS"].contributor, made["proposed"])
    made["changes_requested"] = draft(councils, "Gooseberry sent back agreement", "Gooseberry purpose.")
    services.submit(councils["LDS"].contributor, made["changes_requested"])
    services.request_changes(councils["KIR"].approver, made["changes_requested"], reason=REQUEST_CHANGES_REASON)
    made["approved"] = draft(councils, "Tamarind approved agreement", "Tamarind purpose.", start=today() + timedelta(days=30))
    services.submit(councils["LDS"].contributor, made["approved"])
    approve_all(councils, made["approved"])
    made["withdrawn"] = draft(councils, "Kumquat withdrawn agreement", "Kumquat purpose.")
    services.submit(councils["LDS"].contributor, made["withdrawn"])
    services.withdraw(councils["LDS"].contributor, made["withdrawn"])
    made["terminated"] = in_force(councils, "Persimmon terminated agreement", "Persimmon purpose.")
    services.terminate(councils["BRD"].approver, made["terminated"], reason=TERMINATE_REASON)
    made["expired"] = in_force(councils, "Damson expired agreement", "Damson purpose.", start=today() - timedelta(days=4 * 365))
    services.expire(SCHEDULER, made["expired"])
    made["withheld"] = in_force(councils, "Ptarmigan withheld agreement", "Ptarmigan purpose.", withhold=WITHHOLDING_REASON)
    services.suspend(councils["KIR"].approver, made["withheld"], reason=SUSPEND_REASON)
    db.session.commit()
    return made


PUBLISHED = ("active", "under_review", "suspended", "amended")
NEVER_LISTED = {
    "draft": "Pomegranate",
    "proposed": "Quince",
    "changes_requested": "Gooseberry",
    "approved": "Tamarind",
    "withdrawn": "Kumquat",
    "terminated": "Persimmon",
    "expired": "Damson",
    "withheld": "Ptarmigan",
}
NEVER_ANYWHERE = ("draft", "proposed", "changes_requested", "approved", "withdrawn", "withheld")


def everything_published(client) -> dict[str, str]:
    """Return the text of every public page and download, by name."""
    pages = {
        "register": client.get("/register").get_data(as_text=True),
        "csv": client.get("/register/download.csv").get_data(as_text=True),
        "json": client.get("/register/download.json").get_data(as_text=True),
        "changes": client.get("/register/changes").get_data(as_text=True),
        "changes_json": client.get("/register/changes.json").get_data(as_text=True),
    }
    for reference in json.loads(pages["json"])["agreements"]:
        pages[reference["reference"]] = client.get(f"/register/{reference['reference']}").get_data(as_text=True)
    return pages


def test_anyone_can_read_the_register_without_signing_in(client, world):
    for url in ["/register", "/register/changes", "/register/changes.json", "/register/download.csv",
                "/register/download.json",
                f"/register/{world['active'].reference}"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=300"


def test_only_agreements_in_force_are_listed(client, world):
    pages = everything_published(client)
    listed = {record["reference"] for record in json.loads(pages["json"])["agreements"]}
    assert listed == {world[name].reference for name in PUBLISHED}
    for name, word in NEVER_LISTED.items():
        reference = world[name].reference
        for where in ("register", "csv", "json"):
            assert reference not in pages[where], f"{name} is in the {where}"
            assert word not in pages[where], f"{name}'s title is in the {where}"
        assert client.get(f"/register/{reference}").status_code == 404


def test_unpublished_agreements_never_reach_the_change_log(client, world):
    pages = everything_published(client)
    for name in NEVER_ANYWHERE:
        assert world[name].reference not in pages["changes"], name
        assert NEVER_LISTED[name] not in pages["changes"], name
    # Ended agreements were in the register: the log keeps them, without a link to a page they no longer have.
    for name in ("terminated", "expired"):
        assert world[name].reference in pages["changes"]
        assert f'href="/register/{world[name].reference}"' not in pages["changes"]


def test_only_the_version_in_force_of_an_amended_agreement_is_published(client, world):
    pages = everything_published(client)
    for where, text in pages.items():
        assert "Marmalade" not in text, f"the draft amendment shows in {where}"
    record = next(r for r in json.loads(pages["json"])["agreements"] if r["reference"] == world["amended"].reference)
    assert record["version"] == 2
    assert record["purpose"] == "Find and support unpaid carers of all ages."
    assert "Find unpaid carers who need support." not in pages[world["amended"].reference]


def test_nothing_personal_or_sensitive_is_published(client, world):
    pages = everything_published(client)
    people = db.session.execute(sa.select(User.name, User.email)).all()
    assert len(people) >= 13
    secrets = [text for person in people for text in person]
    secrets += ITEM_NAMES + [DATASET_NAME, WITHHOLDING_REASON, REQUEST_CHANGES_REASON, SUSPEND_REASON, TERMINATE_REASON]
    secrets += UNPUBLISHED_TEXT
    secrets += [hash_ for hash_ in db.session.scalars(sa.select(AgreementVersion.content_hash)) if hash_]
    secrets += ["Gooseberry", "Capercaillie", "Lapwing", "Loganberry", "@council.example", "@example.org"]
    for where, text in pages.items():
        leaked = [secret for secret in secrets if secret in text]
        assert leaked == [], f"{where} shows {leaked}"


def test_register_entries_name_parties_and_legal_bases_in_words_not_codes(client, world):
    reference = world["under_review"].reference
    for page in (client.get("/register").get_data(as_text=True), client.get(f"/register/{reference}").get_data(as_text=True)):
        assert "Bradford Council: provides and receives data, controller" in page
        assert "UK GDPR Article 6(1)(e): Public task" in page
        assert "Crime and Disorder Act 1998, section 115 (permissive gateway)" in page
        words = " ".join(words_outside_small_print(page))
        assert not {"BRD", "UKGDPR-A6-1-E", "GW-CDA1998-S115"} & set(words.replace("(", " ").replace(")", " ").split())


def test_suspended_and_under_review_agreements_say_so(client, world):
    suspended = client.get(f"/register/{world['suspended'].reference}").get_data(as_text=True)
    assert "Suspended" in suspended and "This agreement is suspended" in suspended
    under_review = client.get(f"/register/{world['under_review'].reference}").get_data(as_text=True)
    assert "Under review" in under_review


def test_the_change_log_lists_what_happened_and_when_without_names(client, world):
    page = client.get("/register/changes").get_data(as_text=True)
    day = format_date(today())
    rows = page.split('<tr class="govuk-table__row">')[2:]
    assert len(rows) == 13 and all(day in row for row in rows)

    def changes_of(name):
        return [row for row in rows if world[name].reference in row]

    assert len(changes_of("active")) == 1 and "Started" in changes_of("active")[0]
    review = changes_of("under_review")
    assert [("Review completed" in r, "Started" in r) for r in review] == [(True, False), (False, True)]
    suspended = " ".join(changes_of("suspended"))
    assert suspended.count("Suspended") == 2 and suspended.count("Resumed") == 1
    amended = changes_of("amended")
    assert len(amended) == 2 and "Version 2 came into force" in amended[0] and "Started" in amended[1]
    assert [("Terminated" in r) for r in changes_of("terminated")] == [True, False]
    assert [("Expired" in r) for r in changes_of("expired")] == [True, False]
    assert "13 changes" in page


def test_the_change_log_downloads_as_json_with_the_same_changes_as_the_page(client, world):
    page = client.get("/register/changes").get_data(as_text=True)
    document = client.get("/register/changes.json").get_json()

    assert set(document) == {"published", "changes"}
    assert len(document["changes"]) == 13
    for entry in document["changes"]:
        assert set(entry) == {"date", "reference", "title", "change", "in_register"}
        assert entry["date"] == today().isoformat()
        assert entry["reference"] in page and entry["change"] in page
    by_reference = {}
    for entry in document["changes"]:
        by_reference.setdefault(entry["reference"], []).append(entry["change"])
    assert by_reference[world["amended"].reference] == ["Version 2 came into force", "Started"]
    assert by_reference[world["terminated"].reference] == ["Terminated", "Started"]
    assert world["withheld"].reference not in by_reference


def test_the_change_log_filters_by_reference(client, world):
    reference = world["suspended"].reference
    page = client.get(f"/register/changes?reference={reference.lower()}").get_data(as_text=True)
    assert f"4 changes to {reference}" in page
    assert world["active"].reference not in page
    withheld = client.get(f"/register/changes?reference={world['withheld'].reference}").get_data(as_text=True)
    assert "No changes to" in withheld


def test_a_reference_that_is_not_one_is_a_filter_error(client, world):
    response = client.get("/register/changes?reference=nonsense")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<title>Error: " in page and 'href="#reference">Enter a reference like DSA-2026-0042' in page
    assert response.headers["Cache-Control"] == "no-store"


def test_unknown_and_unpublished_references_are_not_found(client, world):
    for reference in ["DSA-1999-9999", "nonsense", world["withheld"].reference, world["draft"].reference]:
        response = client.get(f"/register/{reference}")
        assert response.status_code == 404
        assert "Ptarmigan" not in response.get_data(as_text=True)


def _csv(client) -> list[dict]:
    return list(csv.DictReader(io.StringIO(client.get("/register/download.csv").get_data(as_text=True))))


def _count_on_page(page: str) -> int:
    count = page.split('role="status">', 1)[1].split("<", 1)[0]
    return int(count.split()[0])


def test_downloads_round_trip_with_the_page_and_publish_only_the_listed_fields(client, world):
    page = client.get("/register").get_data(as_text=True)
    document = client.get("/register/download.json").get_json()
    rows = _csv(client)

    assert set(document) == {"published", "fields", "agreements"}
    assert document["published"] == today().isoformat()
    assert tuple(document["fields"]) == FIELD_NAMES
    assert tuple(csv.reader(io.StringIO(client.get("/register/download.csv").get_data(as_text=True))).__next__()) == FIELD_NAMES
    assert len(rows) == len(document["agreements"]) == _count_on_page(page) == len(PUBLISHED)

    for row, record in zip(rows, document["agreements"]):
        assert tuple(record) == FIELD_NAMES
        assert set(record["lead_authority"]) == {"name", "code"}
        assert all(set(party) == {"name", "code", "sharing_role", "controller_role"} for party in record["parties"])
        assert all(set(basis) == {"code", "name", "citation", "gateway"} for basis in record["legal_bases"])
        assert row["reference"] == record["reference"] and row["title"] == record["title"]
        assert row["purpose"] == record["purpose"] and row["version"] == str(record["version"])
        for day in ("start_date", "review_date", "end_date", "last_changed"):
            assert row[day] == (record[day] or "")
        assert row["parties"].split("; ") == [
            f"{p['name']} ({p['code']}): provides and receives data, controller" for p in record["parties"]
        ]
        assert row["legal_bases"].split("; ") == [
            f"{b['name']} ({b['code']}" + (f", {b['gateway']} gateway)" if b["gateway"] else ")") for b in record["legal_bases"]
        ]
        assert row["categories_of_data"] == "; ".join(record["categories_of_data"])
        # And the page shows the same agreement.
        assert record["reference"] in page and record["title"] in page and record["purpose"] in page
        detail = client.get(f"/register/{record['reference']}").get_data(as_text=True)
        for day in ("start_date", "review_date", "end_date"):
            assert format_iso_date(record[day]) in detail


def test_downloads_match_the_database(client, world):
    document = client.get("/register/download.json").get_json()
    records = {record["reference"]: record for record in document["agreements"]}
    agreement = world["under_review"]
    db.session.refresh(agreement)
    version = agreement.current_version
    assert records[agreement.reference] == {
        "reference": agreement.reference,
        "title": "Hillside school attendance",
        "status": "under_review",
        "lead_authority": {"name": "Leeds City Council", "code": "LDS"},
        "parties": [
            {"name": name, "code": code, "sharing_role": "both", "controller_role": "controller"}
            for code, name in [("LDS", "Leeds City Council"), ("BRD", "Bradford Council"), ("KIR", "Kirklees Council")]
        ],
        "purpose": "Improve school attendance in the hills.",
        "legal_bases": [
            {
                "code": "DPA2018-S1-P6",
                "name": "Data Protection Act 2018, Schedule 1, Part 2, paragraph 6: Statutory etc and government purposes",
                "citation": "Data Protection Act 2018, Schedule 1, Part 2, paragraph 6",
                "gateway": None,
            },
            {
                "code": "GW-CDA1998-S115",
                "name": "Crime and Disorder Act 1998, section 115",
                "citation": "Crime and Disorder Act 1998, section 115",
                "gateway": "permissive",
            },
            {
                "code": "UKGDPR-A10",
                "name": records[agreement.reference]["legal_bases"][2]["name"],
                "citation": records[agreement.reference]["legal_bases"][2]["citation"],
                "gateway": None,
            },
            {"code": "UKGDPR-A6-1-E", "name": "UK GDPR Article 6(1)(e): Public task", "citation": "UK GDPR Article 6(1)(e)", "gateway": None},
            {
                "code": "UKGDPR-A9-2-G",
                "name": "UK GDPR Article 9(2)(g): Substantial public interest",
                "citation": "UK GDPR Article 9(2)(g)",
                "gateway": None,
            },
        ],
        "categories_of_data": ["Personal data", "Special category data", "Criminal offence data"],
        "start_date": version.start_date.isoformat(),
        "review_date": (today() + timedelta(days=200)).isoformat(),
        "end_date": version.end_date.isoformat(),
        "version": 1,
        "last_changed": today().isoformat(),
    }


def test_csv_cells_cannot_run_as_formulas(client, councils):
    in_force(councils, "=HYPERLINK(\"http://evil.example\")", "-1+1 purpose")
    row = _csv(client)[0]
    assert row["title"] == "'=HYPERLINK(\"http://evil.example\")"
    assert row["purpose"] == "'-1+1 purpose"


def test_downloads_are_named_for_the_day(client, app):
    response = client.get("/register/download.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="data-sharing-register-{today().isoformat()}.csv"'
    assert response.get_data(as_text=True).strip() == ",".join(FIELD_NAMES)
    assert client.get("/register/download.json").get_json() == {"published": today().isoformat(), "fields": list(FIELD_NAMES), "agreements": []}


def test_signed_in_pages_are_never_shared_by_caches(signed_in_client, councils):
    response = signed_in_client(councils["LDS"].viewer).get("/register")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Cookie" in response.headers["Vary"]


def test_the_agreements_are_in_the_states_the_tests_rely_on(world):
    statuses = {name: agreement.status for name, agreement in world.items()}
    assert statuses == {
        "active": "active", "under_review": "under_review", "suspended": "suspended", "amended": "active",
        "draft": "draft", "proposed": "proposed", "changes_requested": "draft", "approved": "approved",
        "withdrawn": "withdrawn", "terminated": "terminated", "expired": "expired", "withheld": "suspended",
    }
    amended = world["amended"]
    assert amended.current_version.number == 2 and amended.pending_version.state == "draft"
    assert "Marmalade" in amended.pending_version.purpose
    assert world["withheld"].current_version.withhold_from_register
