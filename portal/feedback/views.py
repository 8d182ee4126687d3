"""Retailer feedback for staff: the survey's answers summarised over a period, grouped by
sales rep, return type or month, on a page and as CSV. Admins see every account, sales
reps their assigned accounts (portal.feedback.queries); nobody else comes here (403)."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_login import current_user

from models import Role
from models.base import utcnow
from portal.analytics.period import MonthRange
from portal.auth.access import restrict_blueprint
from portal.csv_export import csv_response, csv_text
from portal.csv_headers import header_style
from portal.db import get_session, reads_only
from portal.feedback.forms import SummaryForm
from portal.feedback.queries import feedback_summary
from portal.feedback.summary_csv import summary_columns, summary_csv
from portal.forms import refuse_filters
from portal.web import carried_query, render

bp = Blueprint("feedback", __name__)
restrict_blueprint(bp, Role.ADMIN, Role.SALES_REP)

DEFAULT_MONTHS = 12  # the page opens on the last twelve months, this one included


def _form() -> SummaryForm:
    default = MonthRange.trailing(DEFAULT_MONTHS, utcnow().date())
    form = SummaryForm(request.args, default_period=default)
    form.validate()
    return form


def summary() -> Response:
    form = _form()
    result = feedback_summary(get_session(), current_user, form.period(), form.group_by())
    return render(
        "feedback/summary.html",
        http_status=422 if form.errors else 200,
        form=form,
        summary=result,
        columns=summary_columns(result.group_by),
        csv_args={k: v for k, v in carried_query("headers").items() if v},
    )


@reads_only
def summary_export() -> Response:
    """Exactly the table the page shows for the same query."""
    form = _form()
    refuse_filters(form)
    headers = header_style(request.args)
    result = feedback_summary(get_session(), current_user, form.period(), form.group_by())
    period = result.period
    name = f"feedback-{result.group_by.value}-{period.first:%Y-%m}-{period.last:%Y-%m}.csv"
    return csv_response(csv_text(summary_csv(result, headers)), name)


bp.add_url_rule("/", "summary", summary, methods=["GET"])
bp.add_url_rule("/summary.csv", "summary_export", summary_export, methods=["GET"])
