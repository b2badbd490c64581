"""Input and output schemas for datasets and their data items, shared by the HTML forms and the JSON API."""

from marshmallow import Schema, fields, pre_load, validate

from registry.core.flag import Flag
from registry.core.text import MultiLine, SingleLine
from registry.authorities.schemas import AuthorityRefSchema
from registry.core.pagination import PageSchema
from registry.core.search_fields import page_number_field, search_text

from .models import CLASSIFICATIONS

CLASSIFICATION_ERROR = "Select OFFICIAL or OFFICIAL-SENSITIVE"
# Ids and page numbers end up as database integers: a larger number can name nothing, and
# the SQLite driver cannot even bind it.


class _Trimmed:
    """Strip spaces around every text value, so a name of only spaces counts as empty, as in a form."""

    @pre_load
    def _strip_text(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        return {key: value.strip() if isinstance(value, str) else value for key, value in data.items()}


def _length(label: str, max_length: int, *, required: bool = False) -> validate.Validator:
    if required:
        return validate.Length(min=1, max=max_length, error=f"{label} must be between 1 and {max_length:,} characters")
    return validate.Length(max=max_length, error=f"{label} must be {max_length:,} characters or fewer")


def _text(label: str, max_length: int, description: str | None = None, *, lines: bool = False) -> fields.String:
    return (MultiLine if lines else SingleLine)(
        load_default="",
        validate=_length(label, max_length),
        metadata={"description": description} if description else {},
    )


class DatasetQuerySchema(Schema):
    """Filters for the list of datasets."""

    q = search_text("Part of a dataset's name or description.")
    authority = SingleLine(
        load_default=None,
        validate=_length("Authority code", 20),
        metadata={"description": "Code of the authority that holds the datasets, e.g. LDS."},
    )
    classification = SingleLine(
        load_default=None,
        validate=validate.OneOf(CLASSIFICATIONS, error=CLASSIFICATION_ERROR),
        metadata={"description": "Security classification."},
    )
    special_category = fields.Boolean(
        load_default=False,
        error_messages={"invalid": "Special category must be true or false"},
        metadata={"description": "Only datasets with at least one item of special category data."},
    )
    page = page_number_field()


class DataItemInputSchema(_Trimmed, Schema):
    """A data item as a contributor enters it: its name and what kind of data it is."""

    name = SingleLine(
        required=True,
        validate=_length("Name", 200, required=True),
        error_messages={"required": "Enter the name of the data item, like Date of birth"},
    )
    personal = Flag(
        load_default=False,
        metadata={"description": "Relates to an identified or identifiable living person."},
    )
    special_category = Flag(
        load_default=False,
        metadata={"description": "UK GDPR Article 9 data, such as health or ethnicity. Implies personal."},
    )
    criminal_offence = Flag(
        load_default=False,
        metadata={"description": "UK GDPR Article 10 data about offences and convictions. Implies personal."},
    )


class DataItemChangesSchema(DataItemInputSchema):
    """Changes to a data item; the API takes it with every field optional."""


class DatasetInputSchema(_Trimmed, Schema):
    """A new dataset: the authority that holds it, what it is, and optionally its data items."""

    authority_code = SingleLine(
        required=True,
        validate=_length("Authority code", 20, required=True),
        error_messages={"required": "Select the authority that holds the dataset"},
        metadata={"description": "Code of the owning authority; the caller must be its contributor or approver."},
    )
    name = SingleLine(
        required=True,
        validate=_length("Name", 200, required=True),
        error_messages={"required": "Enter the name of the dataset"},
        metadata={"description": "Unique among the authority's datasets."},
    )
    description = _text("Description", 5000, lines=True)
    data_subjects = _text("Data subjects", 500, "Whom the data is about, e.g. adults receiving social care.")
    security_classification = SingleLine(
        load_default="OFFICIAL",
        validate=validate.OneOf(CLASSIFICATIONS, error=CLASSIFICATION_ERROR),
    )
    system_of_record = _text("System of record", 200, "The system the data is kept in.")
    owner_contact = _text("Owner contact", 200, "How to reach the dataset's owner: a team mailbox rather than a person.")
    items = fields.List(fields.Nested(DataItemInputSchema), load_default=list)


class DatasetChangesSchema(DatasetInputSchema):
    """Changes to a dataset's details; its owner and its items change elsewhere."""

    class Meta:
        exclude = ("authority_code", "items")


class DataItemSchema(Schema):
    """A data item as the API shows it."""

    id = fields.Integer()
    name = fields.String()
    personal = fields.Boolean()
    special_category = fields.Boolean()
    criminal_offence = fields.Boolean()
    category = fields.String(metadata={"description": "The item's most sensitive category, in words."})


class DatasetSchema(Schema):
    """A dataset as the API shows it, with its data items."""

    id = fields.Integer()
    authority = fields.Nested(AuthorityRefSchema)
    name = fields.String()
    description = fields.String()
    data_subjects = fields.String()
    security_classification = fields.String()
    system_of_record = fields.String()
    owner_contact = fields.String()
    has_special_category_data = fields.Boolean()
    has_criminal_offence_data = fields.Boolean()
    items = fields.List(fields.Nested(DataItemSchema))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class DatasetPageSchema(PageSchema):
    """One page of datasets."""

    items = fields.List(fields.Nested(DatasetSchema))
