"""The request flow's blueprint and what its views share. Retailers act for their own
account, sales reps for the accounts assigned to them. Admins are not let in: the
workflows' ``submit`` transitions are the retailer's and the rep's, so an admin could
build a draft but never send it."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user

from models import Rma, RmaLine, Role
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.requests.display import (
    figure_rows,
    flag_requirements,
    is_positive,
    money_text,
    shapes_credit,
    without_label,
)
from portal.requests.queries import load_request

bp = Blueprint("requests", __name__)
restrict_blueprint(bp, Role.RETAILER, Role.SALES_REP)


@bp.context_processor
def _display_helpers() -> dict:
    return {
        "figure_rows": figure_rows,
        "without_label": without_label,
        "money_text": money_text,
        "is_positive": is_positive,
        "shapes_credit": shapes_credit,
        "flag_requirements": flag_requirements,
    }


def load_draft(number: str) -> Rma:
    """The draft ``number`` for editing: 404 out of scope, 409 once submitted."""
    rma = load_request(get_session(), current_user, number)
    if rma.submitted_at is not None:
        abort(409, description=f"{rma.number} has been submitted; it can no longer be changed.")
    return rma


def load_line(rma: Rma, line_id: int) -> RmaLine:
    """A line of ``rma``; a line of any other RMA is 404."""
    line = get_session().get(RmaLine, line_id)
    if line is None or line.rma_id != rma.id:
        abort(404)
    return line


def back_to_draft(rma, anchor: str = ""):
    return redirect(url_for(".draft", number=rma.number) + anchor, 303)


def with_line(context: dict, line_id: int) -> dict:
    """``context`` with ``d``, the draft line the single-line parts render."""
    context["d"] = next(d for d in context["contents"].lines if d.line.id == line_id)
    return context
