"""Input and output schemas for attestations and what authorities owe each other, shared by the HTML forms and the API."""

from marshmallow import Schema, fields, validate

from registry.agreements.schemas import ObligationTerms
from registry.authorities.schemas import AuthorityRefSchema
from registry.core.text import MultiLine, SingleLine

from .models import ATTESTATION_STATUSES


class AttestationInputSchema(Schema):
    """The owing party's approver saying whether an obligation was met."""

    status = SingleLine(
        required=True,
        validate=validate.OneOf(list(ATTESTATION_STATUSES), error="Say whether it was met, partly met or not met"),
        error_messages={"required": "Say whether it was met, partly met or not met"},
        metadata={"description": "met, partly_met or not_met"},
    )
    note = MultiLine(
        load_default="", validate=validate.Length(max=2000, error="Must be 2,000 characters or fewer"),
        metadata={"description": "Needed for partly_met and not_met: what was missed, what will be done and by when."},
    )
    evidence_reference = SingleLine(
        load_default="", validate=validate.Length(max=200, error="Must be 200 characters or fewer"),
        metadata={"description": "Where the evidence is kept: a document reference, certificate number or link."},
    )
    due_on = fields.Date(
        load_default=None,
        error_messages={"invalid": "The due date must be a real date"},
        metadata={"description": "The due date you are attesting for, as you read it (next_due). If it is no "
                                 "longer the one due, the attestation is refused with 409 instead of landing "
                                 "on the next period. Leave it out for an obligation triggered by an event."},
    )
    sequence = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=10_000, error="Must be a whole number between 1 and 10,000"),
        error_messages={"invalid": "Must be a whole number"},
        metadata={"description": "Which attestation of this due date you are making, as you read it (attestations_for_due "
                                 "plus one): refused with 409 if someone attested meanwhile."},
    )


class LastAttestationSchema(Schema):
    status = fields.String()
    status_name = fields.String()
    note = fields.String(metadata={"description": "What was done, or what was missed and what will be done."})
    attested_on = fields.Date()
    due_on = fields.Date(allow_none=True, metadata={"description": "The due date it answered; none for an event."})
    audit_index = fields.Integer(metadata={"description": "The audit log entry; its receipt is at /audit/entries/{index}/receipt."})


class ObligationDueSchema(ObligationTerms, Schema):
    """An obligation in force, who owes it to whom, when it is next due, and its last attestation."""

    obligation_id = fields.Integer()
    lineage = fields.String()
    agreement_reference = fields.String()
    agreement_title = fields.String()
    owed_by = fields.String(metadata={"description": "The owing authority's code."})
    owed_by_name = fields.String(metadata={"description": "The owing authority's name."})
    owed_to = fields.List(fields.String(), metadata={"description": "The codes of the authorities it is owed to."})
    owed_to_names = fields.List(fields.String(), metadata={"description": "The names of the authorities it is owed to, in the same order."})
    type_name = fields.String()
    next_due = fields.Date(allow_none=True, metadata={"description": "The first due date not yet attested as met; none for an event."})
    overdue = fields.Boolean(metadata={"description": "Computed: the next due date has passed without an attestation that it was met."})
    not_met = fields.Boolean(metadata={"description": "The due date's latest attestation (or an event's) says partly met or not met: it stands as not met until one says met."})
    standing = fields.String(metadata={"description": "due, overdue, partly_met, not_met, met or event."})
    standing_name = fields.String(metadata={"description": "Where it stands, in words."})
    attestations_for_due = fields.Integer(metadata={"description": "How many attestations the open due date has; send this plus one as sequence."})
    last_attestation = fields.Nested(LastAttestationSchema, allow_none=True)


class AttestationSchema(Schema):
    """An attestation as recorded, with its audit log entry."""

    id = fields.Integer()
    obligation_id = fields.Integer()
    lineage = fields.String()
    authority = fields.Nested(AuthorityRefSchema)
    due_on = fields.Date(allow_none=True)
    status = fields.String()
    note = fields.String()
    evidence_reference = fields.String()
    attested_at = fields.DateTime()
    audit_index = fields.Integer()


class CounterpartSchema(Schema):
    """What another authority owes mine and what mine owes it, across every agreement in force between them."""

    mine = fields.Nested(AuthorityRefSchema)
    other = fields.Nested(AuthorityRefSchema)
    agreements = fields.List(fields.String(), metadata={"description": "References of the agreements in force between them."})
    they_owe_us = fields.List(fields.Nested(ObligationDueSchema))
    we_owe_them = fields.List(fields.Nested(ObligationDueSchema))
    overdue_to_us = fields.Integer(metadata={"description": "How many of what they owe us are overdue."})
    overdue_by_us = fields.Integer(metadata={"description": "How many of what we owe them are overdue."})
    not_met_to_us = fields.Integer(metadata={"description": "How many of what they owe us stand as not met (or partly met)."})
    not_met_by_us = fields.Integer(metadata={"description": "How many of what we owe them stand as not met (or partly met)."})


class SharingPartnerSchema(Schema):
    """An authority that shares with this one, and under how many agreements in force."""

    authority = fields.Nested(AuthorityRefSchema)
    agreements = fields.Integer()
