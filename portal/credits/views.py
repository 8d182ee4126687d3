"""Credits: an account's balance and ledger, and its credit memos as PDF.

Retailers see their own account, sales reps their assigned accounts, admins every account;
anything else is 404. Warehouse staff have no business here (403).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from flask_login import current_user

from models import Role
from portal.auth.access import restrict_blueprint
from portal.credits import queries
from portal.credits.pdf import memo_pdf
from portal.db import get_session
from portal.web import render_page

bp = Blueprint("credits", __name__)
restrict_blueprint(bp, Role.RETAILER, Role.SALES_REP, Role.ADMIN)


def _page_number() -> int:
    # Anything but a positive whole number shows the first page.
    return max(1, request.args.get("page", 1, type=int))


@bp.route("/")
def home():
    """A retailer's own ledger; for staff, the balances of the accounts they may see."""
    if current_user.role is Role.RETAILER:
        return _ledger(current_user.account_id, "credits.home", {})
    page = queries.account_balances_page(
        get_session(), current_user, _page_number(), current_app.config["PAGE_SIZE"]
    )
    return render_page("credits/accounts.html", fragment="credits/_accounts.html", page=page)


@bp.route("/accounts/<int:account_id>")
def account(account_id: int):
    return _ledger(account_id, "credits.account", {"account_id": account_id})


def _ledger(account_id: int | None, endpoint: str, endpoint_args: dict) -> Response:
    session = get_session()
    account, balances = queries.account_with_balances(session, current_user, account_id)
    page = queries.ledger_page(session, account, _page_number(), current_app.config["PAGE_SIZE"])
    return render_page(
        "credits/ledger.html",
        fragment="credits/_ledger.html",
        account=account,
        balances=balances,
        page=page,
        ledger_endpoint=endpoint,
        endpoint_args=endpoint_args,
    )


@bp.route("/memos/<number>.pdf")
def memo(number: str):
    memo = queries.load_memo(get_session(), current_user, number)
    response = Response(memo_pdf(memo), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{memo.number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
