"""Input and output schemas for agreements, shared by the HTML forms and the JSON API."""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from registry.authorities.schemas import AuthorityRefSchema
from registry.core.limits import ID, PAGE, plausible_date
from registry.core.flag import Flag
from registry.core.pagination import PageSchema
from registry.core.search_fields import search_text
from registry.core.text import MultiLine, SingleLine
from .models import AGREEMENT_TYPES, CONTROLLER_ROLES, DPIA_STATUSES, DUE_KINDS, FREQUENCIES, OBLIGATION_TYPES, SHARING_ROLES
from .queries import SORTS
from . import statuses
from .statuses import Action, Status

TEXT = 5000


def _text(required_message: str | None = None, maximum: int = TEXT, *, lines: bool = False, **kwargs) -> fields.String:
    """Return a text field, on one line unless `lines`; a required one must hold more than spaces (forms drop empty inputs, JSON may not)."""
    field = MultiLine if lines else SingleLine
    too_long = validate.Length(max=maximum, error=f"Must be {maximum:,} characters or fewer")
    if required_message:
        not_blank = validate.Regexp(r"\S", error=required_message)
        return field(required=True, validate=[not_blank, too_long], error_messages={"required": required_message}, **kwargs)
    return field(load_default="", validate=too_long, **kwargs)


def _yes_no(required_message: str) -> fields.Boolean:
    return Flag(required=True, error_messages={"required": required_message, "invalid": required_message})


def _require(data: dict, messages: dict[str, str]) -> None:
    """Raise a ValidationError naming each field of `messages` that is empty or blank in data, with its message."""
    problems = {name: [message] for name, message in messages.items() if not _given(data.get(name))}
    if problems:
        raise ValidationError(problems)


def _given(value) -> bool:
    return bool(value.strip() if isinstance(value, str) else value)


class AgreementQuerySchema(Schema):
    """Search, filters, sorting and page for the agreements list."""

    q = search_text()
    status = fields.String(load_default=None, validate=validate.OneOf([s.value for s in Status], error="Select a status from the list"))
    party = SingleLine(load_default=None, validate=validate.Length(max=20))
    role = fields.String(load_default=None, validate=validate.OneOf(["lead", "partner"], error="Select lead or partner"))
    dataset = fields.Integer(load_default=None, validate=ID, error_messages={"invalid": "Dataset must be a number"})
    legal_basis = SingleLine(load_default=None, validate=validate.Length(max=40))
    review_due_before = fields.Date(
        load_default=None, validate=plausible_date("The review date"),
        error_messages={"invalid": "The review date must be a real date, like 2027-03-31"},
    )
    sort = fields.String(
        load_default="-updated",
        validate=validate.OneOf([key for name in SORTS for key in (name, f"-{name}")] + ["title", "-title"], error="Choose how to sort"),
    )
    page = fields.Integer(load_default=1, validate=PAGE)


class NewAgreementSchema(Schema):
    """What starting an agreement needs: who leads it, its title and type."""

    lead_authority_code = SingleLine(required=True, error_messages={"required": "Choose the authority that leads the agreement"})
    title = _text("Enter a title", maximum=200)
    agreement_type = fields.String(
        required=True,
        validate=validate.OneOf(list(AGREEMENT_TYPES), error="Choose the type of agreement"),
        error_messages={"required": "Choose the type of agreement"},
    )


class DetailsSchema(Schema):
    """The agreement's title and type, and whether the public register shows it."""

    title = _text("Enter a title", maximum=200)
    agreement_type = fields.String(
        required=True,
        validate=validate.OneOf(list(AGREEMENT_TYPES), error="Choose the type of agreement"),
        error_messages={"required": "Choose the type of agreement"},
    )
    withhold_from_register = Flag(
        load_default=False,
        metadata={"description": "True to keep the agreement out of the public register (say why)."},
    )
    withholding_reason = _text(maximum=1000, lines=True)

    @validates_schema
    def _reason_when_withheld(self, data, **kwargs):
        if data.get("withhold_from_register") and not data.get("withholding_reason", "").strip():
            raise ValidationError("Say why the agreement must be kept out of the public register", "withholding_reason")

    @post_load
    def _no_reason_when_published(self, data, **kwargs):
        # A reason left over from when it was withheld would mislead whoever reads it later.
        if not data.get("withhold_from_register"):
            data["withholding_reason"] = ""
        return data


class PurposeSchema(Schema):
    """What the sharing is for, whose functions it serves, its benefit, and why it is necessary."""

    purpose = _text("Say what the sharing is for", lines=True)
    functions_served = _text(lines=True)
    benefits = _text(lines=True)
    necessity = _text("Say why the sharing is necessary and proportionate, and why less data would not do", lines=True)


class TermsSchema(Schema):
    """The terms the parties agree to."""

    retention = _text("Say how long shared data is kept and how it is deleted", lines=True)
    security_measures = _text("Describe the security measures", lines=True)
    rights_handling = _text(lines=True)
    breach_notification_hours = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=720, error="Enter a number of hours between 1 and 720"),
        error_messages={"required": "Enter within how many hours a breach must be reported", "invalid": "Enter the number of hours as a whole number, like 24"},
    )
    onward_sharing_allowed = _yes_no("Say whether onward sharing is allowed")
    onward_sharing_conditions = _text(lines=True)
    commercial_use_allowed = _yes_no("Say whether commercial use is allowed")
    international_transfers = _yes_no("Say whether data goes outside the UK")
    international_transfer_details = _text(lines=True)
    termination_arrangements = _text(lines=True)

    @validates_schema
    def _details_when_needed(self, data, **kwargs):
        if data.get("international_transfers"):
            _require(data, {"international_transfer_details": "Say where the data goes and under what safeguards"})


class AssuranceSchema(Schema):
    """The data protection impact assessment and the DPO's involvement."""

    dpia_status = fields.String(
        required=True,
        validate=validate.OneOf(list(DPIA_STATUSES), error="Say whether an impact assessment was done"),
        error_messages={"required": "Say whether an impact assessment was done"},
    )
    dpia_reference = _text(maximum=100)
    dpia_date = fields.Date(load_default=None, validate=plausible_date("The assessment date"), error_messages={"invalid": "The assessment date must be a real date"})
    dpo_consulted = _yes_no("Say whether the data protection officer was consulted")

    @validates_schema
    def _completed_needs_reference(self, data, **kwargs):
        if data.get("dpia_status") == "completed":
            _require(data, {
                "dpia_reference": "Enter the assessment's reference",
                "dpia_date": "Enter the date the assessment was completed",
            })


class DatesSchema(Schema):
    """When the sharing starts, is reviewed, and ends."""

    start_date = fields.Date(required=True, validate=plausible_date("The start date"), error_messages={"required": "Enter the start date", "invalid": "The start date must be a real date"})
    review_date = fields.Date(required=True, validate=plausible_date("The review date"), error_messages={"required": "Enter the review date", "invalid": "The review date must be a real date"})
    review_interval_months = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=60, error="Enter between 1 and 60 months"),
        error_messages={"invalid": "Enter the number of months as a whole number"},
    )
    end_date = fields.Date(load_default=None, validate=plausible_date("The end date"), error_messages={"invalid": "The end date must be a real date"})


class PartyInputSchema(Schema):
    """A party's roles and legal bases (and, when adding one, which authority)."""

    authority_code = SingleLine(load_default=None, validate=validate.Length(max=20))
    sharing_role = fields.String(
        required=True, validate=validate.OneOf(list(SHARING_ROLES), error="Say whether the party provides data, receives it, or both"),
        error_messages={"required": "Say whether the party provides data, receives it, or both"},
    )
    controller_role = fields.String(
        required=True, validate=validate.OneOf(list(CONTROLLER_ROLES), error="Say whether the party is a controller, joint controller or processor"),
        error_messages={"required": "Say whether the party is a controller, joint controller or processor"},
    )
    legal_bases = fields.List(SingleLine(validate=validate.Length(max=40)), load_default=list)


class FlowInputSchema(Schema):
    """A flow of data between two parties."""

    from_party_id = fields.Integer(required=True, validate=ID, error_messages={"required": "Choose who sends the data", "invalid": "Choose who sends the data"})
    to_party_id = fields.Integer(required=True, validate=ID, error_messages={"required": "Choose who receives the data", "invalid": "Choose who receives the data"})
    dataset_id = fields.Integer(required=True, validate=ID, error_messages={"required": "Choose the dataset", "invalid": "Choose the dataset"})
    data_item_ids = fields.List(
        fields.Integer(validate=ID), required=True, validate=validate.Length(min=1, error="Choose at least one data item"),
        error_messages={"required": "Choose at least one data item"},
    )
    frequency = fields.String(
        required=True, validate=validate.OneOf(list(FREQUENCIES), error="Choose how often the data flows"),
        error_messages={"required": "Choose how often the data flows"},
    )
    method = _text(maximum=200)
    volume = _text(maximum=200)

    @validates_schema
    def _two_parties(self, data, **kwargs):
        if data.get("from_party_id") and data.get("from_party_id") == data.get("to_party_id"):
            raise ValidationError("Data must flow to a different party", "to_party_id")


# What each kind of due date needs, and what to say when it is missing.
DUE_KIND_NEEDS = {
    "date": {"due_date": "Enter the date it falls due"},
    "recurring": {
        "due_date": "Enter the date it first falls due",
        "every_months": "Enter how many months apart it falls due, like 12 for every year",
    },
    "event": {
        "event": "Describe the event, like a breach of the shared data",
        "within_hours": "Enter within how many hours of the event, like 72",
    },
}


class ObligationInputSchema(Schema):
    """Something one party owes another (or all the others), and when it falls due."""

    owed_by_party_id = fields.Integer(required=True, validate=ID, error_messages={"required": "Choose who owes it", "invalid": "Choose who owes it"})
    owed_to_party_id = fields.Integer(load_default=None, validate=ID, metadata={"description": "Leave out for every other party."})
    type = fields.String(
        required=True, validate=validate.OneOf(list(OBLIGATION_TYPES), error="Choose the type of obligation"),
        error_messages={"required": "Choose the type of obligation"},
    )
    description = _text("Describe what is owed", maximum=2000, lines=True)
    due_kind = fields.String(
        required=True, validate=validate.OneOf(list(DUE_KINDS), error="Say when it falls due"),
        error_messages={"required": "Say when it falls due"},
    )
    due_date = fields.Date(load_default=None, validate=plausible_date("The due date"), error_messages={"invalid": "The due date must be a real date"})
    every_months = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=120, error="Enter between 1 and 120 months"),
        error_messages={"invalid": "Enter the number of months as a whole number, like 12"},
    )
    event = _text(maximum=200)
    within_hours = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=8760, error="Enter between 1 and 8,760 hours"),
        error_messages={"invalid": "Enter the number of hours as a whole number, like 72"},
    )

    @validates_schema
    def _what_the_kind_needs(self, data, **kwargs):
        _require(data, DUE_KIND_NEEDS.get(data.get("due_kind"), {}))


class ReasonSchema(Schema):
    """A reason the other parties will read."""

    reason = _text("Give a reason: the other parties will see it", lines=True)


class NextReviewSchema(Schema):
    """When the agreement is next reviewed."""

    next_review = fields.Date(required=True, validate=plausible_date("The next review date"), error_messages={"required": "Enter the next review date", "invalid": "The next review date must be a real date"})


class TransitionSchema(Schema):
    """A workflow action sent to the API."""

    action = fields.String(required=True, validate=validate.OneOf([a.value for a in Action if a not in (Action.START, Action.EXPIRE)], error="Not an action people can take"))
    reason = MultiLine(load_default=None, validate=validate.Length(max=TEXT))
    authority_code = SingleLine(load_default=None, validate=validate.Length(max=20), metadata={"description": "For approve: the party you approve for (needed if you approve for several)."})
    content_hash = fields.String(load_default=None, validate=validate.Regexp(r"^[0-9a-f]{64}$", error="Must be the version's SHA-256, in 64 lowercase hexadecimal digits"), metadata={"description": "For approve: the SHA-256 of the version you read."})
    next_review = fields.Date(load_default=None, validate=plausible_date("The next review date"), metadata={"description": "For complete_review: the next review date."})
    lock_version = fields.Integer(load_default=None, metadata={"description": "The agreement's lock_version you read; refused with 409 if it has changed since."})


# Output


class ApprovalSchema(Schema):
    authority = fields.Nested(AuthorityRefSchema)
    content_hash = fields.String()
    approved_at = fields.DateTime()


class VersionSummarySchema(Schema):
    id = fields.Integer()
    number = fields.Integer(allow_none=True)
    state = fields.String()
    status = fields.Function(
        lambda version: statuses.version_status(version.state, version.agreement.status),
        metadata={"description": "Where the version stands now: as state, except that the version in force of an "
                                 "agreement suspended, terminated or expired says so."},
    )
    status_name = fields.Function(
        lambda version: statuses.word(statuses.version_status(version.state, version.agreement.status)),
        metadata={"description": "The status in words."},
    )
    content_hash = fields.String(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    approvals = fields.List(fields.Nested(ApprovalSchema))


class VersionSchema(VersionSummarySchema):
    content = fields.Dict(metadata={"description": "Everything the version says, as hashed when it was submitted."})


class AgreementSummarySchema(Schema):
    reference = fields.String()
    title = fields.String(attribute="shown_version.title")
    status = fields.String()
    status_name = fields.Function(lambda agreement: statuses.word(agreement.status), metadata={"description": "The status in words."})
    lead_authority = fields.Nested(AuthorityRefSchema)
    review_due = fields.Date(allow_none=True)
    lock_version = fields.Integer()
    updated_at = fields.DateTime()


class AgreementSchema(AgreementSummarySchema):
    current_version = fields.Nested(VersionSummarySchema, allow_none=True)
    pending_version = fields.Nested(VersionSummarySchema, allow_none=True)
    versions = fields.List(fields.Nested(VersionSummarySchema))
    content = fields.Dict(metadata={"description": "What the agreement says now: the version in force, else the newest."})
    allowed_actions = fields.List(fields.String(), metadata={"description": "What the workflow allows now."})
    your_actions = fields.List(fields.String(), metadata={"description": "What you may do now."})


class ObligationTerms:
    """The fields an obligation's output schemas share: what is owed, and when it falls due.

    A plain class, not a Schema: marshmallow takes the fields of the classes a schema mixes
    in, and this is never a schema of its own.
    """

    type = fields.String()
    description = fields.String()
    due_kind = fields.String()
    due_date = fields.Date(allow_none=True)
    every_months = fields.Integer(allow_none=True)
    event = fields.String()
    within_hours = fields.Integer(allow_none=True)


class AgreementPageSchema(PageSchema):
    items = fields.List(fields.Nested(AgreementSummarySchema))
    total = fields.Integer(metadata={"description": "How many agreements match, counted up to 1,000."})
    total_is_capped = fields.Boolean(metadata={"description": "True when more than `total` agreements match."})
