"""The process views as CSV: exactly the rows and figures each page shows, rounded as
shown (hours to a tenth, shares in percent to a tenth, money to the cent). Headers in the
reader's language or, with ``?headers=codes``, column codes (``portal.csv_headers``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from flask_babel import lazy_gettext as _l

from portal.analytics.credit_months import CreditMonth
from portal.analytics.cycle_times import CycleTime, StepCompliance
from portal.analytics.decisions import RepDecisions
from portal.analytics.grading import Grading
from portal.analytics.units import hours
from portal.analytics.units import percent_of as share
from portal.csv_headers import HeaderStyle, header_row
from portal.pagination import Page
from workflow_designer.policy.vocabulary import Disposition

Rows = Iterator[Sequence[object]]


def cycle_time_csv(rows: list[CycleTime], headers: HeaderStyle) -> Rows:
    yield header_row(
        {
            "workflow": _l("Workflow"),
            "state_code": _l("State code"),
            "state": _l("State"),
            "visits": _l("Visits ended"),
            "median_hours": _l("Median (hours)"),
            "p90_hours": _l("90th percentile (hours)"),
        },
        headers,
    )
    for row in rows:
        yield [
            row.workflow,
            row.state,
            row.label,
            row.visits,
            hours(row.median_seconds),
            hours(row.p90_seconds),
        ]


def sla_csv(rows: list[StepCompliance], headers: HeaderStyle) -> Rows:
    yield header_row(
        {
            "workflow": _l("Workflow"),
            "step": _l("Step"),
            "state": _l("State"),
            "decided": _l("Decided"),
            "on_time": _l("On time"),
            "late": _l("Late"),
            "on_time_percent": _l("On time (%)"),
        },
        headers,
    )
    for row in rows:
        yield [
            row.workflow,
            row.step,
            row.label,
            row.decided,
            row.on_time,
            row.late,
            share(row.on_time_share),
        ]


def rep_csv(rows: list[RepDecisions], headers: HeaderStyle) -> Rows:
    yield header_row(
        {
            "rep": _l("Sales rep"),
            "submitted": _l("Requests submitted"),
            "exceptions": _l("Exceptions requested"),
            "exception_rate_percent": _l("Exception rate (%)"),
            "approved": _l("Approved"),
            "denied": _l("Denied"),
            "changes_requested": _l("Changes requested"),
            "approval_rate_percent": _l("Approval rate (%)"),
        },
        headers,
    )
    for row in rows:
        yield [
            row.rep,
            row.submitted,
            row.exceptions,
            share(row.exception_share),
            row.approved,
            row.denied,
            row.changes_requested,
            share(row.approval_share),
        ]


def credit_csv(rows: list[CreditMonth], headers: HeaderStyle) -> Rows:
    yield header_row(
        {
            "month": _l("Month"),
            "currency": _l("Currency"),
            "credit_memos": _l("Credit memos"),
            "credited": _l("Credited"),
            "corrections": _l("Corrections"),
            "net": _l("Net credit"),
        },
        headers,
    )
    for row in rows:
        yield [
            row.month.strftime("%Y-%m"),
            row.currency,
            row.memos,
            row.credited,
            row.corrections,
            row.net,
        ]


def grade_csv(found: Grading, headers: HeaderStyle) -> Rows:
    columns = {"grade_code": _l("Grade code"), "grade": _l("Grade")}
    columns |= {d.value: d.lazy_label for d in Disposition}
    columns["total"] = _l("Total")
    yield header_row(columns, headers)
    for row in found.grades:
        yield [row.grade.value, row.grade.label, *(row.of(d) for d in Disposition), row.total]
    total = ["total", str(_l("Total"))]
    yield [*total, *(found.disposed(d) for d in Disposition), found.total]


def allowance_csv(page: Page, headers: HeaderStyle) -> Rows:
    yield header_row(
        {
            "account": _l("Account"),
            "name": _l("Name"),
            "return_type": _l("Return type"),
            "currency": _l("Currency"),
            "percent": _l("Allowance in percent of net purchases"),
            "period_days": _l("Period (days)"),
            "net_purchases": _l("Net purchases"),
            "allowance": _l("Allowance"),
            "used": _l("Allowance used"),
            "credited": _l("Of it credited"),
            "pending": _l("Of it pending"),
            "left": _l("Left"),
            "used_percent": _l("Used (%)"),
        },
        headers,
    )
    for row in page.items:
        yield [
            row.account_number,
            row.account_name,
            row.return_type,
            row.currency,
            row.percent,
            row.period_days,
            row.net_purchases,
            row.allowance,
            row.used,
            row.credited,
            row.pending,
            row.left,
            share(row.share_used),
        ]
