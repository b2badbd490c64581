"""HTML forms validated by marshmallow schemas, with errors shaped for the GOV.UK error pattern."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from .errors import ValidationFailed
from .flag import Flag, from_form


@dataclass
class FormState:
    """What a form template needs: the values to show again and the first error of each field."""

    values: Mapping[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    # Where the error summary should send focus for a field, when not the field's own id
    # (a date input's summary link goes to its day box).
    anchors: dict[str, str] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def http_status(self) -> int:
        """The status of a page showing this form: 422 when it has errors, else 200."""
        return 422 if self.errors else 200

    def valid_values(self) -> dict[str, Any]:
        """Return the submitted values of the fields without errors, to carry into links."""
        return {name: value for name, value in self.values.items() if not self.errors.get(name)}

    def value(self, name: str, default: Any = "") -> Any:
        """Return the submitted value of a field, or the default."""
        value = self.values.get(name)
        return default if value is None else value

    def error_message(self, name: str) -> dict | None:
        """Return the field's error for a GOV.UK macro's errorMessage parameter, or None."""
        message = self.errors.get(name)
        return {"text": message} if message else None

    def error_list(self) -> list[dict]:
        """Return the errors for govukErrorSummary, in the order the fields appear."""
        ordered = [name for name in self.order if name in self.errors]
        ordered += [name for name in self.errors if name not in ordered]
        return [{"text": self.errors[name], "href": "#" + self.anchors.get(name, name)} for name in ordered]

    def with_failure(self, failure: ValidationFailed) -> "FormState":
        """Return this form with the errors of a service's validation failure added."""
        errors = dict(self.errors)
        for name, messages in failure.fields.items():
            errors.setdefault(name, messages[0])
        return FormState(self.values, errors, self.order, self.anchors)


def _first_messages(messages: Any, prefix: str = "") -> dict[str, str]:
    """Flatten marshmallow's nested messages into {"field": "first message"}."""
    if isinstance(messages, list):
        return {prefix or "_schema": str(messages[0])}
    flat: dict[str, str] = {}
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        flat.update(_first_messages(value, name))
    return flat


def form_values(schema: Schema, formdata: MultiDict | None = None) -> dict[str, Any]:
    """Return the submitted values for the schema's fields, trimmed, without empty ones.

    Leaving out empty inputs lets `required` and `load_default` behave the same for a form
    as for a JSON body that omits the key.
    """
    formdata = request.form if formdata is None else formdata
    values: dict[str, Any] = {}
    for name, schema_field in schema.load_fields.items():
        key = schema_field.data_key or name
        if isinstance(schema_field, fields.List):
            items = [item.strip() for item in formdata.getlist(key) if item.strip()]
            if items:
                values[key] = items
        elif key in formdata:
            value = formdata.get(key, "").strip()
            if value:
                values[key] = value
    return values


def _for_schema(schema: Schema, values: dict[str, Any]) -> dict[str, Any]:
    """Return the form's values as the schema takes them: its yes-or-no fields as booleans."""
    flags = {schema_field.data_key or name for name, schema_field in schema.load_fields.items() if isinstance(schema_field, Flag)}
    return {key: from_form(value) if key in flags else value for key, value in values.items()}


DATE_PARTS = ("day", "month", "year")


def _date_from_parts(formdata: MultiDict, name: str) -> str | None:
    """Return a GOV.UK date input's day, month and year as an ISO date string (or as typed).

    An input left empty gives None; anything else goes to the schema, whose Date field
    explains what is wrong with it.
    """
    parts = [formdata.get(f"{name}-{part}", "").strip() for part in DATE_PARTS]
    if not any(parts):
        return None
    day, month, year = parts
    # ASCII digits only: str.isdigit() is also true of "²", which int() refuses.
    if re.fullmatch(r"[0-9]{1,2}", day) and re.fullmatch(r"[0-9]{1,2}", month) and re.fullmatch(r"[0-9]{4}", year):
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return "-".join(parts)


def load_form(
    schema: Schema,
    formdata: MultiDict | None = None,
    anchors: dict[str, str] | None = None,
    dates: tuple[str, ...] = (),
):
    """Validate a submitted form; return (data, FormState), with data None when there are errors.

    Fields named in `dates` are GOV.UK date inputs (name-day, name-month, name-year); their
    errors link to the day box, as the design system asks.
    """
    formdata = request.form if formdata is None else formdata
    values = form_values(schema, formdata)
    anchors = dict(anchors or {})
    for name in dates:
        anchors.setdefault(name, f"{name}-day")
        combined = _date_from_parts(formdata, name)
        if combined is not None:
            values[name] = combined
        for part in DATE_PARTS:
            if formdata.get(f"{name}-{part}"):
                values[f"{name}-{part}"] = formdata.get(f"{name}-{part}").strip()
    order = [schema_field.data_key or name for name, schema_field in schema.load_fields.items()]
    try:
        data = schema.load(_for_schema(schema, {k: v for k, v in values.items() if k in order}))
    except ValidationError as error:
        return None, FormState(values, _first_messages(error.messages), order, anchors)
    return data, FormState(values, {}, order, anchors)


def load_query(schema: Schema, dates: tuple[str, ...] = ()):
    """Validate a list page's search and filters from the query string; return (values, FormState).

    When the query string has errors, the values are the schema's defaults: the page still
    lists, beside the errors.
    """
    values, form = load_form(schema, request.args, dates=dates)
    return (schema.load({}) if values is None else values), form


def validation_messages(error: ValidationError) -> dict[str, list[str]]:
    """Return marshmallow's messages as {"field": [messages]}, nested names joined with dots."""
    return {name: [message] for name, message in _first_messages(error.messages).items()}
