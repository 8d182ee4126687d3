"""Credits: an account's balance and ledger (filtered, as CSV), its documents as PDF, and
the admins' refunds and reversals.

Retailers see their own account, sales reps their assigned accounts, admins every account;
anything else is 404. Warehouse staff have no business here (403). Recording a refund or
reversing a memo is an admin's act (403 for the others).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from models import RefundMethod, Role
from portal.auth.access import restrict_blueprint
from portal.credits import documents, queries
from portal.credits.forms import LedgerFilterForm, ReasonForm, RefundForm
from portal.credits.ledger_csv import ledger_csv
from portal.credits.pdf import memo_pdf
from portal.csv_export import csv_response, csv_text
from portal.db import get_session, reads_only
from portal.inputs.files import content_disposition
from portal.inputs.numbers import parse_page
from portal.web import carried_query, render

bp = Blueprint("credits", __name__)
restrict_blueprint(bp, Role.RETAILER, Role.SALES_REP, Role.ADMIN)


def _page_number() -> int:
    # Anything but a positive whole number shows the first page.
    return parse_page(request.args.get("page"))


def _require_admin() -> None:
    if current_user.role is not Role.ADMIN:
        abort(403)


@bp.route("/")
def home():
    """A retailer's own ledger; for staff, the balances of the accounts they may see."""
    if current_user.role is Role.RETAILER:
        return _ledger(current_user.account_id, "credits.home", {})
    page = queries.account_balances_page(
        get_session(), current_user, _page_number(), current_app.config["PAGE_SIZE"]
    )
    return render("credits/accounts.html", fragment="credits/_accounts.html", page=page)


@bp.route("/accounts/<id:account_id>")
def account(account_id: int):
    return _ledger(account_id, "credits.account", {"account_id": account_id})


def _filters() -> tuple[LedgerFilterForm, queries.LedgerFilter]:
    form = LedgerFilterForm(request.args)
    if not form.validate():
        return form, queries.LedgerFilter()
    return form, queries.LedgerFilter(
        kind=form.kind.data or "",
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        q=(form.q.data or "").strip(),
    )


def _ledger(account_id: int | None, endpoint: str, endpoint_args: dict) -> Response:
    session = get_session()
    account, balances = queries.account_with_balances(session, current_user, account_id)
    form, filters = _filters()
    page = queries.ledger_page(
        session, account, _page_number(), current_app.config["PAGE_SIZE"], filters
    )
    filter_args = {k: v for k, v in carried_query("page", "account_id").items() if v}
    response = render(
        "credits/ledger.html",
        fragment="credits/_ledger.html",
        account=account,
        balances=balances,
        page=page,
        form=form,
        ledger_endpoint=endpoint,
        endpoint_args=endpoint_args,
        csv_args={"account_id": account.id, **filter_args},
    )
    return (response, 422) if form.errors else response


@bp.route("/accounts/<id:account_id>/ledger.csv")
@reads_only
def account_csv(account_id: int):
    """Exactly the rows the filtered ledger shows, oldest first, with the running balance."""
    session = get_session()
    account, _balances = queries.account_with_balances(session, current_user, account_id)
    form, filters = _filters()
    if form.errors:
        problems = "; ".join(
            f"{form[name].label.text}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
        abort(400, description=f"Some filters were not understood ({problems}).")
    rows = queries.ledger_csv_rows(session, account, filters)
    return csv_response(csv_text(ledger_csv(rows)), f"ledger-{account.number}.csv")


@bp.route("/memos/<number:number>.pdf")
def memo(number: str):
    session = get_session()
    memo = queries.load_memo(session, current_user, number)
    response = Response(memo_pdf(memo, queries.distributor(session)), mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(f"{memo.number}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/memos/<number:number>/refund", methods=["GET", "POST"])
def refund(number: str):
    _require_admin()
    session = get_session()
    memo = queries.load_memo(session, current_user, number)
    owed = documents.unpaid(session, memo)
    form = RefundForm()
    if request.method == "GET" and owed > 0:
        form.amount.data = owed
    error = None
    if form.validate_on_submit():
        payout = documents.Payout(
            method=RefundMethod(form.method.data),
            reference=form.reference.data,
            paid_on=form.paid_on.data,
            amount=form.amount.data,
        )
        try:
            refund = documents.record_refund(session, memo, current_user, payout)
            session.commit()
        except documents.DocumentRefused as refusal:
            session.rollback()
            error = str(refusal)
        else:
            flash(f"Refund {refund.number} of {memo.number} recorded.", "success")
            return redirect(url_for("credits.account", account_id=memo.account_id), 303)
    status = 422 if (error or form.errors) else 200
    return render("credits/refund.html", memo=memo, owed=owed, form=form, error=error), status


@bp.route("/memos/<number:number>/reverse", methods=["GET", "POST"])
def reverse(number: str):
    _require_admin()
    session = get_session()
    memo = queries.load_memo(session, current_user, number)
    remaining = documents.remaining_effect(session, memo)
    form = ReasonForm()
    error = None
    status = 200
    if form.validate_on_submit():
        try:
            reversal = documents.reverse_memo(session, memo, current_user, form.reason.data)
            session.commit()
        except documents.DocumentRefused as refusal:
            session.rollback()
            error = str(refusal)
        except IntegrityError:  # another admin reversed it at the same moment
            session.rollback()
            error, status = f"{memo.number} has already been reversed.", 409
        else:
            flash(f"Reversal {reversal.number} of {memo.number} issued.", "success")
            return redirect(url_for("credits.account", account_id=memo.account_id), 303)
    if status == 200 and (error or form.errors):
        status = 422
    return render(
        "credits/reverse.html",
        memo=memo,
        remaining=remaining,
        form=form,
        error=error,
    ), status
