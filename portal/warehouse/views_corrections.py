"""Correcting one line's receipt or grades, with a reason: one event, never an overwrite.

A changed received quantity is a receipt correction (with the grades of the new accepted
quantity when the line is graded); the same quantity with other grades is a grading
correction (``corrections.correct_line``). Refused input re-renders the RMA (422); a
concurrent change, 409.
"""

from __future__ import annotations

from flask import Response, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from models import Rma
from portal.credits.queries import LEDGER_KIND_LABELS
from portal.db import get_session
from portal.i18n.formats import money
from portal.rmas.queries import load_rma
from portal.warehouse.corrections import Correction, correct_line, correction_words
from portal.warehouse.forms import CorrectionForm, correction_prefix, counts_refused
from portal.warehouse.operations import ReceivingError
from portal.warehouse.queries import rma_line
from portal.warehouse.rendering import render_refused
from workflow_designer.runtime.firing import TransitionConflict


def correct(number: str, line_id: int) -> ResponseReturnValue:
    session = get_session()
    rma = load_rma(session, current_user, number)
    line = rma_line(rma, line_id)
    form = CorrectionForm(prefix=correction_prefix(line.id))
    if message := counts_refused(form, correction_prefix(line.id)):
        return _refused(rma, line.id, form, message)
    try:
        correction = correct_line(
            session, rma, line, current_user, form.quantity.data, form.counts(), form.reason.data
        )
    except ReceivingError as error:
        return _refused(rma, line.id, form, str(error))
    except TransitionConflict as conflict:
        return render_refused(rma, 409, receive_error=str(conflict))
    flash(f"{rma.number}: {correction_words(correction)}.{_adjusted(correction)}", "success")
    return redirect(url_for("warehouse.rma", number=rma.number, _anchor=f"line-{line.id}"), 303)


def _adjusted(correction: Correction) -> str:
    memo = correction.adjustment
    if memo is None:
        return ""
    return " " + _(
        "%(kind)s %(number)s issued: %(amount)s.",
        kind=LEDGER_KIND_LABELS[memo.kind.value],
        number=memo.number,
        amount=money(memo.amount, memo.currency),
    )


def _refused(rma: Rma, line_id: int, form: CorrectionForm, message: str) -> Response:
    return render_refused(
        rma, 422, correction_forms={line_id: form}, correction_errors={line_id: message}
    )
