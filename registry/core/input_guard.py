"""Refusing input no field can hold: text with NUL characters, which PostgreSQL cannot store,
and text that is not Unicode at all (a lone surrogate, which JSON's \\ud800 escapes can make).

Checked once for every request, before any view runs, so no form or endpoint can turn it
into a server error.
"""

from flask import Flask, request

from .errors import ValidationFailed

NUL = "\x00"


def _unstorable(text: str) -> bool:
    if NUL in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no database or hash can take it
        return True
    return False


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return _unstorable(value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _refuse_nul_characters():
    fields = [key for key, value in request.args.items(multi=True) if NUL in key or NUL in value]
    fields += [key for key, value in request.form.items(multi=True) if NUL in key or NUL in value]
    if request.is_json:
        body = request.get_json(silent=True)
        if _has_nul(body):
            fields.append("body")
    if NUL in request.path:
        fields.append("path")
    if fields:
        raise ValidationFailed(
            {field: ["Remove the NUL character or unpaired surrogate: text cannot contain it"] for field in fields},
            "The request contains a NUL character or an unpaired surrogate, which no field can hold.",
        )


def init_app(app: Flask) -> None:
    """Check every request for NUL characters before it reaches a view."""
    app.before_request(_refuse_nul_characters)
