"""Units held apart: the queue of what waits on a decision or a shipment, the decision
(the account's sales rep or an admin) and the shipment back (warehouse, admins).

Its routes are on a blueprint of their own (``views.held_bp``): reps reach them, and the
warehouse area is not theirs.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from models import HeldDecision
from portal.db import discard_failed_work, get_session
from portal.rmas.queries import load_rma
from portal.warehouse.forms import HeldDecisionForm, ShipHeldForm
from portal.warehouse.held import (
    HeldRefused,
    can_decide,
    can_ship,
    decide_held,
    find_held,
    mark_held_shipped,
    open_held,
)
from portal.web import render
from workflow_designer.policy.words import in_sentence
from workflow_designer.runtime.firing import TransitionConflict

KINDS = "any(lines, items)"


def queue() -> Response:
    return _queue_page()


def decide(number: str, kind: str, target_id: int) -> ResponseReturnValue:
    session = get_session()
    rma = load_rma(session, current_user, number)
    if not can_decide(current_user, rma):
        abort(403)
    prefix = decision_prefix(kind, target_id)
    form = HeldDecisionForm(prefix=prefix)
    if not form.validate_on_submit():
        errors = [e for field in form for e in field.errors]
        return _refused(" ".join(map(str, errors)), 422, decision_forms={prefix: form})
    try:
        target = find_held(session, rma, kind, target_id)
        decision = HeldDecision(form.decision.data)
        held = decide_held(session, rma, target, current_user, decision, form.comment.data)
    except HeldRefused as refused:
        return _refused(str(refused), 422, decision_forms={prefix: form})
    except TransitionConflict as conflict:
        return _refused(str(conflict), 409)
    flash(_decided(rma.number, held), "success")
    return redirect(url_for("held.queue"), 303)


def _decided(number: str, held) -> str:
    return _(
        "%(number)s: %(sku)s × %(quantity)s — %(status)s.",
        number=number,
        sku=held.sku,
        quantity=held.quantity,
        status=in_sentence(held.status_words),
    )


def shipped(number: str, kind: str, target_id: int) -> ResponseReturnValue:
    session = get_session()
    rma = load_rma(session, current_user, number)
    if not can_ship(current_user):
        abort(403)
    if not ShipHeldForm().validate_on_submit():
        return _refused(_("The form expired. Reload the page and try again."), 400)
    try:
        target = find_held(session, rma, kind, target_id)
        held = mark_held_shipped(session, rma, target, current_user)
    except (HeldRefused, TransitionConflict) as refused:
        return _refused(str(refused), refused.status)
    flash(
        _(
            "%(number)s: %(sku)s × %(quantity)s shipped back to the sender.",
            number=rma.number,
            sku=held.sku,
            quantity=held.quantity,
        ),
        "success",
    )
    return redirect(url_for("held.queue"), 303)


def decision_prefix(kind: str, target_id: int) -> str:
    return f"{kind}-{target_id}"


def _refused(message: str, status: int, **extra: Any) -> Response:
    discard_failed_work()  # the queue shows what is stored, not what the request began
    return _queue_page(status, error=message, **extra)


def _queue_page(status: int = 200, **extra: Any) -> Response:
    held = open_held(get_session(), current_user)
    forms = {
        decision_prefix(u.kind, u.id): HeldDecisionForm(
            formdata=None, prefix=decision_prefix(u.kind, u.id)
        )
        for u in held
    }
    forms.update(extra.pop("decision_forms", {}))
    return render(
        "warehouse/held.html",
        http_status=status,
        held=held,
        decision_forms=forms,
        ship_form=ShipHeldForm(formdata=None),
        can_decide=can_decide,
        can_ship=can_ship(current_user),
        **extra,
    )
