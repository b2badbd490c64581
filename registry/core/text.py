"""Text fields for input schemas: one line (titles, names, references) or several (purposes, notes).

A title ends up in an email's Subject header, a calendar's SUMMARY line and a CSV cell, where
a line break or another control character can split a header, forge a line or stop a sender.
So single-line fields refuse every control character, and multi-line fields every one but
the line break and the tab. Both refuse the characters that reverse the direction of text
(U+202A–U+202E, U+2066–U+2069), which can make a reference read as another one.
"""

import re

from marshmallow import ValidationError, fields

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, bidirectional overrides.
_NOT_IN_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

ONE_LINE_MESSAGE = "Remove the line break or control character: this must be one line of plain text"
TEXT_MESSAGE = "Remove the control character: only line breaks and tabs are allowed"


def is_one_line(text: str) -> bool:
    """Return True when the text holds no line break or other control character."""
    return _NOT_IN_ONE_LINE.search(text) is None


def one_line(text: str) -> str:
    """Return text made safe for one line (a header, a calendar line): controls become spaces.

    For text stored before single-line fields refused controls, and for anything else that
    did not come through a schema.
    """
    return " ".join(_NOT_IN_ONE_LINE.sub(" ", text).split())


class SingleLine(fields.String):
    """A string on one line, with no control characters."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not is_one_line(text):
            raise ValidationError(ONE_LINE_MESSAGE)
        return text


class MultiLine(fields.String):
    """A string of one or more lines; line breaks and tabs, but no other control characters."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if _NOT_IN_TEXT.search(text):
            raise ValidationError(TEXT_MESSAGE)
        return text
