"""Retailer feedback as analytics views: the survey's answers (``portal.feedback.queries``)
grouped by sales rep, return type or month, in the same frame as the other analytics:
the period and filters of ``read_filters``, a chart and the table behind it, and a CSV of
exactly what is shown (``portal.feedback.summary_csv``).

Answers are read from their own table, not from a rollup: there is one per resolved RMA,
so a year of them is a few thousand rows for a whole distributor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from models import User
from portal.analytics.flow_scope import FlowFilters
from portal.analytics.forms import Filters
from portal.feedback.queries import FeedbackSummary, GroupBy, feedback_summary


@dataclass(frozen=True)
class FeedbackView:
    slug: str
    group_by: GroupBy
    title: Any  # lazy: in the reader's language when shown
    chart_title: Any  # the average rating chart's


FEEDBACK_VIEWS: dict[str, FeedbackView] = {
    view.slug: view
    for view in (
        FeedbackView(
            "rep", GroupBy.REP, _l("By sales rep"), _l("Average rating per sales rep, of 5")
        ),
        FeedbackView(
            "return-type",
            GroupBy.RETURN_TYPE,
            _l("By return type"),
            _l("Average rating per return type, of 5"),
        ),
        FeedbackView("month", GroupBy.MONTH, _l("By month"), _l("Average rating by month, of 5")),
    )
}
VIEW_OF_GROUP = {view.group_by: view for view in FEEDBACK_VIEWS.values()}


def feedback_figures(
    session: Session, user: User, view: FeedbackView, filters: Filters
) -> FeedbackSummary:
    """The answers ``user`` sees in the filters' period, narrowed by their account, region
    and return type (an answer has no brand), grouped as ``view`` groups them."""
    return feedback_summary(session, user, filters.period, view.group_by, FlowFilters.of(filters))


def csv_name(summary: FeedbackSummary) -> str:
    period, view = summary.period, VIEW_OF_GROUP[summary.group_by]
    return f"feedback-{view.slug}-{period.first:%Y-%m}-{period.last:%Y-%m}.csv"
