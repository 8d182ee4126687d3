"""Analytics for the distributor's staff: admins see every account, sales reps the
accounts assigned to them (``portal.scope``), on every page and in every export."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from models import Role
from models.base import utcnow
from portal.analytics.cells import rate_cells
from portal.analytics.charts import rate_charts
from portal.analytics.export import rate_csv
from portal.analytics.feedback import FEEDBACK_VIEWS, csv_name, feedback_figures
from portal.analytics.feedback_charts import feedback_charts
from portal.analytics.filtering import read_filters
from portal.analytics.forms import presets
from portal.analytics.process import VIEWS
from portal.analytics.process import Request as ProcessRequest
from portal.analytics.queries import labelled_rates
from portal.analytics.returns import DIMENSIONS, Dimension, RateTable
from portal.auth.access import restrict_blueprint
from portal.csv_export import csv_response, csv_text
from portal.csv_headers import header_style
from portal.db import get_session, reads_only
from portal.feedback.summary_csv import summary_columns, summary_csv
from portal.forms import refuse_filters
from portal.i18n.formats import reader_formats
from portal.web import page_number, render

bp = Blueprint("analytics", __name__)
restrict_blueprint(bp, Role.ADMIN, Role.SALES_REP)


def home() -> ResponseReturnValue:
    return render(
        "analytics/home.html",
        dimensions=list(DIMENSIONS.values()),
        process_views=list(VIEWS.values()),
        feedback_views=list(FEEDBACK_VIEWS.values()),
    )


def _dimension(view: str) -> Dimension:
    dimension = DIMENSIONS.get(view)
    if dimension is None:
        abort(404)
    return dimension


def _rates(view: str, *, export: bool = False):
    dimension = _dimension(view)
    session = get_session()
    form, filters = read_filters(session, needs_brand=dimension.needs_brand)
    if export:
        refuse_filters(form)
    return form, filters, labelled_rates(session, current_user, dimension, filters)


@reads_only
def returns(view: str) -> ResponseReturnValue:
    form, filters, table = _rates(view)
    return render(
        "analytics/returns.html",
        fragment="analytics/_returns.html",
        http_status=422 if form.errors else 200,
        form=form,
        filters=filters,
        table=table,
        cells=rate_cells(table, reader_formats()),
        charts=rate_charts(table),
        presets=presets(utcnow().date()),
        dimensions=list(DIMENSIONS.values()),
    )


@reads_only
def returns_csv(view: str) -> ResponseReturnValue:
    """Exactly what the page with the same query string shows."""
    headers = header_style(request.args)
    _form, filters, table = _rates(view, export=True)
    return csv_response(csv_text(rate_csv(table, headers)), _filename(table, filters))


def _process(view: str, *, export: bool = False):
    process = VIEWS.get(view)
    if process is None:
        abort(404)
    session = get_session()
    form, filters = read_filters(session)
    if export:
        refuse_filters(form)
    asked = ProcessRequest(current_user, filters, utcnow().date(), page_number())
    return process, form, asked, process.figures(session, asked)


@reads_only
def process_view(view: str) -> ResponseReturnValue:
    process, form, asked, figures = _process(view)
    return render(
        "analytics/process.html",
        fragment=process.fragment,
        http_status=422 if form.errors else 200,
        form=form,
        filters=asked.filters,
        asked=asked,
        process=process,
        figures=figures,
        charts=process.charts(figures),
        presets=presets(utcnow().date()),
        views=list(VIEWS.values()),
    )


@reads_only
def process_csv(view: str) -> ResponseReturnValue:
    """Exactly what the page with the same query string shows."""
    headers = header_style(request.args)
    process, _form, asked, figures = _process(view, export=True)
    period = asked.filters.period
    name = f"{process.slug}-{period.first:%Y-%m}-{period.last:%Y-%m}.csv"
    return csv_response(csv_text(process.csv(figures, headers)), name)


def _feedback(view: str, *, export: bool = False):
    shown = FEEDBACK_VIEWS.get(view)
    if shown is None:
        abort(404)
    session = get_session()
    form, filters = read_filters(session)
    if export:
        refuse_filters(form)
    return shown, form, filters, feedback_figures(session, current_user, shown, filters)


@reads_only
def feedback(view: str) -> ResponseReturnValue:
    shown, form, filters, summary = _feedback(view)
    return render(
        "analytics/feedback.html",
        fragment="analytics/_feedback.html",
        http_status=422 if form.errors else 200,
        form=form,
        filters=filters,
        view=shown,
        summary=summary,
        columns=summary_columns(summary.group_by),
        charts=feedback_charts(summary, str(shown.chart_title)),
        presets=presets(utcnow().date()),
        views=list(FEEDBACK_VIEWS.values()),
    )


@reads_only
def feedback_csv(view: str) -> ResponseReturnValue:
    """Exactly what the page with the same query string shows."""
    headers = header_style(request.args)
    _shown, _form, _filters, summary = _feedback(view, export=True)
    return csv_response(csv_text(summary_csv(summary, headers)), csv_name(summary))


def _filename(table: RateTable, filters) -> str:
    period = filters.period
    return f"returns-{table.dimension.slug}-{period.first:%Y-%m}-{period.last:%Y-%m}.csv"


# The URL table: every route of the area, its endpoint name and its methods.
bp.add_url_rule("/", "home", home, methods=["GET"])
bp.add_url_rule("/returns/<view>", "returns", returns, methods=["GET"])
bp.add_url_rule("/returns/<view>.csv", "returns_csv", returns_csv, methods=["GET"])
bp.add_url_rule("/process/<view>", "process", process_view, methods=["GET"])
bp.add_url_rule("/process/<view>.csv", "process_csv", process_csv, methods=["GET"])
bp.add_url_rule("/feedback/<view>", "feedback", feedback, methods=["GET"])
bp.add_url_rule("/feedback/<view>.csv", "feedback_csv", feedback_csv, methods=["GET"])
