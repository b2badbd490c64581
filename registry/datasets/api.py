"""JSON API for datasets: list with filters, detail, and changes to datasets and their items by their managers."""

from flask.views import MethodView
from registry.core.api_blueprint import Blueprint

from registry.auth.bearer import api_actor, token_required
from registry.core.unit_of_work import unit_of_work

from . import queries, services
from .schemas import (
    DataItemChangesSchema,
    DataItemInputSchema,
    DataItemSchema,
    DatasetChangesSchema,
    DatasetInputSchema,
    DatasetPageSchema,
    DatasetQuerySchema,
    DatasetSchema,
)

blp = Blueprint(
    "datasets_api",
    __name__,
    url_prefix="/api/v1/datasets",
    description="What each authority holds: datasets and their data items, with their categories of data.",
)

PER_PAGE = 100


@blp.route("")
class Datasets(MethodView):
    @token_required(blp)
    @blp.response(200, DatasetPageSchema)
    @blp.paginated(DatasetQuerySchema, per_page=PER_PAGE)
    def get(self, filters):
        """List datasets, with the same search and filters as the web page."""
        return queries.dataset_search(queries.DatasetFilters(**filters))

    @token_required(blp, errors=(403,))
    @blp.arguments(DatasetInputSchema)
    @blp.response(201, DatasetSchema)
    def post(self, data):
        """Add a dataset, with any data items, to an authority's catalogue (its contributors and approvers)."""
        authority = queries.owning_authority(data["authority_code"])
        with unit_of_work():
            dataset = services.create_dataset(api_actor(), authority, data)
        return dataset


@blp.route("/<int:dataset_id>")
class DatasetDetail(MethodView):
    @token_required(blp, errors=(404,))
    @blp.response(200, DatasetSchema)
    def get(self, dataset_id: int):
        """Show one dataset with its data items."""
        return queries.dataset_by_id(dataset_id)

    @token_required(blp, errors=(403, 404))
    @blp.arguments(DatasetChangesSchema(partial=True))
    @blp.response(200, DatasetSchema)
    def patch(self, data, dataset_id: int):
        """Change a dataset's details; fields left out stay as they are."""
        dataset = queries.dataset_by_id(dataset_id)
        with unit_of_work():
            services.update_dataset(api_actor(), dataset, data)
        return dataset


@blp.route("/<int:dataset_id>/items")
class DataItems(MethodView):
    @token_required(blp, errors=(403, 404))
    @blp.arguments(DataItemInputSchema)
    @blp.response(201, DataItemSchema)
    def post(self, data, dataset_id: int):
        """Add a data item to a dataset; special category and criminal offence data are marked personal too."""
        dataset = queries.dataset_by_id(dataset_id)
        with unit_of_work():
            item = services.add_data_item(api_actor(), dataset, data)
        return item


@blp.route("/<int:dataset_id>/items/<int:item_id>")
class DataItemDetail(MethodView):
    @token_required(blp, errors=(403, 404))
    @blp.arguments(DataItemChangesSchema(partial=True))
    @blp.response(200, DataItemSchema)
    def patch(self, data, dataset_id: int, item_id: int):
        """Change a data item's name or categories; fields left out stay as they are."""
        item = queries.data_item_of(queries.dataset_by_id(dataset_id), item_id)
        with unit_of_work():
            services.update_data_item(api_actor(), item, data)
        return item

    @token_required(blp, errors=(403, 404, 409))
    @blp.response(204)
    def delete(self, dataset_id: int, item_id: int):
        """Remove a data item from a dataset, unless an agreement's data flow names it (409)."""
        item = queries.data_item_of(queries.dataset_by_id(dataset_id), item_id)
        with unit_of_work():
            services.remove_data_item(api_actor(), item)
