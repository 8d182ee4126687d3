"""The retailer feedback summary's old addresses. The results are analytics views now
(``/analytics/feedback/<view>``, ``portal.analytics.views``); links and bookmarks to the
old page and its CSV are sent there, the period and grouping they asked for translated
into the analytics query (``first``/``last`` are ``start``/``end``, ``group`` is the
view) and the rest of the query kept. Only staff who may read the results are sent on
(403 for the others, as analytics answers them)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue

from models import Role
from portal.analytics.feedback import VIEW_OF_GROUP
from portal.auth.access import restrict_blueprint
from portal.feedback.queries import GroupBy
from portal.web import carried_query

bp = Blueprint("feedback", __name__)
restrict_blueprint(bp, Role.ADMIN, Role.SALES_REP)

# The old summary form's names for the period, and the analytics form's.
RENAMED = {"first": "start", "last": "end"}


def _moved(endpoint: str) -> ResponseReturnValue:
    """Permanently moved: the old page opened grouped by rep when not told otherwise; a
    grouping it never offered finds no page (it used to be refused, not guessed at)."""
    group = request.args.get("group") or GroupBy.REP.value
    if group not in {g.value for g in GroupBy}:
        abort(404)
    args = carried_query("group", "view", *RENAMED)
    for old, new in RENAMED.items():
        if old in request.args and new not in args:
            args[new] = request.args[old]
    view = VIEW_OF_GROUP[GroupBy(group)]
    return redirect(url_for(endpoint, view=view.slug, **args), code=301)


def summary() -> ResponseReturnValue:
    return _moved("analytics.feedback")


def summary_export() -> ResponseReturnValue:
    return _moved("analytics.feedback_csv")


bp.add_url_rule("/", "summary", summary, methods=["GET"])
bp.add_url_rule("/summary.csv", "summary_export", summary_export, methods=["GET"])
