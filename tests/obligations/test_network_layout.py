"""The dashboard picture's geometry: my authorities in the middle, partners round a circle, lines weighted by agreements."""

import math

from registry.dashboard.network import CENTRE_X, CENTRE_Y, MOST_DRAWN, PARTNER_RADIUS, layout, short_label


def test_one_authority_sits_in_the_middle_with_its_partners_on_a_circle():
    network = layout([("LDS", "Leeds")], {("LDS", "BRD"): 2, ("LDS", "KIR"): 1}, {"BRD": "Bradford", "KIR": "Kirklees"})

    own = [n for n in network.nodes if n.own]
    partners = [n for n in network.nodes if not n.own]
    assert [(n.x, n.y) for n in own] == [(CENTRE_X, CENTRE_Y)]
    for node in partners:
        assert math.isclose(math.dist((node.x, node.y), (CENTRE_X, CENTRE_Y)), PARTNER_RADIUS, abs_tol=0.2)
    assert len(network.edges) == 2


def test_more_agreements_draw_a_thicker_line():
    network = layout([("LDS", "Leeds")], {("LDS", "BRD"): 5, ("LDS", "KIR"): 1}, {"BRD": "Bradford", "KIR": "Kirklees"})
    widths = sorted(edge.width for edge in network.edges)
    assert widths[0] < widths[1]


def test_only_the_partners_sharing_most_are_drawn_and_the_rest_are_counted():
    links = {("LDS", f"P{i:02d}"): i + 1 for i in range(MOST_DRAWN + 6)}
    network = layout([("LDS", "Leeds")], links, {f"P{i:02d}": f"Partner {i}" for i in range(MOST_DRAWN + 6)})

    drawn = {n.code for n in network.nodes if not n.own}
    assert len(drawn) == MOST_DRAWN and network.left_out == 6
    assert "P00" not in drawn and f"P{MOST_DRAWN + 5:02d}" in drawn


def test_two_of_my_authorities_that_share_with_each_other_are_joined_not_listed_as_partners():
    network = layout([("LDS", "Leeds"), ("BRD", "Bradford")], {("LDS", "BRD"): 1, ("BRD", "LDS"): 1, ("LDS", "KIR"): 1}, {"BRD": "Bradford", "LDS": "Leeds", "KIR": "Kirklees"})

    assert [n.code for n in network.nodes if not n.own] == ["KIR"]
    assert len(network.edges) == 3


def test_long_names_are_cut_with_an_ellipsis():
    assert short_label("Bradford Teaching Hospitals NHS Foundation Trust").endswith("…")
    assert len(short_label("Bradford Teaching Hospitals NHS Foundation Trust")) <= 22
    assert short_label("Leeds") == "Leeds"
