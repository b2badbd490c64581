"""Refusing input before any view sees it: JSON nested deeper than any of our bodies, text with NUL
characters (which PostgreSQL cannot store), and text that is not Unicode at all (a lone
surrogate, which JSON's \\ud800 escapes can make). Request bodies are capped in size by
MAX_CONTENT_LENGTH (configuration), which Werkzeug enforces as it reads them: 413.

Checked once for every request, before any view runs, so no form or endpoint can turn it
into a server error.
"""

import re

from flask import Flask, current_app, request

from .errors import DomainError, ValidationFailed

NUL = "\x00"
# None of the API's bodies nests more than three levels; a parser asked to follow a body
# 100,000 levels deep runs out of stack instead.
MAX_JSON_DEPTH = 32

# With escapes taken out first, a string is simply "…": this pattern never backtracks.
_JSON_STRING = re.compile(rb'"[^"]*"')
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


class NestedTooDeeply(DomainError, code="nested_too_deeply"):
    """A JSON body nested deeper than any the registry takes."""


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Return True if the JSON text nests arrays and objects more than `limit` deep, without parsing it.

    Brackets inside strings do not count. Invalid JSON is left for the parser to refuse.
    Every step is linear in the body's length, whatever it holds.
    """
    # An escaped backslash, then an escaped quote, can end no string: take them out, then
    # the strings, then everything but the brackets.
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = _JSON_STRING.sub(b"", unescaped).translate(None, delete=_NOT_A_BRACKET)
    depth = 0
    for bracket in brackets:
        if bracket in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _unstorable(text: str) -> bool:
    if NUL in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no database or hash can take it
        return True
    return False


def _has_unstorable_text(value) -> bool:
    """Return True if any key or string in a parsed JSON value cannot be stored (walked without recursion)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _unstorable(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _refuse_deep_json() -> None:
    # get_data() reads the body once, within MAX_CONTENT_LENGTH (413 beyond it), and caches it
    # for the JSON parser that comes after.
    if request.is_json and json_depth_exceeds(request.get_data(cache=True)):
        raise NestedTooDeeply(f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep, which no request here needs.")


def _refuse_nul_characters() -> None:
    fields = [key for key, value in request.args.items(multi=True) if NUL in key or NUL in value]
    fields += [key for key, value in request.form.items(multi=True) if NUL in key or NUL in value]
    if request.is_json:
        body = request.get_json(silent=True)
        if _has_unstorable_text(body):
            fields.append("body")
    if NUL in request.path:
        fields.append("path")
    if fields:
        raise ValidationFailed(
            {field: ["Remove the NUL character or unpaired surrogate: text cannot contain it"] for field in fields},
            "The request contains a NUL character or an unpaired surrogate, which no field can hold.",
        )


def accepts_uploads(max_bytes: int):
    """Let a view take a body of up to max_bytes (a file upload), instead of MAX_CONTENT_LENGTH."""

    def mark(view):
        view.max_upload_bytes = max_bytes
        return view

    return mark


def _allow_uploads() -> None:
    # Set before anything reads the body: the form is parsed, within this limit, just below.
    view = current_app.view_functions.get(request.endpoint)
    limit = getattr(view, "max_upload_bytes", None)
    if limit:
        request.max_content_length = limit


def _guard() -> None:
    _allow_uploads()
    _refuse_deep_json()
    _refuse_nul_characters()


def init_app(app: Flask) -> None:
    """Check every request's body and text before it reaches a view."""
    app.before_request(_guard)
