"""Photos of draft lines: upload (type from the bytes, limited in size and number) and
removal. Files are written before their rows and removed again if the request fails."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from models import RmaAttachment
from portal.db import get_session
from portal.extensions import htmx
from portal.requests import operations, uploads
from portal.requests.blueprint import back_to_draft, bp, load_draft, load_line, with_line
from portal.requests.errors import RequestError
from portal.requests.forms import ConfirmForm, PhotoForm
from portal.requests.queries import photo_count
from portal.requests.rendering import (
    LINE_PARTS,
    draft_context,
    render_draft_page,
    render_parts,
    upload_limits,
)


@bp.url_value_preprocessor
def _limit_upload_size(endpoint, _values) -> None:
    # URL preprocessors run before the app's before_request hooks, among them the CSRF
    # check that parses the body: the photo limit must be set before anything reads it.
    if endpoint == "requests.photos_add":
        request.max_content_length = upload_limits().request_bytes


@bp.route("/<number:number>/lines/<id:line_id>/photos", methods=["POST"])
def photos_add(number: str, line_id: int):
    session = get_session()
    limits = upload_limits()
    rma = load_draft(number)
    line = load_line(rma, line_id)
    folder = current_app.config["UPLOAD_FOLDER"]
    if not PhotoForm().validate_on_submit():
        abort(400)
    try:
        incoming = uploads.accept_files(
            request.files.getlist("photos"), limits, photo_count(session, line)
        )
        stored = uploads.store(folder, incoming)
    except uploads.UploadRejected as error:
        return _photo_result(rma, line_id, str(error))
    try:
        operations.attach_photos(
            session, current_user, rma, line, stored, max_files=limits.max_files
        )
        session.commit()
    except RequestError as error:
        session.rollback()
        uploads.discard(folder, stored)
        return _photo_result(rma, line_id, str(error))
    except BaseException:
        session.rollback()
        uploads.discard(folder, stored)
        raise
    return _photo_result(rma, line_id)


@bp.errorhandler(RequestEntityTooLarge)
def _upload_too_large(_error):
    # Raised while the body is parsed (by the CSRF check or the view), before any file is
    # looked at: answer like any other refused upload, in the line's photo cell.
    limits = upload_limits()
    message = (
        f"That upload is too large: send at most {limits.max_files} photos of "
        f"{limits.max_megabytes} each."
    )
    args = request.view_args or {}
    if request.endpoint != "requests.photos_add" or "line_id" not in args:
        return render_template("error.html", code=413, message=message), 413
    rma = load_draft(args["number"])
    load_line(rma, args["line_id"])
    return _photo_result(rma, args["line_id"], message, status=413)


@bp.route("/<number:number>/photos/<id:attachment_id>/delete", methods=["POST"])
def photo_remove(number: str, attachment_id: int):
    session = get_session()
    rma = load_draft(number)
    attachment = session.get(RmaAttachment, attachment_id)
    if attachment is None or attachment.rma_id != rma.id or attachment.rma_line_id is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    line_id = attachment.rma_line_id
    stored = operations.remove_photo(session, current_user, rma, attachment)
    session.commit()
    uploads.discard(current_app.config["UPLOAD_FOLDER"], [stored])
    return _photo_result(rma, line_id)


def _photo_result(rma, line_id: int, error: str | None = None, status: int = 422):
    session = get_session()
    errors = {line_id: error} if error else {}
    status = status if error else 200
    if not htmx:
        if error:
            return render_draft_page(session, rma, status, photo_errors=errors)
        return back_to_draft(rma, f"#line-{line_id}")
    context = draft_context(session, rma, suggestions=False, photo_errors=errors)
    return render_parts(
        "requests/_photos.html", with_line(context, line_id), status=status, oob=LINE_PARTS
    )
