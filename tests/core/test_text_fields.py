"""Every text an input schema takes refuses control characters: one-line fields all of them, multi-line fields all but line breaks and tabs."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from marshmallow import Schema, ValidationError, fields

import registry
from registry.core.text import MultiLine, SingleLine, one_line

# A password is never shown, stored or sent anywhere as text, only hashed: any character may be in it.
EXEMPT = {
    ("SignInSchema", "password"), ("NewUserSchema", "password"), ("JoinSchema", "password"),
    ("NewPasswordSchema", "password"), ("PasswordChangeSchema", "current_password"), ("PasswordChangeSchema", "new_password"),
}


def _all_schemas() -> dict[str, type[Schema]]:
    found = {}
    for module_info in pkgutil.walk_packages(registry.__path__, "registry."):
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Schema) and value.__module__ == module.__name__:
                found[value.__name__] = value
    return found


def _output_schemas(schemas: dict[str, type[Schema]]) -> set[str]:
    """Return the schemas the code only writes responses with, and the schemas nested in them."""
    source = "\n".join(path.read_text() for path in Path(registry.__file__).parent.rglob("*.py"))
    outputs = set(re.findall(r"response\(\s*\d+,\s*(\w+)", source)) | set(re.findall(r"(\w+Schema)\([^)]*\)\.dump", source))
    outputs |= set(re.findall(r"ERROR_SCHEMA = (\w+)", source))
    outputs &= set(schemas)
    todo = list(outputs)
    while todo:
        for field in schemas[todo.pop()]().fields.values():
            inner = field.inner if isinstance(field, fields.List) else field
            if isinstance(inner, fields.Nested) and isinstance(inner.nested, type) and inner.nested.__name__ not in outputs:
                outputs.add(inner.nested.__name__)
                todo.append(inner.nested.__name__)
    return outputs


def _schemas() -> list[type[Schema]]:
    """Return every schema that reads input: all of them but those that only shape responses."""
    schemas = _all_schemas()
    outputs = _output_schemas(schemas)
    assert {"AgreementSchema", "LegalBasisSchema", "AuthorityRefSchema"} <= outputs
    return [schema for name, schema in schemas.items() if name not in outputs]


def _string_fields():
    schemas = _schemas()
    seen = set()
    while schemas:
        schema_class = schemas.pop()
        for name, field in schema_class().load_fields.items():
            inner = field.inner if isinstance(field, fields.List) else field
            if isinstance(inner, fields.Nested) and isinstance(inner.nested, type) and inner.nested not in seen:
                seen.add(inner.nested)
                schemas.append(inner.nested)
            if isinstance(inner, fields.String) and (schema_class.__name__, name) not in EXEMPT:
                yield pytest.param(inner, id=f"{schema_class.__name__}.{name}")


def _refuses(field: fields.Field, value: str) -> bool:
    try:
        field.deserialize(value)
    except ValidationError:
        return True
    return False


def test_the_scan_finds_the_fields_it_should():
    names = {param.id for param in _string_fields()}
    assert {"DetailsSchema.title", "DatasetInputSchema.name", "AttestationInputSchema.note"} <= names


@pytest.mark.parametrize("field", list(_string_fields()))
def test_every_text_field_refuses_control_characters(field):
    for value in ("Early\x1b help", "Early\x00help", "Early\u202ehelp", "Early\x85help"):
        assert _refuses(field, value), f"accepted {value!r}"


@pytest.mark.parametrize("field", list(_string_fields()))
def test_line_breaks_only_where_there_can_be_several_lines(field):
    if isinstance(field, MultiLine):
        assert not _refuses(field, "First line.\r\nSecond line,\tindented.")
    else:
        assert _refuses(field, "Title\r\nBcc: everyone@example.org")
        assert _refuses(field, "Title\u2028Second")


def test_one_line_makes_any_stored_text_safe_for_a_header():
    assert one_line("Title\r\nBcc: x@example.org\x00 end") == "Title Bcc: x@example.org end"
    assert isinstance(SingleLine(), fields.String)
