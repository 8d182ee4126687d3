"""One RMA at the warehouse: its view, and the workflow actions taken from it.

Receiving (views_receiving) and grading (views_grading) post to their own routes; every
change is one operation and one commit, then a redirect (303). Refused input re-renders
the view with the reason (422); a change made at the same time by someone else, 409.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import Rma
from portal.db import get_session
from portal.extensions import htmx
from portal.inputs.numbers import parse_id, parse_int
from portal.rmas.queries import load_rma
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
    ACTIONS,
    WarehouseRma,
    build_view,
    preview_receipt,
    remaining_words,
    stocked_units,
)
from portal.warehouse.views import bp
from workflow_designer.engine.firing import FORBIDDEN, UNAVAILABLE
from workflow_designer.runtime.firing import (
    NOT_THE_APPROVER,
    TransitionConflict,
    TransitionRefused,
    compiled_for,
    fire,
)

FORBIDDEN_REFUSALS = (FORBIDDEN, NOT_THE_APPROVER)
MAX_EXTRA_ROWS = 20
DONE = {
    "start_inspection": "inspection started. Grade every received unit, then finish it.",
    "return_to_retailer": "marked to be returned to the retailer.",
    "ship_back": "shipped back to the retailer.",
}


def new_receive_form(view: WarehouseRma, extra_rows: int = 0) -> ReceiveForm:
    """Prefilled with the authorized quantities: the common parcel needs no typing."""
    form = ReceiveForm(formdata=None)
    for line in view.lines:
        form.lines.append_entry({"line_id": str(line.id), "quantity": line.quantity_authorized})
    for _ in range(min(extra_rows, MAX_EXTRA_ROWS)):
        form.unexpected.append_entry()
    return form


def grade_form(view: WarehouseRma, line) -> GradeForm:
    """The line's grading form, showing its saved counts and note."""
    data = {grade.value: count for grade, count in view.counts(line).items()}
    return GradeForm(
        formdata=None, prefix=line_prefix(line.id), data={**data, "note": view.note(line)}
    )


def correction_form(view: WarehouseRma, line) -> CorrectionForm:
    """The line's correction form, showing what is recorded now."""
    data = {grade.value: count for grade, count in view.counts(line).items()}
    return CorrectionForm(
        formdata=None,
        prefix=correction_prefix(line.id),
        data={**data, "quantity": line.quantity_received},
    )


def line_entries(form: ReceiveForm | None) -> dict[int, object]:
    """The receive form's line entries by line id (entries with a bad id are left out)."""
    if form is None:
        return {}
    entries = {}
    for entry in form.lines:
        line_id = parse_id(entry.line_id.data)
        if line_id is not None:
            entries[line_id] = entry
    return entries


def view_context(rma: Rma, **extra) -> dict:
    view = build_view(get_session(), current_user, rma)
    receive_form = extra.pop("receive_form", None)
    if receive_form is None and view.can_receive:
        receive_form = new_receive_form(view, extra.pop("extra_rows", 0))
    entries = line_entries(receive_form)
    preview = None
    if receive_form is not None:
        received = {line_id: entry.quantity.data for line_id, entry in entries.items()}
        rows = sum(1 for entry in receive_form.unexpected if not entry.form.is_blank)
        preview = preview_receipt(view.lines, received, rows)
    forms = {line.id: grade_form(view, line) for line in view.lines if line.quantity_accepted}
    forms.update(extra.pop("grade_forms", {}))
    corrections = {}
    if view.correctable:
        corrections = {line.id: correction_form(view, line) for line in view.lines}
        corrections.update(extra.pop("correction_forms", {}))
    return {
        "view": view,
        "receive_form": receive_form,
        "entries": entries,
        "preview": preview,
        "grade_forms": forms,
        "correction_forms": corrections,
        "correction_errors": extra.pop("correction_errors", {}),
        "ship_form": ShipHeldForm(formdata=None),
        "action_form": extra.pop("action_form", None) or ActionForm(formdata=None),
        "grade_errors": extra.pop("grade_errors", {}),
        "remaining_words": remaining_words,
        "grade_notices": extra.pop("grade_notices", {}),
        **extra,
    }


def refusal_words(rma: Rma, refused: TransitionRefused) -> str:
    """The engine's reason, except for a step that no longer fits the RMA's state: the page
    was opened before someone else moved the RMA on."""
    if refused.refusal != UNAVAILABLE:
        return refused.reason
    state = compiled_for(get_session(), rma).state(rma.state).label.lower()
    return f"{rma.number} is {state} now, so that cannot be done. This is how it stands."


def render_rma(rma: Rma, status: int = 200, **extra):
    return render_template("warehouse/rma.html", **view_context(rma, **extra)), status


@bp.route("/rmas/<number:number>")
def rma(number: str):
    rma = load_rma(get_session(), current_user, number)
    extra = parse_int(request.args.get("extra")) or 0
    return render_rma(rma, extra_rows=extra)


@bp.route("/rmas/<number:number>/actions", methods=["POST"])
def action(number: str):
    """Start or finish the inspection, return the goods, ship them back."""
    session = get_session()
    rma = load_rma(session, current_user, number)
    form = ActionForm()
    if not form.validate_on_submit() or form.trigger.data not in ACTIONS:
        errors = [e for field in form for e in field.errors] or ["This action is not offered here."]
        return render_rma(rma, 422, action_form=form, action_error=" ".join(errors))
    trigger, seen, comment = form.trigger.data, form.version.data, form.comment.data
    try:
        outcome = fire(session, rma, trigger, current_user, seen_version=seen, comment=comment)
    except TransitionRefused as refused:
        session.rollback()
        status = 403 if refused.refusal in FORBIDDEN_REFUSALS else 422
        return render_rma(rma, status, action_form=form, action_error=refusal_words(rma, refused))
    except TransitionConflict as conflict:
        session.rollback()
        rma = load_rma(session, current_user, number)
        return render_rma(rma, 409, action_error=str(conflict))
    session.commit()
    flash(_done(rma, outcome), "success")
    return redirect(url_for("warehouse.rma", number=rma.number), 303)


def _done(rma: Rma, outcome) -> str:
    if outcome.trigger in DONE:
        return f"{rma.number}: {DONE[outcome.trigger]}"
    if outcome.trigger != "finish_inspection":
        label = outcome.transition.label if outcome.transition else outcome.trigger
        return f"{rma.number}: {label} — done."
    units = stocked_units(rma.lines)
    if not units:
        return f"{rma.number}: inspection finished. Nothing went into stock."
    moved = ", ".join(f"{n} × {grade.label.lower()}" for grade, n in units.items())
    return f"{rma.number}: inspection finished. Into stock: {moved}."


def is_htmx() -> bool:
    return bool(htmx) and not htmx.boosted
