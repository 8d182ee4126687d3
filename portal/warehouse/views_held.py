"""Units held apart: the queue of what waits on a decision or a shipment, the decision
(the account's sales rep or an admin) and the shipment back (warehouse, admins).

A blueprint of its own: reps reach it, and the warehouse area is not theirs.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from models import HeldDecision, Role
from portal.auth.access import restrict_blueprint
from portal.db import get_session
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
from workflow_designer.runtime.firing import TransitionConflict

bp = Blueprint("held", __name__)
restrict_blueprint(bp, Role.ADMIN, Role.SALES_REP, Role.WAREHOUSE)
KINDS = "any(lines, items)"


@bp.route("/")
def queue(status: int = 200, **extra):
    held = open_held(get_session(), current_user)
    forms = {
        decision_prefix(u.kind, u.id): HeldDecisionForm(
            formdata=None, prefix=decision_prefix(u.kind, u.id)
        )
        for u in held
    }
    forms.update(extra.pop("decision_forms", {}))
    return render_template(
        "warehouse/held.html",
        held=held,
        decision_forms=forms,
        ship_form=ShipHeldForm(formdata=None),
        can_decide=can_decide,
        can_ship=can_ship(current_user),
        **extra,
    ), status


@bp.route(f"/<number:number>/<{KINDS}:kind>/<id:target_id>/decide", methods=["POST"])
def decide(number: str, kind: str, target_id: int):
    session = get_session()
    rma = load_rma(session, current_user, number)
    if not can_decide(current_user, rma):
        abort(403)
    prefix = decision_prefix(kind, target_id)
    form = HeldDecisionForm(prefix=prefix)
    if not form.validate_on_submit():
        errors = [e for field in form for e in field.errors]
        return _refused(" ".join(errors), 422, decision_forms={prefix: form})
    try:
        target = find_held(session, rma, kind, target_id)
        held = decide_held(
            session, rma, target, current_user, HeldDecision(form.decision.data), form.comment.data
        )
    except HeldRefused as refused:
        session.rollback()
        return _refused(str(refused), 422, decision_forms={prefix: form})
    except TransitionConflict as conflict:
        session.rollback()
        return _refused(str(conflict), 409)
    session.commit()
    flash(f"{rma.number}: {held.sku} × {held.quantity} — {held.status_words.lower()}.", "success")
    return redirect(url_for("held.queue"), 303)


@bp.route(f"/<number:number>/<{KINDS}:kind>/<id:target_id>/shipped", methods=["POST"])
def shipped(number: str, kind: str, target_id: int):
    session = get_session()
    rma = load_rma(session, current_user, number)
    if not can_ship(current_user):
        abort(403)
    if not ShipHeldForm().validate_on_submit():
        return _refused("The form expired. Reload the page and try again.", 400)
    try:
        target = find_held(session, rma, kind, target_id)
        held = mark_held_shipped(session, rma, target, current_user)
    except HeldRefused as refused:
        session.rollback()
        return _refused(str(refused), 422)
    except TransitionConflict as conflict:
        session.rollback()
        return _refused(str(conflict), 409)
    session.commit()
    flash(f"{rma.number}: {held.sku} × {held.quantity} shipped back to the sender.", "success")
    return redirect(url_for("held.queue"), 303)


def decision_prefix(kind: str, target_id: int) -> str:
    return f"{kind}-{target_id}"


def _refused(message: str, status: int, **extra):
    return queue(status, error=message, **extra)
