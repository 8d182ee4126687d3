"""Retailer feedback as analytics views: the survey's answers (``portal.feedback.queries``)
grouped by sales rep, return type or month, in the same frame as the other analytics:
the period and filters of ``read_filters``, a chart and the table behind it, and a CSV of
exactly what is shown (``portal.feedback.summary_csv``).

Answers are read from their own table, not from a rollup: one per resolved RMA. On the
large data set (52,000 answers) that costs 100-200 ms a view, so the figures are kept per
process (``keeping``) until an answer is given or changed, or the rollups are refreshed
(the rep an account belongs to may have changed meanwhile).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import FeedbackAnswer, User
from portal.analytics.flow_scope import FlowFilters
from portal.analytics.forms import Filters
from portal.analytics.keeping import kept, returns_version
from portal.feedback.queries import FeedbackSummary, GroupBy, feedback_summary

FEEDBACK_FIGURES = "feedback_figures"  # the name they are kept under


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

    def load() -> FeedbackSummary:
        flow = FlowFilters.of(filters)
        return feedback_summary(session, user, filters.period, view.group_by, flow)

    version = (answers_version(session), returns_version(session))
    return kept(session, user, FEEDBACK_FIGURES, (view.slug, filters), version, load)


def answers_version(session: Session) -> Hashable:
    """How many answers there are and when one was last given or changed: an answer is
    never deleted, and every change stamps its ``updated_at``."""
    counted = select(func.count(), func.max(FeedbackAnswer.updated_at))
    return tuple(session.execute(counted).one())


def csv_name(summary: FeedbackSummary) -> str:
    period, view = summary.period, VIEW_OF_GROUP[summary.group_by]
    return f"feedback-{view.slug}-{period.first:%Y-%m}-{period.last:%Y-%m}.csv"
