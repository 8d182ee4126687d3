"""The feedback summary as CSV: the rows and columns the page shows, figures as numbers.

Only the header row is for people (``portal.csv_headers``); cells stay machine-readable:
months as ``YYYY-MM``, the average with a "." decimal point, counts as integers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from models import FeedbackTag
from portal.csv_headers import Columns, HeaderStyle, header_row
from portal.feedback.queries import RATINGS, FeedbackSummary, GroupBy, SummaryRow

GROUP_COLUMNS = {
    GroupBy.REP: ("rep", _l("Sales rep")),
    GroupBy.RETURN_TYPE: ("return_type", _l("Return type")),
    GroupBy.MONTH: ("month", _l("Month")),
}


def summary_columns(group_by: GroupBy) -> Columns:
    """Each column's code and label, in the page's order: the group, the figures, a column
    per rating and per tag."""
    code, label = GROUP_COLUMNS[group_by]
    columns = {code: label, "answers": _l("Answers"), "average": _l("Average rating")}
    for rating in RATINGS:
        columns[f"rating_{rating}"] = _l("Rated %(rating)s", rating=rating)
    for tag in FeedbackTag:
        columns[f"tag_{tag.value}"] = tag.lazy_label
    return columns


def group_cell(summary: FeedbackSummary, row: SummaryRow) -> str:
    if summary.group_by is GroupBy.MONTH:
        return f"{row.key.year:04d}-{row.key.month:02d}"
    if row.key is None:
        return _("No sales rep") if summary.group_by is GroupBy.REP else ""
    return row.label


def summary_csv(summary: FeedbackSummary, headers: HeaderStyle) -> Iterator[Sequence[object]]:
    yield header_row(summary_columns(summary.group_by), headers)
    # The total closes the table when it has rows, as on the page.
    for row in [*summary.rows, summary.total] if summary.rows else []:
        first = _("Total") if row is summary.total else group_cell(summary, row)
        yield [
            first,
            row.count,
            row.average if row.average is not None else "",
            *(row.distribution[rating] for rating in RATINGS),
            *(row.tags[tag] for tag in FeedbackTag),
        ]
