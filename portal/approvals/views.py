"""Approval queue for sales reps and admins: decide one RMA or approve many at once."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from models import RetailerAccount, Rma, Role
from models.base import utcnow
from portal.approvals.forms import BulkApproveForm, DecisionForm
from portal.approvals.operations import DECISIONS, DecisionError, approve_many, decide
from portal.approvals.queries import approval_queue, waiting_on, waiting_rmas
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.extensions import htmx
from portal.rmas.queries import load_rma
from portal.web import page_number, render
from workflow_designer.runtime.firing import TransitionConflict, TransitionRefused

bp = Blueprint("approvals", __name__)
restrict_blueprint(bp, Role.SALES_REP, Role.ADMIN)


@bp.route("/")
def queue():
    return _render_queue()


def _render_queue(status: int = 200, **context):
    pending = approval_queue(
        get_session(), current_user, utcnow(), page_number(), current_app.config["PAGE_SIZE"]
    )
    response = render(
        "approvals/queue.html",
        fragment="approvals/_queue.html",
        pending=pending,
        decisions=DECISIONS,
        bulk_form=context.pop("bulk_form", None) or BulkApproveForm(),
        **context,
    )
    response.status_code = status
    return response


def _load_waiting(number: str) -> Rma:
    """The RMA if it waits on the current user. Out of scope is 404; in scope but no longer
    waiting (someone decided first) is 409, so concurrent deciders get a clear answer."""
    session = get_session()
    rma = load_rma(session, current_user, number)
    waiting = session.scalar(
        select(Rma.id)
        .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
        .where(Rma.id == rma.id, waiting_on(current_user))
    )
    if waiting is None:
        abort(409, description=f"{number} is no longer waiting for your decision.")
    return rma


@bp.route("/<number:number>/decide", methods=["POST"])
def decision(number: str):
    rma = _load_waiting(number)
    form = DecisionForm()
    if not form.validate_on_submit():
        problems = [
            f"{form[name].label.text}: {error}"
            for name, errs in form.errors.items()
            for error in errs
        ]
        return _decision_failed(rma, form, " ".join(problems), 422)
    session = get_session()
    try:
        decide(
            session,
            rma,
            current_user,
            form.decision.data,
            comment=form.comment.data or "",
            restocking_fee_percent=form.restocking_fee_percent.data,
        )
    except (DecisionError, TransitionRefused) as error:
        session.rollback()
        return _decision_failed(rma, form, str(error), 422)
    except TransitionConflict as error:
        session.rollback()
        return _decision_failed(rma, form, str(error), 409)
    session.commit()
    flash(f"{number}: {DECISIONS[form.decision.data].lower()} recorded.", "success")
    if htmx:
        return _render_queue()
    return redirect(url_for("approvals.queue", page=page_number()), 303)


def _decision_failed(rma: Rma, form: DecisionForm, message: str, status: int):
    if htmx:
        return _render_queue(status, failed={rma.number: message})
    flash(f"{rma.number}: {message}", "error")
    return render_template("approvals/decision_error.html", rma=rma, message=message), status


@bp.route("/bulk-approve", methods=["POST"])
def bulk_approve():
    form = BulkApproveForm()
    if not form.validate_on_submit():
        return _render_queue(422, bulk_form=form)
    session = get_session()
    numbers = list(dict.fromkeys(form.numbers.data))
    rmas = waiting_rmas(session, current_user, numbers)
    result = approve_many(session, rmas, current_user, comment=form.comment.data or "")
    session.commit()
    for number in sorted(set(numbers) - {rma.number for rma in rmas}):
        result.refused[number] = "it is not waiting on your approval."
    if result.approved:
        flash(f"Approved: {', '.join(result.approved)}.", "success")
    for number, reason in result.refused.items():
        flash(f"{number} was not approved: {reason}", "error")
    return redirect(url_for("approvals.queue"), 303)
