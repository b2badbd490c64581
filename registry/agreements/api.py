"""JSON API for agreements: the list, an agreement and its versions, editing the draft, and the workflow actions.

Each endpoint loads the agreement, checks the caller may see it, and calls the same use
case as the HTML pages (drafting.py, services.py), committing once. The draft's edits load
it once, under the agreement's lock, and answer from what they hold. Refusals are domain
errors, answered in one place: 403, 404, 409 (with the status and the allowed actions for a
transition the workflow does not allow) and 422 (with the fields).
"""

import re
from collections.abc import Mapping

from flask import request
from flask.views import MethodView
from registry.core.api_blueprint import Blueprint
from marshmallow import Schema, fields, pre_load

from registry.auth.bearer import api_actor, token_required
from registry.authorities.queries import authority_named_in
from registry.core.errors import NotFound, ValidationFailed
from registry.core.limits import ID
from registry.core.unit_of_work import unit_of_work

from . import access, content, diff, drafting, queries, rules, services, workflow
from .models import Agreement, AgreementVersion
from .schemas import (
    AgreementPageSchema,
    AgreementQuerySchema,
    AgreementSchema,
    AssuranceSchema,
    AuthorityRefSchema,
    DatesSchema,
    DetailsSchema,
    FlowInputSchema,
    NewAgreementSchema,
    ObligationInputSchema,
    ObligationTerms,
    PartyInputSchema,
    PurposeSchema,
    TermsSchema,
    TransitionSchema,
    VersionSchema,
)
from .statuses import Action

blp = Blueprint(
    "agreements_api",
    __name__,
    url_prefix="/api/v1/agreements",
    description="Data-sharing agreements: their versions, the draft's sections, parties and flows, and the workflow.",
)

PER_PAGE = 100

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The agreement\'s lock_version you read, as "3"; refused with 409 if it has changed since. '
    "A lock_version in the body takes precedence.",
}
_ETAG = re.compile(r'(?:W/)?"?(\d{1,18})"?')


# Input: the shared schemas, read the way the HTML forms read them.


class _Input(Schema):
    """Blank text counts as left out, as in the HTML forms, so required text must have content.

    Only for text (and choices, which are text): a blank date or number (`?review_due_before=`)
    is not one, and is refused as such rather than quietly ignored.
    """

    @pre_load
    def _as_a_form_is_read(self, data, **kwargs):
        if not isinstance(data, Mapping):
            return data
        text = {field.data_key or name for name, field in self.load_fields.items() if isinstance(field, fields.String)}
        return {key: data[key] for key in data if not (key in text and isinstance(data[key], str) and not data[key].strip())}


class _Locked(_Input):
    lock_version = fields.Integer(
        load_default=None,
        metadata={"description": "The agreement's lock_version you read; refused with 409 if it has changed since."},
    )


class AgreementListQuerySchema(_Input, AgreementQuerySchema):
    """Search, filters, sorting and page for the agreements list."""


class NewAgreementBodySchema(_Input, NewAgreementSchema):
    """What starting an agreement needs: who leads it, its title and type."""


class DetailsBodySchema(_Locked, DetailsSchema):
    """The agreement's title and type."""


class PurposeBodySchema(_Locked, PurposeSchema):
    """What the sharing is for, whose functions it serves, its benefit, and why it is necessary."""


class TermsBodySchema(_Locked, TermsSchema):
    """The terms the parties agree to."""


class AssuranceBodySchema(_Locked, AssuranceSchema):
    """The data protection impact assessment and the DPO's involvement."""


class DatesBodySchema(_Locked, DatesSchema):
    """When the sharing starts, is reviewed, and ends."""


class PartyBodySchema(_Locked, PartyInputSchema):
    """A party's roles and legal bases; authority_code is needed to add a party, and cannot change."""


class FlowBodySchema(_Locked, FlowInputSchema):
    """A flow of data between two parties of the draft."""


class ObligationBodySchema(_Locked, ObligationInputSchema):
    """Something a party of the draft owes another (or all the others), and when it falls due."""


class TransitionBodySchema(_Input, TransitionSchema):
    """A workflow action, with what it needs: a reason, the approval's authority and hash, the next review date."""


class CompareQuerySchema(_Input):
    """Which two versions to compare (default: the last two)."""

    from_ = fields.Integer(data_key="from", load_default=None, validate=ID)
    to = fields.Integer(load_default=None, validate=ID)


SECTIONS = {
    "details": ("title and type", DetailsBodySchema),
    "purpose": ("purpose and necessity", PurposeBodySchema),
    "terms": ("terms", TermsBodySchema),
    "assurance": ("impact assessment", AssuranceBodySchema),
    "dates": ("dates", DatesBodySchema),
}


# Output: what schemas.py does not describe, the draft's parties and flows with their ids.


class _Code(Schema):
    code = fields.String()


class _Id(Schema):
    id = fields.Integer()


class PartySchema(Schema):
    """A party to the draft, with the id to change or remove it by."""

    id = fields.Integer()
    authority = fields.Nested(AuthorityRefSchema)
    sharing_role = fields.String()
    controller_role = fields.String()
    legal_bases = fields.Pluck(_Code, "code", many=True)


class FlowSchema(Schema):
    """A flow in the draft, with the id to change or remove it by."""

    id = fields.Integer()
    from_party_id = fields.Integer()
    to_party_id = fields.Integer()
    dataset_id = fields.Integer()
    data_item_ids = fields.Pluck(_Id, "id", many=True, attribute="data_items")
    frequency = fields.String()
    method = fields.String()
    volume = fields.String()


class ObligationSchema(ObligationTerms, Schema):
    """An obligation in the draft, with the id to change or remove it by."""

    id = fields.Integer()
    lineage = fields.String(metadata={"description": "Stays the same across versions, so attestations carry on."})
    owed_by_party_id = fields.Integer()
    owed_to_party_id = fields.Integer(allow_none=True, metadata={"description": "None: owed to every other party."})


class DraftSchema(Schema):
    """The version being drafted: what it says, its parties and flows, and what still stops it being submitted."""

    reference = fields.String()
    lock_version = fields.Integer()
    id = fields.Integer()
    state = fields.String()
    parties = fields.List(fields.Nested(PartySchema))
    flows = fields.List(fields.Nested(FlowSchema))
    obligations = fields.List(fields.Nested(ObligationSchema))
    content = fields.Dict(metadata={"description": "Everything the draft says, in the shape it is hashed in when submitted."})
    problems = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()),
        metadata={"description": "What must be put right before it can be submitted, by section; empty when it can be."},
    )


class ComparisonSchema(Schema):
    """What changed between two versions, in sentences."""

    from_ = fields.Integer(data_key="from")
    to = fields.Integer()
    differences = fields.List(fields.String())


class _Shown:
    """A model object with the values its output schema adds (content, actions, lock_version)."""

    def __init__(self, subject, **extra) -> None:
        self._subject = subject
        self.__dict__.update(extra)

    def __getattr__(self, name: str):
        return getattr(self._subject, name)


def _agreement_out(agreement: Agreement) -> _Shown:
    actor = api_actor()
    return _Shown(
        agreement,
        content=content.document_of(agreement.shown_version),
        allowed_actions=[action.value for action in workflow.table_actions(agreement)],
        your_actions=[action.value for action in workflow.actions_for(actor, agreement)],
    )


def _version_out(version: AgreementVersion) -> _Shown:
    return _Shown(version, content=content.document_of(version))


def _draft_out(agreement: Agreement) -> _Shown:
    draft = _draft_of(agreement)
    return _Shown(
        draft,
        reference=agreement.reference,
        lock_version=agreement.lock_version,
        content=content.document_of(draft),
        problems=rules.submission_problems(draft),
    )


# Loading and checking


def _viewable(reference: str) -> Agreement:
    """Return the agreement with everything it shows loaded, if the caller may see it."""
    return access.viewable(api_actor(), reference)


def _draft_of(agreement: Agreement) -> AgreementVersion:
    draft = agreement.pending_version
    if draft is None or draft.is_frozen:
        raise NotFound(f"{agreement.reference} has no draft being written now.")
    return draft


def _editable(reference: str, *, with_contents: bool = False) -> Agreement:
    """Lock the agreement and load its draft, if the caller may edit it (inside the request's unit of work)."""
    return access.editable_under_lock(api_actor(), reference, with_contents=with_contents)


def _seen_lock_version(data: dict) -> int | None:
    """Return the lock_version the caller read: from the body, else from If-Match, else None."""
    if data.get("lock_version") is not None:
        return data["lock_version"]
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    match = _ETAG.fullmatch(header)
    if match is None:
        raise ValidationFailed.single("If-Match", 'Send the agreement\'s lock_version in If-Match, like "3"')
    return int(match.group(1))


# The list and starting an agreement


@blp.route("")
class Agreements(MethodView):
    @token_required(blp)
    @blp.response(200, AgreementPageSchema)
    @blp.paginated(AgreementListQuerySchema, per_page=PER_PAGE, options=queries.list_options, count_limit=queries.COUNT_LIMIT)
    def get(self, filters):
        """List the agreements I can see, with the same search, filters and sorting as the web page."""
        return queries.agreement_search(api_actor(), queries.AgreementFilters(**filters))

    @token_required(blp, errors=(400, 403))
    @blp.arguments(NewAgreementBodySchema)
    @blp.response(201, AgreementSchema)
    def post(self, data):
        """Start an agreement led by one of my authorities, with a first draft naming it as a party."""
        lead = authority_named_in("lead_authority_code", data["lead_authority_code"], required=drafting.LEAD_NEEDED)
        with unit_of_work():
            agreement = drafting.create_agreement(api_actor(), lead, title=data["title"], agreement_type=data["agreement_type"])
        return _agreement_out(_viewable(agreement.reference))


# Reading an agreement, its versions and its draft


@blp.route("/<string:reference>")
class AgreementDetail(MethodView):
    @token_required(blp, errors=(403, 404))
    @blp.response(200, AgreementSchema)
    def get(self, reference: str):
        """Show an agreement: what it says now, its versions, and what the workflow and I can do next."""
        return _agreement_out(_viewable(reference))


@blp.route("/<string:reference>/versions")
class Versions(MethodView):
    @token_required(blp, errors=(403, 404))
    @blp.response(200, VersionSchema(many=True))
    def get(self, reference: str):
        """List the submitted versions, oldest first, each with what it says, its hash and its approvals."""
        agreement = _viewable(reference)
        return [_version_out(version) for version in agreement.versions if version.number is not None]


@blp.route("/<string:reference>/versions/<int:number>")
class VersionDetail(MethodView):
    @token_required(blp, errors=(403, 404))
    @blp.response(200, VersionSchema)
    def get(self, reference: str, number: int):
        """Show one submitted version as it was frozen, with its hash and approvals."""
        return _version_out(queries.version_by_number(_viewable(reference), number))


@blp.route("/<string:reference>/compare")
class Compare(MethodView):
    @token_required(blp, errors=(403, 404))
    @blp.arguments(CompareQuerySchema, location="query")
    @blp.response(200, ComparisonSchema)
    def get(self, args, reference: str):
        """Say in sentences what changed between two versions (default: the last two)."""
        agreement = _viewable(reference)
        numbered = sorted(v.number for v in agreement.versions if v.number is not None)
        old_number = args["from_"] or (numbered[-2] if len(numbered) > 1 else None)
        new_number = args["to"] or (numbered[-1] if numbered else None)
        if old_number is None or new_number is None:
            raise ValidationFailed.single("from", "This agreement has only one version so far")
        old = queries.version_by_number(agreement, old_number)
        new = queries.version_by_number(agreement, new_number)
        documents = content.document_of(old), content.document_of(new)
        return {
            "from_": old_number,
            "to": new_number,
            "differences": diff.differences(*documents, queries.words_for_codes(*documents)),
        }


@blp.route("/<string:reference>/draft")
class Draft(MethodView):
    @token_required(blp, errors=(403, 404))
    @blp.response(200, DraftSchema)
    def get(self, reference: str):
        """Show the draft: what it says, its parties and flows with their ids, and what stops it being submitted."""
        return _draft_out(_viewable(reference))


# Editing the draft


def _save_section(section: str, data: dict, reference: str):
    # Answered from what the use case read under the lock and changed: nothing is read twice.
    with unit_of_work(keep_loaded=True):
        agreement = _editable(reference, with_contents=True)
        drafting.update_section(api_actor(), agreement, section, data, seen_lock_version=_seen_lock_version(data))
        return _draft_out(agreement)


def _section_view(section: str, title: str, body_schema: type[Schema]) -> type[MethodView]:
    def patch(self, data, reference: str):
        return _save_section(section, data, reference)

    patch.__doc__ = (
        f"Save the draft's {title}: send the whole section, as the web form does (optional text left out is emptied)."
    )
    patch = blp.response(200, DraftSchema)(patch)
    patch = blp.arguments(body_schema)(patch)
    patch = token_required(blp, errors=(400, 403, 404, 409))(patch)
    return type(f"Draft{section.capitalize()}", (MethodView,), {"patch": patch})


for _section, (_title, _schema) in SECTIONS.items():
    blp.route(f"/<string:reference>/draft/{_section}", endpoint=f"draft_{_section}", parameters=[IF_MATCH])(
        _section_view(_section, _title, _schema)
    )


def _draft_items(plural: str, singular: str, body_schema: type[Schema], item_schema: type[Schema], *,
                 add: tuple, change: tuple, remove: tuple) -> None:
    """Route one list of the draft's items: POST …/draft/<plural> adds one, PUT and DELETE …/draft/<plural>/<id> change and remove one.

    `add`, `change` and `remove` are each a use case and the operation's summary in the
    OpenAPI document. A use case takes the caller, the agreement locked with its draft
    loaded, the item's id (to change or remove one), the body (to add or change one) and the
    lock version the caller read; the item it returns is the answer, as committed.
    """
    id_name = f"{singular}_id"
    (add, post_doc), (change, put_doc), (remove, delete_doc) = add, change, remove

    def post(self, data, reference: str):
        with unit_of_work(keep_loaded=True):
            return add(api_actor(), _editable(reference), data, seen_lock_version=_seen_lock_version(data))

    def put(self, data, reference: str, **item):
        with unit_of_work(keep_loaded=True):
            return change(api_actor(), _editable(reference), item[id_name], data, seen_lock_version=_seen_lock_version(data))

    def delete(self, reference: str, **item):
        with unit_of_work():
            remove(api_actor(), _editable(reference), item[id_name], seen_lock_version=_seen_lock_version({}))

    post.__doc__, put.__doc__, delete.__doc__ = post_doc, put_doc, delete_doc
    changes = token_required(blp, errors=(400, 403, 404, 409))
    post = changes(blp.arguments(body_schema)(blp.response(201, item_schema)(post)))
    put = changes(blp.arguments(body_schema)(blp.response(200, item_schema)(put)))
    delete = token_required(blp, errors=(403, 404, 409, 422))(blp.response(204)(delete))
    # The class names are the endpoints' names: agreements_api.Parties, agreements_api.PartyDetail, …
    blp.route(f"/<string:reference>/draft/{plural}", parameters=[IF_MATCH])(
        type(plural.capitalize(), (MethodView,), {"post": post})
    )
    blp.route(f"/<string:reference>/draft/{plural}/<int:{id_name}>", parameters=[IF_MATCH])(
        type(f"{singular.capitalize()}Detail", (MethodView,), {"put": put, "delete": delete})
    )


def _add_party(actor, agreement: Agreement, data: dict, *, seen_lock_version: int | None):
    authority = authority_named_in("authority_code", data["authority_code"], required=drafting.PARTY_NEEDED)
    return drafting.add_party(
        actor, agreement, authority, sharing_role=data["sharing_role"], controller_role=data["controller_role"],
        legal_bases=data["legal_bases"], seen_lock_version=seen_lock_version,
    )


def _update_party(actor, agreement: Agreement, party_id: int, data: dict, *, seen_lock_version: int | None):
    return drafting.update_party(
        actor, agreement, party_id, authority=authority_named_in("authority_code", data["authority_code"]),
        sharing_role=data["sharing_role"], controller_role=data["controller_role"], legal_bases=data["legal_bases"],
        seen_lock_version=seen_lock_version,
    )


_draft_items(
    "parties", "party", PartyBodySchema, PartySchema,
    add=(_add_party, "Add an authority to the draft as a party, with its roles and legal bases."),
    change=(_update_party, "Change a party's roles and legal bases (its authority stays: remove the party and add another)."),
    remove=(drafting.remove_party, "Remove a party from the draft, with the flows to and from it; never the lead authority."),
)
_draft_items(
    "flows", "flow", FlowBodySchema, FlowSchema,
    add=(drafting.add_flow, "Add a flow of a dataset's items from one party to another to the draft."),
    change=(drafting.update_flow, "Change a flow in the draft."),
    remove=(drafting.remove_flow, "Remove a flow from the draft."),
)
_draft_items(
    "obligations", "obligation", ObligationBodySchema, ObligationSchema,
    add=(drafting.add_obligation, "Add to the draft something one party owes another (or all the others), and when it falls due."),
    change=(drafting.update_obligation, "Change an obligation in the draft: send all of it, as the web form does."),
    remove=(drafting.remove_obligation, "Remove an obligation from the draft."),
)


# The workflow


def _required(data: dict, field: str, message: str):
    if data.get(field) is None:
        raise ValidationFailed.single(field, message)
    return data[field]


def _approve(actor, agreement, data, seen):
    content_hash = _required(data, "content_hash", "Give the content_hash of the version you read and approve")
    authority = authority_named_in("authority_code", data["authority_code"])
    services.approve(actor, agreement, authority, content_hash=content_hash, seen_lock_version=seen)


def _complete_review(actor, agreement, data, seen):
    next_review = _required(data, "next_review", "Enter the next review date")
    services.complete_review(actor, agreement, next_review=next_review, seen_lock_version=seen)


TRANSITIONS = {
    Action.SUBMIT: lambda actor, agreement, data, seen: services.submit(actor, agreement, seen_lock_version=seen),
    Action.APPROVE: _approve,
    Action.REQUEST_CHANGES: lambda actor, agreement, data, seen: services.request_changes(
        actor, agreement, reason=data["reason"], seen_lock_version=seen
    ),
    Action.WITHDRAW: lambda actor, agreement, data, seen: services.withdraw(
        actor, agreement, reason=data["reason"], seen_lock_version=seen
    ),
    Action.START_REVIEW: lambda actor, agreement, data, seen: services.start_review(actor, agreement, seen_lock_version=seen),
    Action.COMPLETE_REVIEW: _complete_review,
    Action.AMEND: lambda actor, agreement, data, seen: services.amend(actor, agreement, seen_lock_version=seen),
    Action.SUSPEND: lambda actor, agreement, data, seen: services.suspend(
        actor, agreement, reason=data["reason"], seen_lock_version=seen
    ),
    Action.RESUME: lambda actor, agreement, data, seen: services.resume(actor, agreement, seen_lock_version=seen),
    Action.TERMINATE: lambda actor, agreement, data, seen: services.terminate(
        actor, agreement, reason=data["reason"], seen_lock_version=seen
    ),
}


@blp.route("/<string:reference>/transitions", parameters=[IF_MATCH])
class Transitions(MethodView):
    @token_required(blp, errors=(400, 403, 404, 409))
    @blp.arguments(TransitionBodySchema)
    @blp.response(200, AgreementSchema)
    def post(self, data, reference: str):
        """Take a workflow action; one the workflow does not allow now is refused with 409, the status and the allowed actions."""
        # Answered from what the use case read under the lock and changed: nothing is read twice.
        with unit_of_work(keep_loaded=True):
            agreement = access.viewable_under_lock(api_actor(), reference)
            TRANSITIONS[Action(data["action"])](api_actor(), agreement, data, _seen_lock_version(data))
            return _agreement_out(agreement)
