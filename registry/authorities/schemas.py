"""Input and output schemas for authorities, shared by the HTML forms and the JSON API."""

from marshmallow import Schema, fields, validate

from registry.core.clock import today
from registry.core.pagination import PageSchema
from registry.core.search_fields import page_number_field, search_text
from registry.core.text import SingleLine

from .types import ALL_TYPES, NATIONS, PARTNER_TYPES

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{1,19}$"
ODS_PATTERN = r"^[A-Za-z0-9]{3,10}$"


class AuthorityQuerySchema(Schema):
    """Filters for the list of authorities."""

    q = search_text("Part of a name, or a whole code, GSS code or ODS code.")
    type = SingleLine(
        load_default=None,
        validate=validate.OneOf(list(ALL_TYPES), error="Select a type from the list"),
        metadata={"description": "Authority type code, e.g. UA, NMD, NHS_TRUST."},
    )
    nation = SingleLine(
        load_default=None, validate=validate.OneOf(NATIONS, error="Select a nation from the list")
    )
    status = SingleLine(
        load_default="current",
        validate=validate.OneOf(["current", "ended", "all"], error="Select current, ended or all"),
    )
    page = page_number_field()


class PartnerSchema(Schema):
    """A partner body as an administrator enters it."""

    code = SingleLine(
        required=True,
        validate=validate.Regexp(
            CODE_PATTERN, error="Code must be 2 to 20 letters, numbers or hyphens, starting with a letter or number"
        ),
        error_messages={"required": "Enter a code for the body"},
        metadata={"description": "Stable identity, e.g. the ODS code for an NHS body. Stored in capitals."},
    )
    name = SingleLine(
        required=True,
        validate=validate.Length(min=2, max=200, error="Name must be between 2 and 200 characters"),
        error_messages={"required": "Enter the body's official name"},
    )
    short_name = SingleLine(
        load_default=None, validate=validate.Length(max=200, error="Short name must be 200 characters or fewer")
    )
    type = SingleLine(
        required=True,
        validate=validate.OneOf(list(PARTNER_TYPES), error="Select the type of body"),
        error_messages={"required": "Select the type of body"},
    )
    ods_code = SingleLine(
        load_default=None,
        validate=validate.Regexp(ODS_PATTERN, error="ODS code must be 3 to 10 letters or numbers"),
        metadata={"description": "NHS Organisation Data Service code; required for NHS trusts and ICBs."},
    )
    nation = SingleLine(load_default=None, validate=validate.OneOf(NATIONS, error="Select a nation from the list"))
    region = SingleLine(load_default=None, validate=validate.Length(max=60, error="Region must be 60 characters or fewer"))


class AuthorityRefSchema(Schema):
    """A short reference to another authority."""

    code = fields.String()
    name = fields.String()


class AuthoritySchema(Schema):
    """An authority as the API shows it."""

    code = fields.String()
    name = fields.String()
    short_name = fields.String()
    type = fields.String()
    type_name = fields.String()
    is_local_authority = fields.Boolean()
    gss_code = fields.String(allow_none=True)
    ods_code = fields.String(allow_none=True)
    nation = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    current = fields.Method("_current", metadata={"description": "Whether the authority exists today."})
    successors = fields.List(fields.Nested(AuthorityRefSchema))
    predecessors = fields.List(fields.Nested(AuthorityRefSchema))

    def _current(self, authority) -> bool:
        return authority.is_current(today())


class AuthorityPageSchema(PageSchema):
    """One page of authorities."""

    items = fields.List(fields.Nested(AuthoritySchema))
