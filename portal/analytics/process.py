"""The process views of the analytics area: how RMAs move through their workflows, how
approvers decide, what was credited and what became of the stock that came back.

Each view is one ``ProcessView``: its title, what it counts, the figures it loads for the
signed-in user and the page's filters, its charts and its CSV. One page template and one
CSV view serve them all (``portal.analytics.views``), so every view reads the same period
and filters and exports exactly what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from models import User
from portal.analytics import process_charts, process_export
from portal.analytics.allowance import allowance_page
from portal.analytics.charts import Chart
from portal.analytics.credit_months import credit_months
from portal.analytics.cycle_times import cycle_times, sla_compliance
from portal.analytics.decisions import rep_decisions
from portal.analytics.flow_refresh import rollup_version
from portal.analytics.flow_scope import FlowFilters
from portal.analytics.forms import Filters
from portal.analytics.grading import grading
from portal.analytics.keeping import kept, returns_version
from portal.csv_headers import HeaderStyle

ALLOWANCE_PER_PAGE = 25
PROCESS_FIGURES = "process_figures"  # the name they are kept under (``keeping.kept``)


@dataclass(frozen=True)
class Request:
    """What a view's figures depend on besides the database."""

    user: User
    filters: Filters
    today: date
    page: int = 1

    @property
    def flow(self) -> FlowFilters:
        return FlowFilters.of(self.filters)

    @property
    def as_of(self) -> date:
        """The day a trailing figure (the allowance) is read on: the period's last day,
        or today while the period runs."""
        return min(self.today, self.filters.period.end_day - timedelta(days=1))


@dataclass(frozen=True)
class ProcessView:
    slug: str
    title: Any  # lazy: in the reader's language when shown
    summary: Any
    load: Callable[[Session, Request], Any]
    charts: Callable[[Any], list[Chart]]
    csv: Callable[[Any, HeaderStyle], Iterator[Sequence[object]]]
    # What the figures depend on besides the request: they are kept while it is the same.
    version: Callable[[Session], Hashable] = rollup_version

    @property
    def fragment(self) -> str:
        return f"analytics/_process_{self.slug.replace('-', '_')}.html"

    def figures(self, session: Session, asked: Request) -> Any:
        """The view's figures for ``asked``, kept per process until the data they are read
        from changes (a percentile over a year's stays in a state takes a second to
        compute on the large data set; reading it again, nothing)."""
        key = (self.slug, asked.filters, asked.page, asked.as_of)
        version = self.version(session)
        return kept(
            session, asked.user, PROCESS_FIGURES, key, version, lambda: self.load(session, asked)
        )


def refreshed_versions(session: Session) -> Hashable:
    """The process rollups' version and the moment the other analytics were last brought
    up to date: the allowance reads orders, RMAs and memos, and is as fresh as they are."""
    return rollup_version(session), returns_version(session)


def _period(load):
    return lambda session, asked: load(session, asked.user, asked.filters.period, asked.flow)


VIEWS: dict[str, ProcessView] = {
    view.slug: view
    for view in (
        ProcessView(
            "cycle-times",
            _l("Time in each state"),
            _l("How long RMAs stayed in each state of their workflow: median and 90th percentile."),
            _period(cycle_times),
            process_charts.cycle_time_charts,
            process_export.cycle_time_csv,
        ),
        ProcessView(
            "sla",
            _l("Approval SLAs"),
            _l("Approval steps decided within their SLA, per step."),
            _period(sla_compliance),
            process_charts.sla_charts,
            process_export.sla_csv,
        ),
        ProcessView(
            "reps",
            _l("Sales reps' decisions"),
            _l("Exception requests and approvals per sales rep."),
            _period(rep_decisions),
            process_charts.rep_charts,
            process_export.rep_csv,
        ),
        ProcessView(
            "credits",
            _l("Credit issued"),
            _l("Credit memos and their corrections by month, per currency."),
            _period(credit_months),
            process_charts.credit_charts,
            process_export.credit_csv,
        ),
        ProcessView(
            "grades",
            _l("Grades and dispositions"),
            _l("What inspection found of the stock that came back, and where it went."),
            _period(grading),
            process_charts.grade_charts,
            process_export.grade_csv,
        ),
        ProcessView(
            "allowance",
            _l("Rotation allowance"),
            _l("How much of its rotation allowance each account has used."),
            lambda session, asked: allowance_page(
                session, asked.user, asked.flow, asked.as_of, asked.page, ALLOWANCE_PER_PAGE
            ),
            process_charts.allowance_charts,
            process_export.allowance_csv,
            version=refreshed_versions,
        ),
    )
}
