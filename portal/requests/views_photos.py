"""Photos of draft lines: upload (type from the bytes, limited in size and number) and
removal. Files are written before their rows and removed again if the request does not
commit (``portal.requests.files``). Routes: the URL table in ``portal.requests.views``.
"""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from models import Rma
from portal.db import get_session
from portal.requests import operations, uploads
from portal.requests.errors import RequestError
from portal.requests.files import discard_once_committed, discard_unless_committed
from portal.requests.forms import ConfirmForm, PhotoForm
from portal.requests.queries import load_draft, load_line, load_photo, photo_count
from portal.requests.rendering import (
    LINE_PARTS,
    back_to_draft,
    draft_context,
    render_draft_page,
    render_parts,
    upload_limits,
    with_line,
)
from portal.web import wants_fragment


def limit_upload_size(endpoint: str | None, _values: dict | None) -> None:
    # URL preprocessors run before the app's before_request hooks, among them the CSRF
    # check that parses the body: the photo limit must be set before anything reads it.
    if endpoint == "requests.photos_add":
        request.max_content_length = upload_limits().request_bytes


def photos_add(number: str, line_id: int) -> ResponseReturnValue:
    session = get_session()
    limits = upload_limits()
    rma = load_draft(session, current_user, number)
    line = load_line(session, rma, line_id)
    if not PhotoForm().validate_on_submit():
        abort(400)
    try:
        incoming = uploads.accept_files(
            request.files.getlist("photos"), limits, photo_count(session, line)
        )
        stored = uploads.store(current_app.config["UPLOAD_FOLDER"], incoming)
        discard_unless_committed(stored)
        operations.attach_photos(
            session, current_user, rma, line, stored, max_files=limits.max_files
        )
    except (uploads.UploadRejected, RequestError) as error:
        return _photo_result(rma, line_id, error.message)
    return _photo_result(rma, line_id)


def upload_too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
    # Raised while the body is parsed (by the CSRF check or the view), before any file is
    # looked at: answer like any other refused upload, in the line's photo cell.
    limits = upload_limits()
    message = _(
        "That upload is too large: send at most %(count)s photos of %(size)s each.",
        count=limits.max_files,
        size=limits.max_megabytes,
    )
    args = request.view_args or {}
    if request.endpoint != "requests.photos_add" or "line_id" not in args:
        return render_template("error.html", code=413, message=message), 413
    session = get_session()
    rma = load_draft(session, current_user, args["number"])
    load_line(session, rma, args["line_id"])
    return _photo_result(rma, args["line_id"], message, status=413)


def photo_remove(number: str, attachment_id: int) -> ResponseReturnValue:
    session = get_session()
    rma = load_draft(session, current_user, number)
    attachment = load_photo(session, rma, attachment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    line_id = attachment.rma_line_id
    if line_id is None:  # a draft's photos belong to its lines; anything else is not here
        abort(404)
    discard_once_committed([operations.remove_photo(session, current_user, rma, attachment)])
    return _photo_result(rma, line_id)


def _photo_result(rma: Rma, line_id: int, error: str | None = None, status: int = 422) -> Response:
    session = get_session()
    errors = {line_id: error} if error else {}
    status = status if error else 200
    if not wants_fragment():
        if error:
            return render_draft_page(session, rma, status, photo_errors=errors)
        return back_to_draft(rma, f"#line-{line_id}")
    context = draft_context(session, rma, suggestions=False, photo_errors=errors)
    return render_parts(
        "requests/_photos.html", with_line(context, line_id), status=status, oob=LINE_PARTS
    )
