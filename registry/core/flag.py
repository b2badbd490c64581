"""A yes-or-no field for input schemas: a JSON boolean in an API body, the words true and false in a form.

marshmallow's Boolean also takes 0, 1, "yes", "on" and more, so `"criminal_offence": 0` in
a body was read as false. A Flag takes a JSON boolean only; HTML forms send strings, which
core/forms.py turns into booleans for Flag fields before the schema sees them.
"""

from marshmallow import fields

FORM_WORDS = {"true": True, "false": False}


class Flag(fields.Boolean):
    """true or false, and nothing that merely looks like them."""

    default_error_messages = {"invalid": "Must be true or false", "null": "Must be true or false"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):  # isinstance, not ==: 0 == False and 1 == True in Python
            raise self.make_error("invalid")
        return value


def from_form(value: str):
    """Return a form's "true" or "false" as a boolean; anything else as it is, for the schema to refuse."""
    return FORM_WORDS.get(value.strip().lower(), value) if isinstance(value, str) else value

