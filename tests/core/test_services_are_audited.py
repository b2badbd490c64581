"""Structural rule: every use case in a services module writes its change to the audit log."""

import ast
from pathlib import Path

import pytest

REGISTRY = Path(__file__).parents[2] / "registry"
# The audit log's own services are the recorder itself.
SERVICE_MODULES = sorted(p for p in REGISTRY.glob("*/services.py") if p.parent.name != "audit")


def _calls_record(function: ast.FunctionDef, helpers: dict[str, ast.FunctionDef], seen: set[str]) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name == "record":
                return True
            if name in helpers and name not in seen:
                seen.add(name)
                if _calls_record(helpers[name], helpers, seen):
                    return True
    return False


def _use_cases(path: Path):
    tree = ast.parse(path.read_text())
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    return functions, [f for name, f in functions.items() if not name.startswith("_")]


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda p: p.parent.name)
def test_every_service_records_an_audit_entry(path):
    functions, use_cases = _use_cases(path)
    assert use_cases, f"{path} has no services"
    silent = [f.name for f in use_cases if not _calls_record(f, functions, set())]
    assert silent == [], f"services in {path.parent.name} that change data without an audit entry: {silent}"


def test_the_rule_covers_the_features_that_change_data():
    assert {p.parent.name for p in SERVICE_MODULES} >= {"auth", "authorities", "users"}
