"""POST /api/v1/agreement-imports: the same import through the API, as multipart form data."""

import io
import json

import sqlalchemy as sa

from registry.agreements.models import Agreement
from registry.extensions import db
from tests.factories import make_user

from .registers import as_xlsx, county_register

URL = "/api/v1/agreement-imports"
REGISTER = (
    "Title,Purpose,Lead Organisation,Other Organisations Involved,Review date\n"
    "MARAC,Domestic abuse risk,Leeds CC,Wakefeild Concil,31/03/2027\n"
    "Troubled families,,Bradford MDC,,1 April 2027\n"
).encode()


def _post(api, data: bytes, name="register.csv", **options):
    form = {"file": (io.BytesIO(data), name), **{key: value if isinstance(value, str) else json.dumps(value)
                                                 for key, value in options.items()}}
    return api.client.post(URL, data=form, headers=api.headers, content_type="multipart/form-data")


def _agreements() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Agreement))


def test_a_dry_run_answers_every_rows_outcome_and_creates_nothing(api_as, importer):
    response = _post(api_as(importer), REGISTER, dry_run="true")

    assert response.status_code == 200, response.json
    body = response.json
    assert (body["file_name"], body["problems"], body["created"]) == ("register.csv", 1, 0)
    assert body["rows"][1] == {"row": 3, "outcome": "to_create", "reference": None, "title": "Troubled families",
                               "lead": "BRD", "parties": [], "legal_bases": [], "notes": ["“Bradford MDC” read as City of "
                               "Bradford Metropolitan District Council"], "problems": []}
    assert body["rows"][0]["problems"] == [{"row": 2, "column": "Other Organisations Involved", "message":
                                            "No authority is called “Wakefeild Concil”: did you mean Wakefield Council (WKF)?"}]
    assert _agreements() == 0


def test_a_register_with_a_problem_is_refused_with_422_and_each_problem(api_as, importer):
    response = _post(api_as(importer), REGISTER)
    assert response.status_code == 422
    assert response.json["fields"]["rows"] == [
        "Row 2, Other Organisations Involved: No authority is called “Wakefeild Concil”: did you mean Wakefield Council (WKF)?"]
    assert _agreements() == 0


def test_names_chosen_and_a_mapping_are_taken(api_as, importer):
    response = _post(api_as(importer), REGISTER, names={"Wakefeild Concil": "WKF"},
                     mapping={"title": 0, "lead": 2, "others": 3})
    assert response.status_code == 200, response.json
    assert [row["outcome"] for row in response.json["rows"]] == ["created", "created"]
    assert response.json["rows"][0]["parties"] == ["WKF"]
    assert _agreements() == 2


def test_only_valid_imports_the_good_rows_and_a_second_post_creates_nothing(api_as, importer):
    api = api_as(importer)
    first = _post(api, REGISTER, only_valid="true").json
    second = _post(api, REGISTER, only_valid="true").json
    assert (first["created"], second["created"], second["already_imported"]) == (1, 0, 1)
    assert _agreements() == 1


def test_a_bad_file_is_refused_saying_why(api_as, importer):
    response = _post(api_as(importer), b"%PDF-1.7\x00", "scan.pdf")
    assert response.status_code == 422 and "scan.pdf is not a spreadsheet" in response.json["fields"]["file"][0]


def test_a_register_larger_than_other_bodies_is_taken(api_as, importer):
    rows = county_register(200)
    for row in rows:
        row.cells[1] = "x" * 6000
    response = _post(api_as(importer), as_xlsx(rows), "big.xlsx", dry_run="true")
    assert response.status_code == 200


def test_options_must_be_true_or_false_and_json_objects(api_as, importer):
    response = _post(api_as(importer), REGISTER, dry_run="yes", mapping="[1]")
    assert response.status_code == 422


def test_a_viewer_imports_nothing(api_as, west_yorkshire):
    viewer = make_user(memberships={west_yorkshire["LDS"]: "viewer"})
    response = _post(api_as(viewer), REGISTER, names={"Wakefeild Concil": "WKF"})
    assert response.status_code == 403
    assert _agreements() == 0


def test_nobody_without_a_token_imports(api_as, west_yorkshire):
    assert _post(api_as(None), REGISTER).status_code == 401
