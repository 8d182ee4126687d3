"""Grading one line: units per grade, a note and a photo.

With htmx the line's panel is swapped in place, together with the inspection buttons
(finishing becomes possible once every line is graded); without it, a redirect (303).
The photo is written before the rows that point at it and removed again if the request
fails, so no row points at a missing file.
"""

from __future__ import annotations

from flask import (
    Response,
    after_this_request,
    current_app,
    flash,
    redirect,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from models import Rma, RmaLine
from portal.db import discard_failed_work, get_session
from portal.requests.uploads import (
    StoredFile,
    UploadLimits,
    UploadRejected,
    accept_files,
    discard,
    store,
)
from portal.rmas.queries import load_rma
from portal.warehouse.forms import GradeForm, counts_refused, line_prefix
from portal.warehouse.inspection import record_grading
from portal.warehouse.operations import ReceivingError
from portal.warehouse.queries import rma_line
from portal.warehouse.rendering import render_rma, view_context
from portal.web import render, wants_fragment
from workflow_designer.runtime.firing import TransitionConflict

FORM_BYTES = 64 * 1024


def limit_upload_size(endpoint: str | None, _values: dict | None) -> None:
    # Runs before the CSRF check parses the body: one photo and the counts, no more.
    if endpoint == "warehouse.grade":
        limits = UploadLimits.from_config(current_app.config)
        request.max_content_length = limits.max_file_bytes + FORM_BYTES


def grade(number: str, line_id: int) -> ResponseReturnValue:
    session = get_session()
    rma = load_rma(session, current_user, number)
    line = rma_line(rma, line_id)
    form = GradeForm(prefix=line_prefix(line.id))
    if message := counts_refused(form, line_prefix(line.id)):
        return _failed(rma, line, form, 422, message)
    try:
        photo = _store_photo(form)
        counts, note = form.counts(), form.note.data or ""
        record_grading(session, rma, line, current_user, counts, note, photo)
    except UploadRejected as rejected:
        form.photo.errors.append(str(rejected))
        return _failed(rma, line, form, 422, _("The photo was not accepted."))
    except (ReceivingError, TransitionConflict) as error:
        # GradingClosed, like a conflict, is a 409: the RMA moved on under the page.
        return _failed(rma, line, form, error.status, str(error))
    if wants_fragment():
        return _line_fragment(rma, line, 200, grade_notices={line.id: _("Grading saved.")})
    flash(_("%(sku)s: grading saved.", sku=line_sku(line)), "success")
    return redirect(url_for("warehouse.rma", number=rma.number, _anchor=f"line-{line.id}"), 303)


def _store_photo(form: GradeForm) -> StoredFile | None:
    """Write the photo, if one came, and remove it again should the request fail (a
    refusal, an error, or the commit itself), so no file is left that no row points at."""
    if not (form.photo.data and form.photo.data.filename):
        return None
    folder = current_app.config["UPLOAD_FOLDER"]
    limits = UploadLimits.from_config(current_app.config)
    stored = store(folder, accept_files([form.photo.data], limits, already=0))

    @after_this_request
    def _discard_unless_saved(response: Response) -> Response:
        if response.status_code >= 400:
            discard(folder, stored)
        return response

    return stored[0] if stored else None


def line_sku(line: RmaLine) -> str:
    return line.order_line.product.sku if line.order_line else _("Line %(id)s", id=line.id)


def _failed(
    rma: Rma, line: RmaLine, form: GradeForm, status: int, message: str
) -> ResponseReturnValue:
    discard_failed_work()  # what shows next is the RMA as stored
    extra = {"grade_forms": {line.id: form}, "grade_errors": {line.id: message}}
    if wants_fragment() and status == 409:
        # The RMA moved on under the page: reload it whole, with the reason on top.
        flash(message, "error")
        return "", 409, {"HX-Refresh": "true"}
    if wants_fragment():
        return _line_fragment(rma, line, status, **extra)
    return render_rma(rma, status, **extra)


def _line_fragment(rma: Rma, line: RmaLine, status: int, **extra) -> Response:
    """The line's panel and, out of band, the inspection buttons."""
    context = view_context(rma, **extra)
    line = next(li for li in context["view"].lines if li.id == line.id)
    return render("warehouse/_graded.html", http_status=status, line=line, **context)
