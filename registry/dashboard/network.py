"""Where to draw who shares with whom: my authorities in the middle, partners on a circle around them.

Pure geometry for the dashboard's server-side SVG: no Flask, no database. The picture is
decoration for sighted users; the table beside it carries the same facts for everyone.
"""

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 760, 520
CENTRE_X, CENTRE_Y = WIDTH / 2, HEIGHT / 2
PARTNER_RADIUS = 190
OWN_RADIUS = 55
# More partners than this crowd the circle; the rest are in the table.
MOST_DRAWN = 24
LABEL_LENGTH = 22


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    label: str
    x: float
    y: float
    own: bool
    # Where the label goes and which way it reads from there.
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    agreements: int
    width: float


@dataclass(frozen=True)
class Network:
    nodes: list[Node]
    edges: list[Edge]
    left_out: int
    width: int = WIDTH
    height: int = HEIGHT


def short_label(name: str) -> str:
    """Return a name cut to fit beside a node, with an ellipsis when cut."""
    return name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1].rstrip() + "…"


def _point(radius: float, angle: float) -> tuple[float, float]:
    return round(CENTRE_X + radius * math.cos(angle), 1), round(CENTRE_Y + radius * math.sin(angle), 1)


def _angle(index: int, count: int) -> float:
    # Start at the top and go clockwise.
    return -math.pi / 2 + 2 * math.pi * index / max(count, 1)


def layout(own: list[tuple[str, str]], links: dict[tuple[str, str], int], names: dict[str, str]) -> Network:
    """Place my authorities (code, short name) and the partners they share with.

    `links` maps (my code, partner code) to the number of agreements in force between them;
    `names` gives each partner's short name. Partners sharing the most are drawn first.
    """
    own_codes = [code for code, _ in own]
    totals: dict[str, int] = {}
    for (mine, partner), count in links.items():
        if partner not in own_codes:
            totals[partner] = totals.get(partner, 0) + count
    ranked = sorted(totals, key=lambda code: (-totals[code], names.get(code, code)))
    drawn = ranked[:MOST_DRAWN]

    nodes, positions = [], {}
    for index, (code, name) in enumerate(own):
        x, y = (CENTRE_X, CENTRE_Y) if len(own) == 1 else _point(OWN_RADIUS, _angle(index, len(own)))
        positions[code] = (x, y)
        nodes.append(Node(code, name, short_label(name), x, y, True, x, y + 34, "middle"))
    # Partners go round the circle alphabetically, so the picture reads like the table.
    for index, code in enumerate(sorted(drawn, key=lambda c: names.get(c, c))):
        angle = _angle(index, len(drawn))
        x, y = _point(PARTNER_RADIUS, angle)
        label_x, label_y = _point(PARTNER_RADIUS + 18, angle)
        anchor = "middle" if abs(math.cos(angle)) < 0.2 else ("start" if math.cos(angle) > 0 else "end")
        positions[code] = (x, y)
        name = names.get(code, code)
        nodes.append(Node(code, name, short_label(name), x, y, False, label_x, label_y + 5, anchor))

    edges = []
    for (mine, partner), count in sorted(links.items()):
        if mine in positions and partner in positions and mine != partner:
            (x1, y1), (x2, y2) = positions[mine], positions[partner]
            edges.append(Edge(x1, y1, x2, y2, count, min(1.5 + count, 8)))
    return Network(nodes, edges, left_out=len(ranked) - len(drawn))
