"""HTML pages for datasets: the searchable catalogue, a dataset with its items, and forms for their managers."""

from functools import partial

from flask import Blueprint, render_template, url_for

from registry.auth.decorators import current_actor, signed_in
from registry.core.clock import today
from registry.core.errors import Conflict, PermissionDenied
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState, load_query
from registry.core.pagination import paginate
from registry.core.unit_of_work import unit_of_work

from . import policies, queries, services
from .models import CLASSIFICATIONS
from .schemas import DataItemInputSchema, DatasetChangesSchema, DatasetInputSchema, DatasetQuerySchema

bp = Blueprint("datasets", __name__, url_prefix="/datasets")

PER_PAGE = 50


@bp.get("")
@signed_in
def index():
    """List datasets, searchable by name or description and filtered by owner, classification and sensitive data."""
    filters, form = load_query(DatasetQuerySchema())
    page_number = filters.pop("page")
    page = paginate(queries.dataset_search(queries.DatasetFilters(**filters)), page_number, PER_PAGE)
    return render_template(
        "datasets/index.html",
        page=page,
        pagination=page.govuk_links(".index", form.values),
        form=form,
        owners=queries.dataset_owners(),
        classifications=CLASSIFICATIONS,
        can_add_dataset=bool(queries.authorities_managed_by(current_actor(), today())),
    ), form.http_status


def _authorities_for_new_dataset() -> list:
    authorities = queries.authorities_managed_by(current_actor(), today())
    if not authorities:
        raise PermissionDenied("You can add datasets only for an authority where you are a contributor or approver.")
    return authorities


def _render_dataset_form(form: FormState, dataset=None, authorities=(), status: int = 200):
    return render_template(
        "datasets/form.html", form=form, dataset=dataset, authorities=authorities, classifications=CLASSIFICATIONS
    ), status


@bp.get("/new")
@signed_in
def new():
    """Show the form to add a dataset, with the owner chosen already when there is only one to choose."""
    authorities = _authorities_for_new_dataset()
    values = {"security_classification": "OFFICIAL"}
    if len(authorities) == 1:
        values["authority_code"] = authorities[0].code
    return _render_dataset_form(FormState(values), authorities=authorities)


@bp.post("/new")
@signed_in
def create():
    """Add a dataset, or show what is wrong with the form."""
    authorities = _authorities_for_new_dataset()
    return handle_form(
        DatasetInputSchema(exclude=("items",)),
        _create_dataset,
        saved=lambda dataset: _back_to_dataset(dataset, f"{dataset.name} has been added. Now add the data items it holds."),
        invalid=lambda form: _render_dataset_form(form, authorities=authorities, status=422),
    )


def _create_dataset(data: dict):
    return services.create_dataset(current_actor(), queries.owning_authority(data["authority_code"]), data)


def _back_to_dataset(dataset, message: str):
    return redirect_with_banner(url_for(".show", dataset_id=dataset.id), message)


def _render_show(dataset, problem: str | None = None, status: int = 200):
    return render_template(
        "datasets/show.html",
        dataset=dataset,
        problem=problem,
        can_manage=policies.can_manage(current_actor(), dataset),
    ), status


@bp.get("/<int:dataset_id>")
@signed_in
def show(dataset_id: int):
    """Show a dataset with its data items and their categories."""
    return _render_show(queries.dataset_by_id(dataset_id))


def _require_manager(dataset) -> None:
    if not policies.can_manage(current_actor(), dataset):
        raise PermissionDenied(f"Only contributors and approvers of {dataset.authority.name} can change its datasets.")


def _managed(dataset_id: int):
    """Return the dataset if the signed-in person may change it."""
    dataset = queries.dataset_by_id(dataset_id)
    _require_manager(dataset)
    return dataset


def _managed_item(dataset_id: int, item_id: int):
    """Return the dataset and its data item if the signed-in person may change them."""
    dataset = queries.dataset_by_id(dataset_id)
    item = queries.data_item_of(dataset, item_id)
    _require_manager(dataset)
    return dataset, item


@bp.get("/<int:dataset_id>/edit")
@signed_in
def edit(dataset_id: int):
    """Show the form to change a dataset's details."""
    dataset = _managed(dataset_id)
    values = {name: getattr(dataset, name) for name in DatasetChangesSchema().load_fields}
    return _render_dataset_form(FormState(values), dataset)


@bp.post("/<int:dataset_id>/edit")
@signed_in
def update(dataset_id: int):
    """Save a dataset's details, or show what is wrong with the form."""
    dataset = _managed(dataset_id)
    return handle_form(
        DatasetChangesSchema(),
        partial(services.update_dataset, current_actor(), dataset),
        saved=lambda _: _back_to_dataset(dataset, f"{dataset.name} has been updated."),
        invalid=lambda form: _render_dataset_form(form, dataset, status=422),
    )


def _render_item_form(form: FormState, dataset, item=None, status: int = 200):
    return render_template("datasets/item_form.html", form=form, dataset=dataset, item=item), status


@bp.get("/<int:dataset_id>/items/new")
@signed_in
def new_item(dataset_id: int):
    """Show the form to add a data item to a dataset."""
    dataset = _managed(dataset_id)
    return _render_item_form(FormState(), dataset)


@bp.post("/<int:dataset_id>/items/new")
@signed_in
def create_item(dataset_id: int):
    """Add a data item, or show what is wrong with the form."""
    dataset = _managed(dataset_id)
    return handle_form(
        DataItemInputSchema(),
        partial(services.add_data_item, current_actor(), dataset),
        saved=lambda item: _back_to_dataset(dataset, f"{item.name} has been added to {dataset.name}."),
        invalid=lambda form: _render_item_form(form, dataset, status=422),
    )


@bp.get("/<int:dataset_id>/items/<int:item_id>/edit")
@signed_in
def edit_item(dataset_id: int, item_id: int):
    """Show the form to change a data item's name or categories."""
    dataset, item = _managed_item(dataset_id, item_id)
    values = {name: getattr(item, name) for name in DataItemInputSchema().load_fields}
    return _render_item_form(FormState(values), dataset, item)


@bp.post("/<int:dataset_id>/items/<int:item_id>/edit")
@signed_in
def update_item(dataset_id: int, item_id: int):
    """Save a data item's name and categories, or show what is wrong with the form."""
    dataset, item = _managed_item(dataset_id, item_id)
    return handle_form(
        DataItemInputSchema(),
        partial(services.update_data_item, current_actor(), item),
        saved=lambda _: _back_to_dataset(dataset, f"{item.name} has been updated."),
        invalid=lambda form: _render_item_form(form, dataset, item, status=422),
    )


@bp.post("/<int:dataset_id>/items/<int:item_id>/remove")
@signed_in
def remove_item(dataset_id: int, item_id: int):
    """Take a data item out of a dataset, or say which agreement still uses it."""
    dataset = queries.dataset_by_id(dataset_id)
    item = queries.data_item_of(dataset, item_id)
    name = item.name
    try:
        with unit_of_work():
            services.remove_data_item(current_actor(), item)
    except Conflict as conflict:
        return _render_show(dataset, problem=conflict.message, status=409)
    return _back_to_dataset(dataset, f"{name} has been removed from {dataset.name}.")
