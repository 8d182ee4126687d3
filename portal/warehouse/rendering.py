"""The warehouse view of one RMA as a page: its forms, its context and its refusals.

Shared by the view modules (``views_rma``, ``views_receiving``, ``views_grading``,
``views_corrections``), which import it and never each other.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_babel import gettext as _
from flask_login import current_user

from models import Rma, RmaLine
from portal.db import discard_failed_work, get_session
from portal.warehouse.forms import (
    ActionForm,
    CorrectionForm,
    GradeForm,
    ReceiveForm,
    ShipHeldForm,
    correction_prefix,
    line_prefix,
)
from portal.warehouse.page import (
    WarehouseRma,
    build_view,
    live_words,
    preview_receipt,
    remaining_words,
)
from portal.web import render
from workflow_designer.engine.firing import UNAVAILABLE
from workflow_designer.policy.words import in_sentence
from workflow_designer.runtime.firing import TransitionRefused, compiled_for

MAX_EXTRA_ROWS = 20


def new_receive_form(view: WarehouseRma, extra_rows: int = 0) -> ReceiveForm:
    """Prefilled with the authorized quantities: the common parcel needs no typing."""
    form = ReceiveForm(formdata=None)
    for line in view.lines:
        form.lines.append_entry({"line_id": str(line.id), "quantity": line.quantity_authorized})
    for _row in range(min(extra_rows, MAX_EXTRA_ROWS)):
        form.unexpected.append_entry()
    return form


def grade_form(view: WarehouseRma, line: RmaLine) -> GradeForm:
    """The line's grading form, showing its saved counts and note."""
    data = {grade.value: count for grade, count in view.counts(line).items()}
    return GradeForm(
        formdata=None, prefix=line_prefix(line.id), data={**data, "note": view.note(line)}
    )


def correction_form(view: WarehouseRma, line: RmaLine) -> CorrectionForm:
    """The line's correction form, showing what is recorded now."""
    data = {grade.value: count for grade, count in view.counts(line).items()}
    return CorrectionForm(
        formdata=None,
        prefix=correction_prefix(line.id),
        data={**data, "quantity": line.quantity_received},
    )


def view_context(rma: Rma, **extra: Any) -> dict[str, Any]:
    """What ``warehouse/rma.html`` shows; ``extra`` carries posted forms, errors and notices
    (what it does not name passes to the template as it is)."""
    view = build_view(get_session(), current_user, rma)
    return {
        "view": view,
        **_receiving(view, extra),
        **_line_forms(view, extra),
        "correction_errors": extra.pop("correction_errors", {}),
        "ship_form": ShipHeldForm(formdata=None),
        "action_form": extra.pop("action_form", None) or ActionForm(formdata=None),
        "grade_errors": extra.pop("grade_errors", {}),
        "remaining_words": remaining_words,
        "live_words": live_words(),
        "grade_notices": extra.pop("grade_notices", {}),
        **extra,
    }


def _receiving(view: WarehouseRma, extra: dict[str, Any]) -> dict[str, Any]:
    """The receiving form (the posted one, else a new one while the RMA can be received)
    and the preview of what it will flag."""
    form = extra.pop("receive_form", None)
    if form is None and view.can_receive:
        form = new_receive_form(view, extra.pop("extra_rows", 0))
    if form is None:
        return {"receive_form": None, "entries": {}, "preview": None}
    entries = form.line_entries()
    received = {line_id: entry.quantity.data for line_id, entry in entries.items()}
    rows = sum(1 for entry in form.unexpected if not entry.form.is_blank)
    preview = preview_receipt(view.lines, received, rows)
    return {"receive_form": form, "entries": entries, "preview": preview}


def _line_forms(view: WarehouseRma, extra: dict[str, Any]) -> dict[str, Any]:
    """Each line's grading and correction forms, the posted ones in place of new ones."""
    grading = {line.id: grade_form(view, line) for line in view.lines if line.quantity_accepted}
    grading.update(extra.pop("grade_forms", {}))
    corrections = {}
    if view.correctable:
        corrections = {line.id: correction_form(view, line) for line in view.lines}
        corrections.update(extra.pop("correction_forms", {}))
    return {"grade_forms": grading, "correction_forms": corrections}


def refusal_words(rma: Rma, refused: TransitionRefused) -> str:
    """The engine's reason, except for a step that no longer fits the RMA's state: the page
    was opened before someone else moved the RMA on."""
    if refused.refusal != UNAVAILABLE:
        return refused.reason
    state = in_sentence(compiled_for(get_session(), rma).state(rma.state).label)
    return _(
        "%(number)s is %(state)s now, so that cannot be done. This is how it stands.",
        number=rma.number,
        state=state,
    )


def render_rma(rma: Rma, status: int = 200, **extra: Any) -> Response:
    return render("warehouse/rma.html", http_status=status, **view_context(rma, **extra))


def render_refused(rma: Rma, status: int, **extra: Any) -> Response:
    """The RMA's page with why the request was refused. What the request began is
    discarded first (the request glue would roll it back after the answer anyway), so the
    page shows the RMA as stored, and can still read after a conflict."""
    discard_failed_work()
    return render_rma(rma, status, **extra)
