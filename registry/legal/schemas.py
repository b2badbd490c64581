"""Input and output schemas for legal bases, shared by the HTML forms, the JSON API and the reference file."""

from marshmallow import Schema, fields, post_load, validate

from registry.core.flag import Flag
from registry.core.search_fields import search_text
from registry.core.text import MultiLine, SingleLine

from .models import KINDS

CODE_PATTERN = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"
LEGISLATION_URL_PATTERN = r"^https://www\.legislation\.gov\.uk/\S+$"
# Summaries and notes go into the audit log whole (they are not personal data), and an
# update records both the old and the new text: these limits keep each entry to a few KB.
SUMMARY_LIMIT = 600
NOTES_LIMIT = 2000


def _required_text(name: str, limit: int, missing: str, *, lines: bool = False) -> fields.String:
    """Return a field for text that must be given (on one line unless `lines`), with the messages for empty and too long."""
    return (MultiLine if lines else SingleLine)(
        required=True,
        validate=validate.And(
            validate.Length(min=1, error=missing),
            validate.Length(max=limit, error=f"{name} must be {limit} characters or fewer"),
        ),
        error_messages={"required": missing},
    )


def _flag(name: str, description: str, *, default: bool = False) -> Flag:
    """Return a yes-or-no field, false when left out unless `default`, whose error names it."""
    return Flag(
        load_default=default,
        error_messages={"invalid": f"{name} must be true or false"},
        metadata={"description": description},
    )


def _schedule1_number(what: str, *, highest: int, out_of_range: str, not_a_number: str) -> fields.Integer:
    """Return an optional number from 1 to highest that only a Schedule 1 condition has, with the messages for each mistake."""
    return fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=highest, error=out_of_range),
        error_messages={"invalid": not_a_number},
        metadata={"description": f"Schedule 1 conditions only: {what}. Ignored for other kinds."},
    )


class LegalBasisQuerySchema(Schema):
    """Search and filter for the list of legal bases."""

    q = search_text("Words that must each appear in the code, citation, title or summary.")
    kind = SingleLine(
        load_default=None,
        validate=validate.OneOf(list(KINDS), error="Select a kind of legal basis from the list"),
        metadata={"description": "One of: " + ", ".join(KINDS) + "."},
    )


class LegalBasisInputSchema(Schema):
    """A legal basis as an administrator enters it, or as the reference file lists it.

    Field order is the order of the form, so the error summary lists problems top to bottom.
    """

    kind = SingleLine(
        required=True,
        validate=validate.OneOf(list(KINDS), error="Kind must be one of: " + ", ".join(KINDS)),
        error_messages={"required": "Select the kind of legal basis"},
        metadata={"description": "One of: " + ", ".join(KINDS) + "."},
    )
    part = _schedule1_number(
        "the Part (1 to 3)", highest=3, out_of_range="Part must be 1, 2 or 3", not_a_number="Part must be 1, 2 or 3"
    )
    paragraph = _schedule1_number(
        "the paragraph number", highest=99,
        out_of_range="Paragraph must be a number from 1 to 99", not_a_number="Paragraph must be a whole number, like 18",
    )
    mandatory = Flag(
        load_default=None,
        allow_none=True,
        error_messages={"invalid": "Mandatory must be true or false"},
        metadata={
            "description": "Gateways only: true if the provision imposes a duty (to share, to cooperate, to make "
            "arrangements or enquiries), false if it confers a power. Ignored for other kinds."
        },
    )
    code = SingleLine(
        required=True,
        validate=validate.And(
            validate.Length(min=2, max=40, error="Code must be between 2 and 40 characters"),
            validate.Regexp(CODE_PATTERN, error="Code must be capital letters, numbers and hyphens, like GW-CA2004-S10"),
        ),
        error_messages={"required": "Enter a code for the legal basis"},
        metadata={"description": "Stable identity, e.g. DPA2018-S1-P18. Stored in capitals; never changes."},
    )
    citation = _required_text("Citation", 200, "Enter the citation, like Children Act 2004, section 10")
    title = _required_text("Title", 200, "Enter the title: the heading of the provision")
    summary = _required_text("Summary", SUMMARY_LIMIT, "Enter a summary in plain English", lines=True)
    url = SingleLine(
        required=True,
        validate=validate.And(
            validate.Length(max=300, error="Address must be 300 characters or fewer"),
            validate.Regexp(
                LEGISLATION_URL_PATTERN,
                error="Enter the address of the provision on legislation.gov.uk, starting https://www.legislation.gov.uk/",
            ),
        ),
        error_messages={"required": "Enter the address of the provision on legislation.gov.uk"},
        metadata={"description": "The provision on legislation.gov.uk; no other site is accepted."},
    )
    commenced = fields.Date(
        required=True,
        error_messages={
            "required": "Enter the date the provision came into force",
            "invalid": "The date it came into force must be a real date",
        },
        metadata={"description": "When the provision first came into force (YYYY-MM-DD)."},
    )
    special_category = _flag("Special category", "Whether it can serve special category data.")
    criminal_offence = _flag("Criminal offence", "Whether it can serve criminal offence data.")
    needs_schedule1 = _flag(
        "Needs Schedule 1", "Article 9 and 10 only: whether a DPA 2018 Schedule 1 condition is needed as well."
    )
    public_authority_may_rely = _flag(
        "Public authority may rely",
        "False where a public authority may not rely on it for its tasks, as for Article 6(1)(f).",
        default=True,
    )
    notes = MultiLine(
        load_default="",
        validate=validate.Length(max=NOTES_LIMIT, error=f"Notes must be {NOTES_LIMIT} characters or fewer"),
        metadata={"description": "What to know when relying on it; for a gateway, what the duty or power is."},
    )

    @post_load
    def _code_in_capitals(self, data, **kwargs):
        if "code" in data:
            data["code"] = data["code"].upper()
        return data


class LegalBasisChangesSchema(LegalBasisInputSchema):
    """Changes to a legal basis: any field but the code, which never changes."""

    class Meta:
        exclude = ("code",)


class LegalBasisSchema(Schema):
    """A legal basis as the API shows it."""

    code = fields.String()
    kind = fields.String()
    kind_name = fields.String()
    label = fields.String(metadata={"description": "How people cite it, e.g. UK GDPR Article 6(1)(e): Public task."})
    citation = fields.String()
    title = fields.String()
    summary = fields.String()
    url = fields.String()
    commenced = fields.Date(allow_none=True)
    part = fields.Integer(allow_none=True)
    paragraph = fields.Integer(allow_none=True)
    mandatory = fields.Boolean(allow_none=True, metadata={"description": "Gateways only: true for a duty, false for a power."})
    special_category = fields.Boolean()
    criminal_offence = fields.Boolean()
    needs_schedule1 = fields.Boolean()
    public_authority_may_rely = Flag()
    notes = fields.String()
    updated_at = fields.DateTime()


class LegalBasisListSchema(Schema):
    """Every legal basis that matches, in the order the law sets them out."""

    items = fields.List(fields.Nested(LegalBasisSchema))
    total = fields.Integer()
