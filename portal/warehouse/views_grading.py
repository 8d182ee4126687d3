"""Grading one line: units per grade, a note and a photo.

With htmx the line's panel is swapped in place, together with the inspection buttons
(finishing becomes possible once every line is graded); without it, a redirect (303).
The photo is written before the rows that point at it and removed again if the request
fails, so no row points at a missing file.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import Rma, RmaLine
from portal.db import get_session
from portal.requests.uploads import UploadLimits, UploadRejected, accept_files, discard, store
from portal.rmas.queries import load_rma
from portal.warehouse.forms import GradeForm, line_prefix
from portal.warehouse.inspection import GradingClosed, record_grading
from portal.warehouse.operations import ReceivingError
from portal.warehouse.views import bp
from portal.warehouse.views_corrections import unknown_grades
from portal.warehouse.views_rma import is_htmx, render_rma, view_context
from workflow_designer.runtime.firing import TransitionConflict

FORM_BYTES = 64 * 1024


@bp.url_value_preprocessor
def _limit_upload_size(endpoint, _values) -> None:
    # Runs before the CSRF check parses the body: one photo and the counts, no more.
    if endpoint == "warehouse.grade":
        limits = UploadLimits.from_config(current_app.config)
        request.max_content_length = limits.max_file_bytes + FORM_BYTES


@bp.route("/rmas/<number:number>/lines/<id:line_id>/grade", methods=["POST"])
def grade(number: str, line_id: int):
    session = get_session()
    rma = load_rma(session, current_user, number)
    line = next((li for li in rma.lines if li.id == line_id), None)
    if line is None:
        abort(404)
    form = GradeForm(prefix=line_prefix(line.id))
    unknown = unknown_grades(form, line_prefix(line.id))
    if not form.validate_on_submit() or unknown:
        message = f"No such grade: {', '.join(unknown)}." if unknown else "Check the marked fields."
        return _failed(rma, line, form, 422, message)
    folder = current_app.config["UPLOAD_FOLDER"]
    stored = []
    try:
        if form.photo.data and form.photo.data.filename:
            limits = UploadLimits.from_config(current_app.config)
            stored = store(folder, accept_files([form.photo.data], limits, already=0))
        record_grading(
            session,
            rma,
            line,
            current_user,
            form.counts(),
            form.note.data or "",
            stored[0] if stored else None,
        )
        session.commit()
    except UploadRejected as rejected:
        form.photo.errors.append(str(rejected))
        return _failed(rma, line, form, 422, "The photo was not accepted.")
    except (ReceivingError, TransitionConflict) as error:
        session.rollback()
        discard(folder, stored)
        closed = isinstance(error, GradingClosed | TransitionConflict)
        return _failed(rma, line, form, 409 if closed else 422, str(error))
    except BaseException:
        session.rollback()
        discard(folder, stored)
        raise
    if is_htmx():
        return _line_fragment(rma, line, 200, grade_notices={line.id: "Grading saved."})
    flash(f"{line_sku(line)}: grading saved.", "success")
    return redirect(url_for("warehouse.rma", number=rma.number, _anchor=f"line-{line.id}"), 303)


def line_sku(line: RmaLine) -> str:
    return line.order_line.product.sku if line.order_line else f"Line {line.id}"


def _failed(rma: Rma, line: RmaLine, form: GradeForm, status: int, message: str):
    extra = {"grade_forms": {line.id: form}, "grade_errors": {line.id: message}}
    if is_htmx() and status == 409:
        # The RMA moved on under the page: reload it whole, with the reason on top.
        flash(message, "error")
        return "", 409, {"HX-Refresh": "true"}
    if is_htmx():
        return _line_fragment(rma, line, status, **extra)
    return render_rma(rma, status, **extra)


def _line_fragment(rma: Rma, line: RmaLine, status: int, **extra):
    """The line's panel and, out of band, the inspection buttons."""
    context = view_context(rma, **extra)
    line = next(li for li in context["view"].lines if li.id == line.id)
    return render_template("warehouse/_graded.html", line=line, **context), status
