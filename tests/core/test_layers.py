"""Structural rule: a module imports only from its own layer or the layers below it.

The layers are those of the design (architecture.md, "Layers"), written down here as data.
A feature that must react to one above it subscribes to a domain event (registry/core/events.py)
instead of importing upwards.
"""

import pytest

from tests.core.imports import MODULES, graph

LAYERS = {
    1: ["config", "registry.extensions"],
    2: ["registry.core"],
    3: ["registry.auditlog", "registry.witness"],
    4: ["registry.authorities", "registry.users", "registry.auth"],
    5: ["registry.outbox"],
    6: ["registry.legal", "registry.datasets", "registry.invitations", "registry.password_resets", "registry.sso"],
    7: ["registry.agreements"],
    8: ["registry.obligations", "registry.reminders", "registry.calendars", "registry.notifications",
        "registry.signoff"],
    9: ["registry.audit", "registry.public", "registry.dashboard", "registry.demo", "registry.search", "registry.imports",
        "registry.records"],
    10: ["registry.api", "registry", "wsgi"],
}


def layer_of(module: str) -> int:
    """The layer of the longest prefix in the table that names the module or its package."""
    best = None
    for layer, prefixes in LAYERS.items():
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > len(best[1]):
                    best = (layer, prefix)
    assert best, f"{module} is in no layer: add it to LAYERS"
    return best[0]


GRAPH = graph()


def test_every_module_has_a_layer():
    assert {module: layer_of(module) for module in MODULES}


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{importer} (layer {layer_of(importer)}) imports {target} (layer {layer_of(target)})"
        for importer, targets in edges.items()
        for target in targets
        if layer_of(target) > layer_of(importer)
    )


def test_no_module_imports_from_a_layer_above_it():
    assert upward_imports(GRAPH) == []


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected groups of more than one module (Tarjan)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_modules_import_each_other():
    assert cycles(GRAPH) == []


@pytest.mark.parametrize(
    "edges, expected",
    [
        ({"registry.core.db": {"registry.agreements.models"}, "registry.agreements.models": set()}, 1),
        ({"registry.agreements.models": {"registry.core.db"}, "registry.core.db": set()}, 0),
        ({"registry.users.models": {"registry.auth.models"}, "registry.auth.models": set()}, 0),
    ],
)
def test_the_rule_catches_an_upward_import(edges, expected):
    assert len(upward_imports(edges)) == expected


def test_the_rule_catches_a_circle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


def test_the_graph_sees_imports_inside_functions_and_relative_ones():
    assert "registry.outbox.cli" in GRAPH["registry"]
    assert "registry.reminders.queries" in GRAPH["registry.reminders.messages"]
    assert "registry.core.db" in GRAPH["registry.agreements.models"]
