"""Input and output schemas for the audit log's pages and API."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from registry.core.text import SingleLine
from registry.core.limits import PAGE


class EntryFilterSchema(Schema):
    """Filters for the auditors' view of the log."""

    authority = SingleLine(load_default=None, validate=validate.Length(max=20, error="Authority code must be 20 characters or fewer"))
    actor = fields.Email(
        load_default=None,
        error_messages={"invalid": "Enter the email address of the person, like name@example.gov.uk"},
        metadata={"description": "Email address of the person who acted."},
    )
    action = SingleLine(load_default=None, validate=validate.Length(max=60))
    object_type = SingleLine(load_default=None, validate=validate.Length(max=40))
    object_ref = SingleLine(load_default=None, validate=validate.Length(max=100, error="Object must be 100 characters or fewer"))
    since = fields.Date(load_default=None, error_messages={"invalid": "The from date must be a real date"})
    until = fields.Date(load_default=None, error_messages={"invalid": "The to date must be a real date"})
    page = fields.Integer(load_default=1, validate=PAGE)

    @validates_schema
    def _dates_in_order(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError("The to date must be the same as or after the from date", "until")


class InclusionQuerySchema(Schema):
    """Which entry, and at which tree size (default: the current size)."""

    index = fields.Integer(required=True, validate=validate.Range(min=0, error="Index must be 0 or more"))
    size = fields.Integer(load_default=None, validate=validate.Range(min=1, error="Size must be 1 or more"))


class ConsistencyQuerySchema(Schema):
    """From which older size, to which newer size (default: the current size)."""

    old = fields.Integer(required=True, validate=validate.Range(min=1, error="The older size must be 1 or more"))
    new = fields.Integer(load_default=None, validate=validate.Range(min=1, error="The newer size must be 1 or more"))


class InclusionProofSchema(Schema):
    """An RFC 6962 inclusion proof, with the signed checkpoint it proves against."""

    index = fields.Integer()
    tree_size = fields.Integer()
    leaf_hash = fields.String(metadata={"description": "Base64 SHA-256(0x00 || entry)."})
    proof = fields.List(fields.String(), metadata={"description": "Base64 hashes, the leaf's sibling first."})
    checkpoint = fields.String(metadata={"description": "The signed C2SP checkpoint at tree_size."})


class ConsistencyProofSchema(Schema):
    """An RFC 6962 consistency proof between two signed checkpoints."""

    old_size = fields.Integer()
    new_size = fields.Integer()
    proof = fields.List(fields.String(), metadata={"description": "Base64 hashes."})
    old_checkpoint = fields.String()
    new_checkpoint = fields.String()


class CheckpointSchema(Schema):
    """The latest signed checkpoint."""

    origin = fields.String()
    size = fields.Integer()
    root_hash = fields.String(metadata={"description": "Base64 RFC 6962 root hash."})
    checkpoint = fields.String(metadata={"description": "The signed note, as served at /audit/checkpoint."})
