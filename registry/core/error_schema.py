"""The JSON shape of every API error, as published in the OpenAPI document."""

from marshmallow import Schema, fields


class ErrorSchema(Schema):
    """An API error: a stable code for programs and a message for people."""

    error = fields.String(
        required=True,
        metadata={"description": "Stable code, e.g. not_found, validation_failed, invalid_transition."},
    )
    message = fields.String(required=True, metadata={"description": "What went wrong, for people."})
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "For validation failures: each field with its messages."},
    )
    details = fields.Dict(metadata={"description": "More about the refusal, e.g. the current status and allowed actions."})
