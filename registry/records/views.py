"""The PDF record of a submitted agreement version, for anyone who may see the agreement."""

from flask import Blueprint, Response, url_for

from registry.agreements import access
from registry.agreements.queries import version_by_number
from registry.auth.decorators import current_actor, signed_in

from .pdf import record_pdf

bp = Blueprint("records", __name__)


@bp.get("/agreements/<string:reference>/versions/<int:number>/record.pdf")
@signed_in
def version_pdf(reference: str, number: int):
    """Download a submitted version as a PDF to file, send or show, with what verify.py needs to check it."""
    agreement = access.viewable(current_actor(), reference)
    version = version_by_number(agreement, number)
    link = url_for("agreements.version", reference=agreement.reference, number=version.number, _external=True)
    filename = f"{agreement.reference}-v{version.number}.pdf"
    return Response(
        record_pdf(version, link),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
