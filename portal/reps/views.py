"""The sales rep area: assigned accounts only."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, request
from flask_login import current_user
from sqlalchemy.orm import Session

from models import Role, User
from portal.auth.access import restrict_blueprint
from portal.caching import app_cache
from portal.db import get_session
from portal.orders.views import render_order_history
from portal.reps.forms import AccountSearchForm
from portal.reps.queries import (
    RECENT_DAYS,
    VolumeFigures,
    assigned_accounts_with_volume,
    recent_volumes,
)
from portal.scope import load_account
from portal.signals.pages import account_signals
from portal.web import render, wants_fragment

bp = Blueprint("reps", __name__)
restrict_blueprint(bp, Role.SALES_REP)


# The 90-day figures sum tens of thousands of invoice lines (86 ms for 260 accounts) and
# only an import changes them: each process keeps them a few minutes per rep and day.
VOLUMES_TTL = 300.0


def _cached_volumes(session: Session, rep: User, today: date) -> VolumeFigures:
    return app_cache("rep_volumes", VOLUMES_TTL).get(
        (rep.id, today), lambda: recent_volumes(session, rep, today)
    )


def home() -> Response:
    form = AccountSearchForm(request.args)
    text = (form.q.data or "")[:100] if form.validate() else ""
    page = assigned_accounts_with_volume(
        get_session(),
        current_user,
        text,
        form.page_number,
        current_app.config["PAGE_SIZE"],
        volumes=_cached_volumes,
    )
    return render(
        "reps/home.html",
        fragment="reps/_accounts.html",
        form=form,
        page=page,
        recent_days=RECENT_DAYS,
    )


def account(account_id: int) -> Response:
    session = get_session()
    account = load_account(session, current_user, account_id)
    return render_order_history(
        account,
        "reps/account.html",
        "reps.account",
        endpoint_args={"account_id": account.id},
        signals=[] if wants_fragment() else account_signals(session, current_user, account),
    )


bp.add_url_rule("/", "home", home)
bp.add_url_rule("/accounts/<id:account_id>", "account", account)
