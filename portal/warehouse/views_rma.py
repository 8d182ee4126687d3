"""One RMA at the warehouse: its view, and the workflow actions taken from it.

Receiving (views_receiving) and grading (views_grading) post to their own routes; every
change is one operation, then a redirect (303). Refused input re-renders the view with
the reason (422); a change made at the same time by someone else, 409. The page itself
is built in ``rendering``.
"""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from models import Rma
from portal.db import discard_failed_work, get_session
from portal.inputs.numbers import parse_int
from portal.rmas.queries import load_rma
from portal.warehouse.forms import ActionForm
from portal.warehouse.page import ACTIONS, stocked_units
from portal.warehouse.rendering import refusal_words, render_rma
from workflow_designer.runtime.firing import TransitionConflict, TransitionRefused, fire

DONE = {
    "start_inspection": _l(
        "%(number)s: inspection started. Grade every received unit, then finish it."
    ),
    "return_to_retailer": _l("%(number)s: marked to be returned to the retailer."),
    "ship_back": _l("%(number)s: shipped back to the retailer."),
}


def rma(number: str) -> Response:
    rma = load_rma(get_session(), current_user, number)
    extra = parse_int(request.args.get("extra")) or 0
    return render_rma(rma, extra_rows=extra)


def action(number: str):
    """Start or finish the inspection, return the goods, ship them back."""
    session = get_session()
    rma = load_rma(session, current_user, number)
    form = ActionForm()
    if not form.validate_on_submit() or form.trigger.data not in ACTIONS:
        errors = [e for field in form for e in field.errors] or [
            _("This action is not offered here.")
        ]
        return render_rma(rma, 422, action_form=form, action_error=" ".join(map(str, errors)))
    trigger, seen, comment = form.trigger.data, form.version.data, form.comment.data
    try:
        outcome = fire(session, rma, trigger, current_user, seen_version=seen, comment=comment)
    except TransitionRefused as refused:
        discard_failed_work()
        status = 403 if refused.forbidden else 422
        return render_rma(rma, status, action_form=form, action_error=refusal_words(rma, refused))
    except TransitionConflict as conflict:
        discard_failed_work()
        rma = load_rma(session, current_user, number)  # as it is now
        return render_rma(rma, 409, action_error=str(conflict))
    flash(_done(rma, outcome), "success")
    return redirect(url_for("warehouse.rma", number=rma.number), 303)


def _done(rma: Rma, outcome) -> str:
    if outcome.trigger in DONE:
        return str(DONE[outcome.trigger]) % {"number": rma.number}
    if outcome.trigger != "finish_inspection":
        label = outcome.transition.label if outcome.transition else outcome.trigger
        return _("%(number)s: %(step)s — done.", number=rma.number, step=label)
    units = stocked_units(rma.lines)
    if not units:
        return _("%(number)s: inspection finished. Nothing went into stock.", number=rma.number)
    moved = ", ".join(f"{n} × {grade.phrase}" for grade, n in units.items())
    return _(
        "%(number)s: inspection finished. Into stock: %(moved)s.", number=rma.number, moved=moved
    )
