"""Structural rules: every use case that changes data writes its audit entry, and takes a typed actor.

"Changes data" is read from the source: a function that adds, deletes or flushes through the
session, or sends an UPDATE, INSERT or DELETE, itself or through a private helper of its
module. The rule covers every module of the package that does so, not a list of names.
"""

import ast
from pathlib import Path

import pytest

REGISTRY = Path(__file__).parents[2] / "registry"

# Modules that write without an audit entry of their own, and why.
NOT_USE_CASES = {
    "auditlog": "the log itself: appending is what writing an audit entry is",
    "agreements/locking.py": "the agreement's row lock and change count, taken inside use cases that record",
    "auth/throttle.py": "counts of sign-in attempts (and reset requests), kept to slow guessing: not a record anyone changes",
    "auth/sessions.py": "server-side session rows; signing in and out is recorded by auth/services.py",
    "auth/tokens.py": "stamps when a token was last used, outside the request's transaction",
    "outbox": "stores and delivers messages: delivery, not a change to the registry",
}

# Public functions that write but are steps inside use cases, not use cases, and why.
HELPERS = {
    "agreements/drafting.py": {"copy_version": "copies a version for amend and request_changes, which record",
                               "start_draft": "adds an agreement for create_agreement and the import, which record",
                               "new_draft": "the same, unflushed, for the import, which records"},
    "notifications/delivery.py": {"deliver": "tells people of an event, inside the use case (or its subscriber) that records it"},
}

# Use cases that write without an audit entry, and why.
_READ_STATE = ("a person's own inbox: nobody else relies on what they have read, and the log, kept for ever, "
               "would otherwise record when each person read what")
UNRECORDED = {
    "notifications/services.py": {"mark_read": _READ_STATE, "mark_all_read": _READ_STATE},
    "signoff/cycles.py": {"backfill": "summarises history already recorded (run by a migration and a benchmark): "
                                      "it adds no fact of its own to record"},
    "sso/services.py": {
        "start": "a sign-in sent to a provider and not yet back changes nothing: the sign-in is recorded when it "
                 "finishes (user.sign_in), and a refusal is written to the security log",
    },
    "password_resets/services.py": {
        "request_reset": "asking for a reset link changes nothing until the link is used (user.reset_password is "
                         "recorded); an entry written only for addresses with accounts would tell which have one",
    },
}

WRITING_CALLS = {"add", "add_all", "delete", "flush", "merge", "update", "insert"}


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _writes_directly(function: ast.FunctionDef) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITING_CALLS:
            owner = node.func.value
            # db.session.add(...), db.session.flush(), sa.update(...), sa.insert(...), sa.delete(...)
            text = ast.unparse(owner)
            if text in ("db.session", "sa", "sqlalchemy") or text.endswith(".session"):
                return True
    return False


def _reaches(function: ast.FunctionDef, helpers: dict, test, seen: set[str]) -> bool:
    if test(function):
        return True
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            name = _name(node)
            if name in helpers and name not in seen:
                seen.add(name)
                if _reaches(helpers[name], helpers, test, seen):
                    return True
    return False


def _records(function: ast.FunctionDef) -> bool:
    return any(isinstance(node, ast.Call) and _name(node) in ("record", "record_many") for node in ast.walk(function))


def _is_subscriber(function: ast.FunctionDef) -> bool:
    # A subscriber to a domain event reports what it did to the emitter, whose entry records it.
    arguments = function.args.args
    return bool(arguments) and arguments[0].arg == "event"


def _excluded(path: Path) -> bool:
    relative = path.relative_to(REGISTRY).as_posix()
    return any(relative == key or relative.startswith(key + "/") for key in NOT_USE_CASES)


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text())
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def writing_use_cases(path: Path) -> list[ast.FunctionDef]:
    functions = _functions(path)
    relative = path.relative_to(REGISTRY).as_posix()
    helpers = {**HELPERS.get(relative, {}), **UNRECORDED.get(relative, {})}
    return [
        f for name, f in functions.items()
        if not name.startswith("_") and name not in helpers and not _is_subscriber(f)
        and _reaches(f, functions, _writes_directly, set())
    ]


WRITING_MODULES = sorted(
    path for path in REGISTRY.rglob("*.py") if not _excluded(path) and writing_use_cases(path)
)


@pytest.mark.parametrize("path", WRITING_MODULES, ids=lambda p: p.relative_to(REGISTRY).as_posix())
def test_every_use_case_that_writes_records_an_audit_entry(path):
    functions = _functions(path)
    silent = [f.name for f in writing_use_cases(path) if not _reaches(f, functions, _records, set())]
    assert silent == [], f"use cases in {path.relative_to(REGISTRY)} that change data without an audit entry: {silent}"


def test_the_rule_finds_the_modules_that_write():
    found = {p.relative_to(REGISTRY).as_posix() for p in WRITING_MODULES}
    assert {"agreements/drafting.py", "agreements/services.py", "users/services.py", "obligations/services.py"} <= found


def test_the_rule_sees_a_silent_write():
    source = "def change(actor, thing):\n    thing.name = 'x'\n    db.session.flush()\n"
    function = ast.parse(source).body[0]
    assert _writes_directly(function) and not _records(function)


# Where use cases and the rules that decide them live: each takes a typed actor.
ACTOR_MODULES = sorted(
    [*REGISTRY.glob("*/services.py"), *REGISTRY.glob("*/policies.py"),
     REGISTRY / "agreements/drafting.py", REGISTRY / "agreements/workflow.py"]
)


@pytest.mark.parametrize("path", ACTOR_MODULES, ids=lambda p: p.relative_to(REGISTRY).as_posix())
def test_every_actor_is_typed(path):
    untyped = [
        f.name
        for f in _functions(path).values()
        for argument in f.args.args + f.args.kwonlyargs
        if argument.arg == "actor" and ast.unparse(argument.annotation or ast.Constant(None)) != "Actor"
    ]
    assert untyped == [], f"functions in {path.relative_to(REGISTRY)} whose actor is not an Actor: {untyped}"


def test_people_and_the_system_are_actors(app):
    from registry.core.actors import Actor
    from registry.users.actors import COMMAND_LINE, SCHEDULER
    from tests.factories import make_user

    assert isinstance(make_user(), Actor)
    assert isinstance(COMMAND_LINE, Actor) and isinstance(SCHEDULER, Actor)
    assert not isinstance(object(), Actor)
