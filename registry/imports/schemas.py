"""The import API's input (a multipart upload with its options) and output (the checked or imported plan)."""

import json

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate

from .matching import FIELDS

_WORDS = {"truthy": {"true"}, "falsy": {"false"}, "error_messages": {"invalid": "Must be true or false"}}


class JsonObjectText(fields.Field):
    """A form field holding a JSON object as text, whose values are all of one type."""

    def __init__(self, value_type: type, **kwargs) -> None:
        super().__init__(**kwargs)
        self.value_type = value_type

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            loaded = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            raise ValidationError("Must be a JSON object") from None
        if not isinstance(loaded, dict) or not all(
            isinstance(v, self.value_type) and not isinstance(v, bool) for v in loaded.values()
        ):
            raise ValidationError(f"Must be a JSON object whose values are {self.value_type.__name__}s")
        return loaded


class ImportFileSchema(Schema):
    """The register: a CSV, XLSX or ODS file of at most 5 MB."""

    file = Upload(required=True, error_messages={"required": "Send the register as the multipart field file"})


class ImportOptionsSchema(Schema):
    """How to import: as drafts or records in force, all or only good rows, checked only or for real."""

    in_force = fields.Boolean(load_default=False, metadata={"description": "Import as records in force (else drafts)."}, **_WORDS)
    only_valid = fields.Boolean(load_default=False, metadata={"description": "Import only the rows with no problem."}, **_WORDS)
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Check every row; change nothing."}, **_WORDS)
    mapping = JsonObjectText(int, load_default=None, metadata={
        "description": "JSON object: the column (0-based) each field is read from, by field name: " + ", ".join(FIELDS)
                       + ". Without it, columns are matched by header."})
    names = JsonObjectText(str, load_default=None, metadata={
        "description": "JSON object: the authority code a name in the file means, where it matched none exactly."})


class ProblemSchema(Schema):
    row = fields.Integer()
    column = fields.String()
    message = fields.String()


class RowSchema(Schema):
    row = fields.Integer()
    outcome = fields.Function(lambda row: "already_imported" if row.already_imported_as else
                              "created" if row.created_as else "problem" if row.problems else "to_create",
                              metadata={"description": "to_create (dry run), created, already_imported or problem"})
    reference = fields.Function(lambda row: row.created_as or row.already_imported_as)
    title = fields.Function(lambda row: row.values.get("title"))
    lead = fields.Function(lambda row: row.lead.code if row.lead else None)
    parties = fields.Function(lambda row: [authority.code for authority in row.others])
    legal_bases = fields.Function(lambda row: [basis.code for basis in row.legal_bases])
    notes = fields.List(fields.String())
    problems = fields.List(fields.Nested(ProblemSchema))


class PlanSchema(Schema):
    file_name = fields.String()
    sha256 = fields.String()
    in_force = fields.Boolean()
    mapping = fields.Dict(keys=fields.String(validate=validate.OneOf(list(FIELDS))), values=fields.Integer())
    created = fields.Function(lambda plan: len(plan.created))
    already_imported = fields.Function(lambda plan: len(plan.rows_already_imported))
    problems = fields.Function(lambda plan: len(plan.problems))
    rows = fields.List(fields.Nested(RowSchema))
