"""The retailer feedback views' charts, drawn by the shared chart geometry (``charts.py``).

The first chart is the average rating per group, on a fixed scale of 0 to 5: a rating is
read against the top of its scale, and an axis that stopped at the best group's average
would draw a best average of 2.1 as a nearly full bar. An average hides how many answers
it rests on, so a rep's or return type's label says how many; months are columns with the
count in the table. The second chart is how the period's answers spread over the five
ratings: two groups with the same average of 3 may be all "OK" or half delighted and half
let down, and that is what a reader acts on. Both charts' figures are in the table after
them (the averages per row, the spread in its total row).
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

from models.feedback import MAX_RATING
from portal.analytics.charts import Chart, Item, bar_chart, column_chart
from portal.feedback.forms import RATING_WORDS
from portal.feedback.queries import RATINGS, FeedbackSummary, GroupBy, SummaryRow
from portal.i18n.formats import format_month, number


def feedback_charts(summary: FeedbackSummary, title: str) -> list[Chart]:
    """The average rating per group (``title``) and the spread of the ratings.
    No chart without answers: the page says there are none."""
    if not summary.total.count:
        return []
    return [_average_chart(summary, title), _spread_chart(summary)]


def _average_chart(summary: FeedbackSummary, chart_title: str) -> Chart:
    series = [_("Average rating")]
    items = [Item(_label(summary, row), [row.average]) for row in summary.rows]
    if summary.group_by is GroupBy.MONTH:
        return column_chart(
            "chart-feedback-average",
            chart_title,
            series,
            items,
            _shown,
            ceiling=MAX_RATING,
            steps=MAX_RATING,
        )
    return bar_chart(
        "chart-feedback-average", chart_title, series, items, _shown, ceiling=MAX_RATING
    )


def _label(summary: FeedbackSummary, row: SummaryRow) -> str:
    if summary.group_by is GroupBy.MONTH:
        return format_month(row.key, short=True)
    name = row.label if row.key is not None else _("No sales rep")
    answers = ngettext("%(num)d answer", "%(num)d answers", row.count)
    return _("%(name)s · %(answers)s", name=name, answers=answers)


def _spread_chart(summary: FeedbackSummary) -> Chart:
    items = [
        Item(
            _("%(rating)s – %(words)s", rating=rating, words=RATING_WORDS[rating]),
            [Decimal(summary.total.distribution[rating])],
        )
        for rating in RATINGS  # in the order of the table's columns
    ]
    title = _("Answers per rating in the period")
    return bar_chart("chart-feedback-ratings", title, [_("Answers")], items, _shown)


def _shown(value: Decimal | None) -> str:
    return "–" if value is None else number(value)
