"""Structural rules: every HTML POST and every mutating API operation reaches a use case, and no page writes itself.

A handler reaches a use case when it, or a helper of its own module it calls, refers to a
function of a services module (or of agreements/drafting.py, the draft's use cases). Pages,
API resources and commands only parse input, call the use case and answer.
"""

import ast
import inspect
from pathlib import Path
from types import FunctionType, ModuleType

from tests.core.test_route_structure import _handlers

REGISTRY = Path(__file__).parents[2] / "registry"
USE_CASE_MODULES = {"registry.agreements.drafting"}
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
# Posts that change nothing in the registry, and why.
CHANGE_NOTHING = {
    "/sign-out": "ends the browser's session through auth.sessions",
}


def _is_use_case_module(name: str) -> bool:
    return name.endswith(".services") or name in USE_CASE_MODULES


def reaches_a_use_case(function, seen=None) -> bool:
    seen = seen if seen is not None else set()
    function = inspect.unwrap(function)
    if not isinstance(function, FunctionType) or function in seen:
        return False
    seen.add(function)
    names = inspect.getclosurevars(function)
    values = [*names.globals.values(), *names.nonlocals.values()]
    # A table of handlers (the API's transitions) counts as what it holds.
    values += [item for value in values if isinstance(value, dict) for item in value.values()]
    for value in values:
        if isinstance(value, ModuleType) and _is_use_case_module(value.__name__):
            return True
        if isinstance(value, FunctionType):
            if _is_use_case_module(value.__module__):
                return True
            if value.__module__ == function.__module__ and reaches_a_use_case(value, seen):
                return True
    return False


def test_every_post_and_mutating_api_call_reaches_a_use_case(app):
    lost = [
        f"{method} {rule} ({endpoint})"
        for endpoint, rule, method, handler in _handlers(app)
        if method in MUTATING and rule not in CHANGE_NOTHING and not reaches_a_use_case(handler)
    ]
    assert lost == [], "handlers that change data without a use case: " + ", ".join(lost)


def test_the_check_tells_a_handler_that_writes_itself():
    def writes_itself():
        return {"changed": True}

    assert not reaches_a_use_case(writes_itself)


PAGE_MODULES = sorted(
    [*REGISTRY.glob("*/views.py"), *REGISTRY.glob("*/api.py"), *REGISTRY.glob("*/cli.py"),
     REGISTRY / "agreements/draft_views.py", REGISTRY / "agreements/pages.py"]
)
SESSION_WRITES = {"add", "add_all", "delete", "flush", "merge", "commit", "execute"}
# Session calls that read, and why they are in a page.
READS = {"core/views.py": "the health check asks the database SELECT 1"}


def test_no_page_api_resource_or_command_writes_to_the_session():
    writes = []
    for path in PAGE_MODULES:
        if path.relative_to(REGISTRY).as_posix() in READS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SESSION_WRITES and ast.unparse(node.func.value).endswith("session")):
                writes.append(f"{path.relative_to(REGISTRY)}:{node.lineno}")
    assert writes == []
