"""The process views' charts, drawn by the shared chart geometry (``charts.py``): the same
figures as the tables after them, in the same units and rounding."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from flask_babel import gettext as _

from portal.analytics.charts import Chart, Item, bar_chart, column_chart
from portal.analytics.credit_months import CreditMonth
from portal.analytics.cycle_times import CycleTime, StepCompliance
from portal.analytics.decisions import RepDecisions
from portal.analytics.grading import Grading
from portal.analytics.units import hours
from portal.analytics.units import percent_of as share
from portal.i18n.formats import format_month, money, number, percent
from portal.pagination import Page
from workflow_designer.policy.vocabulary import Disposition


def shown_hours(value: Decimal | None) -> str:
    return "–" if value is None else _("%(hours)s h", hours=number(value))


def shown_percent(value: Decimal | None) -> str:
    return "–" if value is None else percent(value, 1)


def cycle_time_charts(rows: list[CycleTime]) -> list[Chart]:
    """Per workflow, a bar pair per state: median and 90th percentile, in hours."""
    series = [_("Median"), _("90th percentile")]
    charts = []
    for workflow_id in dict.fromkeys(row.workflow_id for row in rows):
        states = [row for row in rows if row.workflow_id == workflow_id]
        items = [
            Item(row.label, [hours(row.median_seconds), hours(row.p90_seconds)]) for row in states
        ]
        title = _("%(workflow)s: hours in each state", workflow=states[0].workflow)
        charts.append(bar_chart(f"chart-cycle-{workflow_id}", title, series, items, shown_hours))
    return charts


def sla_charts(rows: list[StepCompliance]) -> list[Chart]:
    items = [
        Item(
            _("%(workflow)s · %(state)s", workflow=row.workflow, state=row.label),
            [share(row.on_time_share)],
        )
        for row in rows
    ]
    title = _("Approval steps decided within their SLA")
    return [bar_chart("chart-sla", title, [_("On time")], items, shown_percent)] if rows else []


def rep_charts(rows: list[RepDecisions]) -> list[Chart]:
    series = [_("Exception rate"), _("Approval rate")]
    items = [Item(row.rep, [share(row.exception_share), share(row.approval_share)]) for row in rows]
    title = _("Exception and approval rates per sales rep")
    return [bar_chart("chart-reps", title, series, items, shown_percent)] if rows else []


def credit_charts(rows: list[CreditMonth]) -> list[Chart]:
    """Per currency, columns over the months: credit memos and the net after corrections
    (a month whose net is below zero shows no net column; the table gives it)."""
    series = [_("Credit memos"), _("Net credit")]
    charts = []
    for currency in dict.fromkeys(row.currency for row in rows):
        months = [row for row in rows if row.currency == currency]
        items = [
            Item(
                format_month(row.month, short=True),
                [row.credited, row.net if row.net >= 0 else None],
            )
            for row in months
        ]
        title = _("Credit issued by month, %(currency)s", currency=currency)
        chart_id = f"chart-credits-{currency.lower()}"
        charts.append(
            column_chart(chart_id, title, series, items, partial(_amount, currency=currency))
        )
    return charts


def _amount(value: Decimal | None, currency: str) -> str:
    return "–" if value is None else money(value, currency)


def grade_charts(found: Grading) -> list[Chart]:
    if not found.total:
        return []
    items = [Item(d.label, [Decimal(found.disposed(d))]) for d in Disposition]
    title = _("Units by where they went")
    return [bar_chart("chart-dispositions", title, [_("Units")], items, _units)]


def _units(value: Decimal | None) -> str:
    return "–" if value is None else number(value)


def allowance_charts(page: Page) -> list[Chart]:
    if not page.items:
        return []
    items = [
        Item(
            _("%(number)s · %(type)s", number=row.account_number, type=row.return_type),
            [share(row.share_used)],
        )
        for row in page.items
    ]
    title = _("Share of the rotation allowance used")
    return [bar_chart("chart-allowance", title, [_("Allowance used")], items, shown_percent)]
