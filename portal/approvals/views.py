"""Approval queue for sales reps and admins: decide one RMA or approve many at once."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from models import Rma, Role
from models.base import utcnow
from portal.approvals.forms import BulkApproveForm, DecisionForm
from portal.approvals.operations import (
    DECISIONS,
    RECORDED,
    DecisionError,
    approve_many,
    decide,
)
from portal.approvals.queries import approval_queue, load_waiting, waiting_rmas
from portal.auth.access import restrict_blueprint
from portal.db import discard_failed_work, get_session
from portal.signals.pages import shown_signals
from portal.web import page_number, render, wants_fragment
from workflow_designer.runtime.firing import TransitionConflict, TransitionRefused

bp = Blueprint("approvals", __name__)
restrict_blueprint(bp, Role.SALES_REP, Role.ADMIN)

# What a decision may be refused with; each carries its status (422, or 409 for a race).
DECISION_REFUSALS = (DecisionError, TransitionRefused, TransitionConflict)


def _render_queue(*, http_status: int = 200, **context: Any) -> Response:
    """The queue page (or, for htmx, the queue itself) with ``context``."""
    context.setdefault("bulk_form", BulkApproveForm())
    session = get_session()
    pending = approval_queue(
        session, current_user, utcnow(), page_number(), current_app.config["PAGE_SIZE"]
    )
    signals = shown_signals(session, current_user, (item.account_id for item in pending.items))
    return render(
        "approvals/queue.html",
        "approvals/_queue.html",
        http_status=http_status,
        pending=pending,
        signals=signals,
        decisions=DECISIONS,
        **context,
    )


def queue() -> Response:
    return _render_queue()


def decision(number: str) -> ResponseReturnValue:
    session = get_session()
    rma = load_waiting(session, current_user, number)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _decision_failed(rma, _problems(form), 422)
    fee = form.restocking_fee_percent.data
    comment = form.comment.data or ""
    try:
        decide(session, rma, current_user, form.decision.data, comment, fee)
    except DECISION_REFUSALS as error:
        discard_failed_work()
        return _decision_failed(rma, error.message, error.status)
    flash(str(RECORDED[form.decision.data]) % {"number": number}, "success")
    if wants_fragment():
        return _render_queue()
    return redirect(url_for("approvals.queue", page=page_number()), 303)


def _problems(form: DecisionForm) -> str:
    return " ".join(
        f"{form[name].label.text}: {error}" for name, errs in form.errors.items() for error in errs
    )


def _decision_failed(rma: Rma, message: str, status: int) -> Response:
    if wants_fragment():
        return _render_queue(http_status=status, failed={rma.number: message})
    flash(f"{rma.number}: {message}", "error")
    return render("approvals/decision_error.html", http_status=status, rma=rma, message=message)


def bulk_approve() -> ResponseReturnValue:
    form = BulkApproveForm()
    if not form.validate_on_submit():
        return _render_queue(http_status=422, bulk_form=form)
    session = get_session()
    numbers = list(dict.fromkeys(form.numbers.data))
    rmas = waiting_rmas(session, current_user, numbers)
    result = approve_many(session, rmas, current_user, comment=form.comment.data or "")
    for number in sorted(set(numbers) - {rma.number for rma in rmas}):
        result.refused[number] = _("it is not waiting on your approval.")
    if result.approved:
        flash(_("Approved: %(numbers)s.", numbers=", ".join(result.approved)), "success")
    for number, reason in result.refused.items():
        flash(_("%(number)s was not approved: %(reason)s", number=number, reason=reason), "error")
    return redirect(url_for("approvals.queue"), 303)


bp.add_url_rule("/", "queue", queue)
bp.add_url_rule("/<number:number>/decide", "decision", decision, methods=["POST"])
bp.add_url_rule("/bulk-approve", "bulk_approve", bulk_approve, methods=["POST"])
