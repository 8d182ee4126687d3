"""Correcting one line's receipt or grades, with a reason: one event, never an overwrite.

A changed received quantity is a receipt correction (with the grades of the new accepted
quantity when the line is graded); the same quantity with other grades is a grading
correction. Refused input re-renders the RMA (422); a concurrent change, 409.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from portal.db import get_session
from portal.rmas.queries import load_rma
from portal.warehouse.corrections import (
    Correction,
    correct_grading,
    correct_receipt,
    correction_words,
)
from portal.warehouse.forms import CorrectionForm, correction_prefix
from portal.warehouse.operations import ReceivingError
from portal.warehouse.views import bp
from portal.warehouse.views_rma import render_rma
from workflow_designer.policy.money import format_money
from workflow_designer.runtime.firing import TransitionConflict


@bp.route("/rmas/<number:number>/lines/<id:line_id>/correct", methods=["POST"])
def correct(number: str, line_id: int):
    session = get_session()
    rma = load_rma(session, current_user, number)
    line = next((li for li in rma.lines if li.id == line_id), None)
    if line is None:
        abort(404)
    form = CorrectionForm(prefix=correction_prefix(line.id))
    unknown = unknown_grades(form, correction_prefix(line.id))
    if not form.validate_on_submit() or unknown:
        message = f"No such grade: {', '.join(unknown)}." if unknown else "Check the marked fields."
        return _refused(rma, line.id, form, 422, message)
    counts = form.counts()
    try:
        graded = any(counts.values())
        if form.quantity.data != line.quantity_received or not graded:
            grades = counts if graded else None
            correction = correct_receipt(
                session, rma, line, current_user, form.quantity.data, form.reason.data, grades
            )
        else:
            correction = correct_grading(session, rma, line, current_user, counts, form.reason.data)
    except ReceivingError as error:
        session.rollback()
        return _refused(rma, line.id, form, 422, str(error))
    except TransitionConflict as conflict:
        session.rollback()
        return render_rma(load_rma(session, current_user, number), 409, receive_error=str(conflict))
    session.commit()
    flash(f"{rma.number}: {correction_words(correction)}.{_adjusted(correction)}", "success")
    return redirect(url_for("warehouse.rma", number=rma.number, _anchor=f"line-{line.id}"), 303)


def _adjusted(correction: Correction) -> str:
    memo = correction.adjustment
    if memo is None:
        return ""
    return f" {memo.kind.label} {memo.number} issued: {format_money(memo.amount, memo.currency)}."


def unknown_grades(form, prefix: str) -> list[str]:
    """Fields posted for the line that the form does not have: a grade outside the
    vocabulary (a tampered or outdated form)."""
    start = f"{prefix}-"
    names = [key[len(start) :] for key in request.form if key.startswith(start)]
    return sorted(name[:40] for name in names if name not in form._fields)


def _refused(rma, line_id: int, form: CorrectionForm, status: int, message: str):
    return render_rma(
        rma,
        status,
        correction_forms={line_id: form},
        correction_errors={line_id: message},
    )
