"""The retailer portal: a retailer user's own account, and nothing else."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import current_user

from models import Role
from portal.auth.access import restrict_blueprint
from portal.credits.queries import Balance, account_with_balances
from portal.db import get_session
from portal.orders.views import render_order_history
from portal.web import wants_fragment

bp = Blueprint("retailer", __name__)
restrict_blueprint(bp, Role.RETAILER)


def home() -> ResponseReturnValue:
    if wants_fragment():
        # The search's results alone: no balance shown, and the user's own account came
        # with the user.
        account, balances = current_user.account, list[Balance]()
    else:
        account, balances = account_with_balances(
            get_session(), current_user, current_user.account_id
        )
    return render_order_history(
        account, "retailer/home.html", "retailer.home", endpoint_args={}, balances=balances
    )


# --- the URL table -------------------------------------------------------------------------

bp.add_url_rule("/", "home", home, methods=["GET"])
