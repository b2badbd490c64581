"""The compare sentences name authorities and legal bases in words, though versions keep them by code."""

from registry.agreements.diff import differences

WORDS = {
    "LDS": "Leeds City Council",
    "BRD": "Bradford Council",
    "UKGDPR-A6-1-E": "UK GDPR Article 6(1)(e): Public task",
    "DPA2018-S1-P18": "Data Protection Act 2018, Schedule 1, Part 2, paragraph 18: Safeguarding of children and individuals at risk",
}


def _party(code: str, name: str, bases: list[str]) -> dict:
    return {"authority": code, "name": name, "sharing_role": "both", "controller_role": "controller", "legal_bases": bases}


def _document(*, lead="LDS", bradford_bases=(), flows=(), obligations=()) -> dict:
    return {
        "title": "Early help", "type": "dsa", "lead_authority": lead,
        "parties": [_party("LDS", "Leeds City Council", ["UKGDPR-A6-1-E"]), _party("BRD", "Bradford Council", list(bradford_bases))],
        "flows": list(flows), "obligations": list(obligations),
    }


FLOW = {"from": "LDS", "to": "BRD", "dataset": {"id": 1, "name": "Children in need"}, "data_items": [],
        "frequency": "periodic", "method": "", "volume": ""}
OBLIGATION = {"owed_by": "BRD", "owed_to": "LDS", "type": "other", "description": "Delete on request",
              "due": {"kind": "date", "date": "2027-01-01", "every_months": None, "within_hours": None, "event": None}}


def test_legal_bases_a_party_gains_are_cited_and_named():
    sentences = differences(_document(), _document(bradford_bases=["DPA2018-S1-P18", "UKGDPR-A6-1-E"]), WORDS)
    assert sentences == [
        "Bradford Council now also relies on Data Protection Act 2018, Schedule 1, Part 2, paragraph 18: "
        "Safeguarding of children and individuals at risk; UK GDPR Article 6(1)(e): Public task."
    ]


def test_flows_obligations_and_the_lead_name_their_authorities():
    sentences = differences(_document(), _document(lead="BRD", flows=[FLOW], obligations=[OBLIGATION]), WORDS)
    assert sentences == [
        "Lead authority changed from “Leeds City Council” to “Bradford Council”.",
        "New flow: Children in need from Leeds City Council to Bradford Council.",
        "New obligation: Bradford Council owes Leeds City Council other (Delete on request), by 2027-01-01.",
    ]


def test_a_code_with_no_words_is_said_as_it_is():
    assert differences(_document(), _document(bradford_bases=["GW-NEW-1"]), WORDS) == ["Bradford Council now also relies on GW-NEW-1."]


def test_a_changed_frequency_leaves_the_authorities_named_in_what_follows():
    one_off = {**FLOW, "frequency": "one_off"}
    sentences = differences(_document(flows=[FLOW]), _document(flows=[one_off], obligations=[OBLIGATION]), WORDS)
    assert sentences == [
        "The frequency of Children in need from Leeds City Council to Bradford Council changed from “Periodic” to “One-off”.",
        "New obligation: Bradford Council owes Leeds City Council other (Delete on request), by 2027-01-01.",
    ]
