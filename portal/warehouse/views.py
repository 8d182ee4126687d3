"""The warehouse area: receiving at the dock, inspection and grading, stock by grade.

Warehouse staff and admins reach it (checked once for the blueprint); what each may do to
an RMA is the workflow's decision (``options_for``). This module holds the stock overview,
the scan page and the work queues; the RMA screens and B-stock live in ``views_*``
modules imported at the bottom, which register their routes on the same blueprint.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, url_for
from flask_login import current_user

from models import Grade, Role
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.forms import choices
from portal.warehouse import queries, stock_queries
from portal.warehouse.forms import ScanForm, StockFilterForm
from portal.warehouse.scanning import read_scan
from portal.web import page_number, render
from workflow_designer.runtime import firing as runtime

bp = Blueprint("warehouse", __name__)
restrict_blueprint(bp, Role.WAREHOUSE, Role.ADMIN)


@bp.route("/")
def home():
    session = get_session()
    form = StockFilterForm(request.args)
    form.warehouse.choices = choices(
        [("", "All warehouses")] + [(str(w.id), w.name) for w in stock_queries.warehouses(session)]
    )
    valid = form.validate()
    filters = stock_queries.StockFilters(
        warehouse_id=int(form.warehouse.data) if valid and form.warehouse.data else None,
        grade=Grade(form.grade.data) if valid and form.grade.data else None,
        sku=form.sku.data or "" if valid else "",
    )
    page = stock_queries.stock_lines(
        session,
        filters,
        page=form.page.data if valid and form.page.data else 1,
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render(
        "warehouse/home.html",
        fragment="warehouse/_stock_lines.html",
        totals=stock_queries.stock_by_grade(session),
        grades=list(Grade),
        form=form,
        page=page,
    )


def _queues() -> dict:
    """The first page of each queue; each pages on through its own endpoint."""
    session, per_page = get_session(), current_app.config["PAGE_SIZE"]
    versions = runtime.published_version_ids(session)  # read once for both queues
    return {
        name: queries.rma_queue(session, current_user, triggers, 1, per_page, versions)
        for name, triggers in (
            ("awaiting", queries.AWAITING_RECEIPT),
            ("inspecting", queries.IN_INSPECTION),
        )
    }


@bp.route("/receive")
def receiving():
    """One input for the scanner (or the keyboard); the work queues below it."""
    form = ScanForm(request.args)
    matches, status = [], 200
    if form.q.data:
        reading = read_scan(form.q.data) if form.validate() else None
        matches = queries.find_scanned(get_session(), current_user, reading) if reading else []
        if len(matches) == 1:
            return redirect(url_for("warehouse.rma", number=matches[0].number), 303)
        status = 200 if matches else 404
    response = render(
        "warehouse/receiving.html",
        form=form,
        matches=matches,
        scanned=bool(form.q.data),
        **_queues(),
    )
    response.status_code = status
    return response


@bp.route("/awaiting")
def awaiting():
    queue = queries.rma_queue(
        get_session(),
        current_user,
        queries.AWAITING_RECEIPT,
        page_number(),
        current_app.config["PAGE_SIZE"],
    )
    return render(
        "warehouse/awaiting.html", fragment="warehouse/_awaiting.html", awaiting=queue
    )


@bp.route("/inspection")
def inspection_queue():
    queue = queries.rma_queue(
        get_session(),
        current_user,
        queries.IN_INSPECTION,
        page_number(),
        current_app.config["PAGE_SIZE"],
    )
    return render(
        "warehouse/inspection.html", fragment="warehouse/_inspection_queue.html", inspecting=queue
    )


# The other views register their routes on ``bp`` when imported.
from portal.warehouse import (  # noqa: E402, F401
    views_corrections,
    views_grading,
    views_receiving,
    views_rma,
    views_stock,
)
