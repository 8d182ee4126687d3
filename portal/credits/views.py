"""Credits: an account's balance and ledger (filtered, as CSV or JSON), its documents as PDF, and
the admins' refunds and reversals.

Retailers see their own account, sales reps their assigned accounts, admins every account;
anything else is 404. Warehouse staff have no business here (403). Recording a refund or
reversing a memo is an admin's act (403 for the others).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from models import Role
from portal.auth.access import restrict_blueprint
from portal.credits import documents, queries
from portal.credits.forms import LedgerFilterForm, ReasonForm, RefundForm
from portal.credits.ledger_csv import ledger_csv
from portal.credits.pdf import memo_pdf
from portal.csv_export import csv_response, csv_text, download_response, json_records
from portal.csv_headers import HeaderStyle, header_style
from portal.db import discard_failed_work, get_session, reads_only
from portal.forms import refuse_filters
from portal.inputs.files import content_disposition
from portal.web import carried_query, page_number, render

bp = Blueprint("credits", __name__)
restrict_blueprint(bp, Role.RETAILER, Role.SALES_REP, Role.ADMIN)


def _require_admin() -> None:
    if current_user.role is not Role.ADMIN:
        abort(403)


def home() -> ResponseReturnValue:
    """A retailer's own ledger; for staff, the balances of the accounts they may see."""
    if current_user.role is Role.RETAILER:
        return _ledger(current_user.account_id, "credits.home", {})
    page = queries.account_balances_page(
        get_session(), current_user, page_number(), current_app.config["PAGE_SIZE"]
    )
    return render("credits/accounts.html", fragment="credits/_accounts.html", page=page)


def account(account_id: int) -> ResponseReturnValue:
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
        session, account, page_number(), current_app.config["PAGE_SIZE"], filters
    )
    filter_args = {k: v for k, v in carried_query("page", "account_id", "headers").items() if v}
    return render(
        "credits/ledger.html",
        fragment="credits/_ledger.html",
        http_status=422 if form.errors else 200,
        account=account,
        balances=balances,
        page=page,
        form=form,
        ledger_endpoint=endpoint,
        endpoint_args=endpoint_args,
        csv_args={"account_id": account.id, **filter_args},
    )


@reads_only
def account_csv(account_id: int) -> ResponseReturnValue:
    """Exactly the rows the filtered ledger shows, oldest first, with the running balance."""
    session = get_session()
    account, _balances = queries.account_with_balances(session, current_user, account_id)
    form, filters = _filters()
    refuse_filters(form)
    headers = header_style(request.args)
    rows = queries.ledger_csv_rows(session, account, filters)
    return csv_response(csv_text(ledger_csv(rows, headers)), f"ledger-{account.number}.csv")


@reads_only
def account_json(account_id: int) -> ResponseReturnValue:
    """The CSV's rows as JSON records keyed by its column codes."""
    session = get_session()
    account, _balances = queries.account_with_balances(session, current_user, account_id)
    form, filters = _filters()
    refuse_filters(form)
    rows = queries.ledger_csv_rows(session, account, filters)
    records = json_records(ledger_csv(rows, HeaderStyle.CODES))
    return download_response(records, f"ledger-{account.number}.json", "application/json")


def memo(number: str) -> ResponseReturnValue:
    session = get_session()
    memo = queries.load_memo(session, current_user, number)
    response = Response(memo_pdf(memo, queries.distributor(session)), mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(f"{memo.number}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def refund(number: str) -> ResponseReturnValue:
    _require_admin()
    session = get_session()
    memo = queries.load_memo(session, current_user, number)
    owed = documents.unpaid(session, memo)
    form = RefundForm()
    if request.method == "GET" and owed > 0:
        form.amount.data = owed
    refused = None
    if form.validate_on_submit():
        try:
            refund = documents.record_refund(session, memo, current_user, form.payout())
        except documents.DocumentRefused as error:
            refused = error
        else:
            flash(
                _(
                    "Refund %(refund)s of %(number)s recorded.",
                    refund=refund.number,
                    number=memo.number,
                ),
                "success",
            )
            return redirect(url_for("credits.account", account_id=memo.account_id), 303)
    return _document_form("credits/refund.html", form, refused, memo=memo, owed=owed)


def reverse(number: str) -> ResponseReturnValue:
    _require_admin()
    session = get_session()
    memo = queries.load_memo(session, current_user, number)
    remaining = documents.remaining_effect(session, memo)
    form = ReasonForm()
    refused = None
    if form.validate_on_submit():
        try:
            reversal = documents.reverse_memo(session, memo, current_user, form.reason.data)
        except documents.DocumentRefused as error:
            refused = error
        else:
            flash(
                _(
                    "Reversal %(reversal)s of %(number)s issued.",
                    reversal=reversal.number,
                    number=memo.number,
                ),
                "success",
            )
            return redirect(url_for("credits.account", account_id=memo.account_id), 303)
    return _document_form("credits/reverse.html", form, refused, memo=memo, remaining=remaining)


def _document_form(
    template: str, form: FlaskForm, refused: documents.DocumentRefused | None, **context: Any
) -> Response:
    """The refund or reversal form again: why the document was refused above it (409 when
    another admin wrote it at the same moment), or the fields' own errors."""
    if refused is not None:
        discard_failed_work()  # nothing of the refused document is kept, nor shown
        status = refused.status
    else:
        status = 422 if form.errors else 200
    error = refused.message if refused is not None else None
    return render(template, http_status=status, form=form, error=error, **context)


# The URL table: every route of the area, its endpoint name and its methods.
bp.add_url_rule("/", "home", home, methods=["GET"])
bp.add_url_rule("/accounts/<id:account_id>", "account", account, methods=["GET"])
bp.add_url_rule("/accounts/<id:account_id>/ledger.csv", "account_csv", account_csv, methods=["GET"])
bp.add_url_rule(
    "/accounts/<id:account_id>/ledger.json", "account_json", account_json, methods=["GET"]
)
bp.add_url_rule("/memos/<number:number>.pdf", "memo", memo, methods=["GET"])
bp.add_url_rule("/memos/<number:number>/refund", "refund", refund, methods=["GET", "POST"])
bp.add_url_rule("/memos/<number:number>/reverse", "reverse", reverse, methods=["GET", "POST"])
