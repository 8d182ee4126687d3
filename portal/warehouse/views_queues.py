"""The scan page and the work queues: what waits to be received, what is in inspection."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.db import get_session
from portal.pagination import Page
from portal.warehouse import queries
from portal.warehouse.forms import ScanForm
from portal.warehouse.scanning import read_scan
from portal.web import page_number, render
from workflow_designer.runtime import firing as runtime


def receiving() -> ResponseReturnValue:
    """One input for the scanner (or the keyboard); the work queues below it."""
    form = ScanForm(request.args)
    matches, status = [], 200
    if form.q.data:
        reading = read_scan(form.q.data) if form.validate() else None
        matches = queries.find_scanned(get_session(), current_user, reading) if reading else []
        if len(matches) == 1:
            return redirect(url_for("warehouse.rma", number=matches[0].number), 303)
        status = 200 if matches else 404
    return render(
        "warehouse/receiving.html",
        http_status=status,
        form=form,
        matches=matches,
        scanned=bool(form.q.data),
        **_queues(),
    )


def awaiting() -> Response:
    queue = _queue(queries.AWAITING_RECEIPT)
    return render("warehouse/awaiting.html", fragment="warehouse/_awaiting.html", awaiting=queue)


def inspection_queue() -> Response:
    queue = _queue(queries.IN_INSPECTION)
    return render(
        "warehouse/inspection.html", fragment="warehouse/_inspection_queue.html", inspecting=queue
    )


def _queue(triggers: tuple[str, ...]) -> Page:
    """The requested page of one queue."""
    per_page = current_app.config["PAGE_SIZE"]
    return queries.rma_queue(get_session(), current_user, triggers, page_number(), per_page)


def _queues() -> dict[str, Any]:
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
