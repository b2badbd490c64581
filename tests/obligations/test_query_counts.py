"""Pages that show obligations send the same number of SQL queries however many obligations and attestations there are."""

from datetime import timedelta

import pytest

from registry.core.clock import today
from registry.extensions import db
from registry.obligations import services

from ..agreements.builders import agreement_in, three_councils
from ..calendars import add_obligation


@pytest.fixture
def councils(app):
    return three_councils()


def _queries_for(client, counter, url: str) -> int:
    counter.count = 0
    response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


def test_obligation_pages_take_a_fixed_number_of_queries(councils, signed_in_client, api_as, count_queries):
    agreement = agreement_in("active", councils)
    browser, api = signed_in_client(councils["LDS"].approver), api_as(councils["LDS"].approver)
    urls = {
        f"/agreements/{agreement.reference}": browser,
        "/authorities/LDS/partners/BRD": browser,
        "/authorities/LDS/partners/BRD.csv": browser,
        "/authorities/LDS": browser,
        "/dashboard": browser,
        "/api/v1/obligations?authority=LDS": api,
        "/api/v1/authorities/LDS/partners/BRD": api,
    }

    def counts():
        return {url: _queries_for(client, count_queries, url) for url, client in urls.items()}

    counts()  # a token's first use of the minute is written down; count from the second round
    before = counts()

    for n in range(4):
        owed_by, owed_to = ("BRD", "LDS") if n % 2 else ("LDS", "BRD")
        obligation = add_obligation(agreement, owed_by=owed_by, owed_to=owed_to, lineage=f"more-{n}",
                                    due_date=today() + timedelta(days=10 * n - 15), every_months=12 if n else None)
        services.attest(councils[owed_by].approver, obligation.id, status="met", note=f"Done {n}.")
        db.session.commit()

    assert counts() == before
