"""The admin's RMA screens: every RMA (filters, CSV exports), the resolution of inspected
RMAs, and replacement orders with their export to the ERP.

Acting on an RMA otherwise happens on the RMA page (``rmas.detail``), with the same
action buttons any step's approver gets.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from models import CreditMemo, Rma
from models.base import utcnow
from portal.admin import rma_queries as queries
from portal.admin.forms import ConfirmForm
from portal.admin.rma_csv import rma_csv, rma_line_csv
from portal.admin.rma_forms import (
    ReplacementOrderFilterForm,
    ResolveForm,
    RmaFilterForm,
    resolve_form,
)
from portal.credits import queries as credits
from portal.credits.documents import credit_memo_of
from portal.credits.operations import (
    AlreadyResolved,
    ResolutionError,
    credit_for,
    estimate_for_reported_condition,
    resolve_rma,
)
from portal.csv_export import csv_response, csv_text, download_response, json_records
from portal.csv_headers import HeaderStyle, header_style
from portal.db import discard_failed_work, get_session, reads_only
from portal.forms import refuse_filters
from portal.fulfilment import queries as fulfilment
from portal.fulfilment.operations import export_orders_to_fulfil
from portal.i18n.formats import money
from portal.rmas.queries import load_rma
from portal.warehouse.rendering import refusal_words
from portal.web import render, wants_fragment
from workflow_designer.engine.resolutions import RESOLUTION_LABELS, resolution_label
from workflow_designer.runtime.firing import TransitionRefused, executable_resolutions


def _filter_form() -> RmaFilterForm:
    form = RmaFilterForm(request.args)
    form.validate()
    return form


def rmas() -> ResponseReturnValue:
    session = get_session()
    form = _filter_form()
    page = queries.rmas_page(
        session, form.to_filter(), form.page_number, current_app.config["PAGE_SIZE"]
    )
    page = queries.with_workflow_facts(session, page)
    if not wants_fragment():  # the results fragment needs no options: one query less
        form.set_options(
            sorted(queries.state_labels(session).items(), key=lambda item: str(item[1])),
            queries.return_type_options(session),
            queries.sales_rep_options(session),
        )
    return render(
        "admin/rmas.html",
        fragment="admin/_rmas.html",
        form=form,
        page=page,
        resolutions=RESOLUTION_LABELS,
    )


def _export_filters() -> queries.RmaFilter:
    form = _filter_form()
    refuse_filters(form)
    return form.to_filter()


@reads_only
def rmas_csv() -> ResponseReturnValue:
    headers = header_style(request.args)
    rows = queries.rma_csv_rows(get_session(), _export_filters())
    return csv_response(csv_text(rma_csv(rows, headers)), "rmas.csv")


@reads_only
def rmas_json() -> ResponseReturnValue:
    """The RMA CSV's rows as JSON records keyed by its column codes."""
    rows = queries.rma_csv_rows(get_session(), _export_filters())
    records = json_records(rma_csv(rows, HeaderStyle.CODES))
    return download_response(records, "rmas.json", "application/json")


@reads_only
def rma_lines_csv() -> ResponseReturnValue:
    headers = header_style(request.args)
    rows = queries.rma_line_csv_rows(get_session(), _export_filters())
    return csv_response(csv_text(rma_line_csv(rows, headers)), "rma_lines.csv")


def rma_resolve(number: str) -> ResponseReturnValue:
    session = get_session()
    rma = load_rma(session, current_user, number)
    credits.load_pricing(session, rma)
    executable = executable_resolutions(session, rma, current_user)
    form = resolve_form(rma, executable)
    error = None
    if form.validate_on_submit():
        try:
            resolve_rma(session, rma, current_user, form.resolution.data, form.comment.data or "")
        except AlreadyResolved as done:
            flash(str(done), "info")
            return redirect(url_for("rmas.detail", number=rma.number), 303)
        except (ResolutionError, TransitionRefused) as refused:
            discard_failed_work()  # the page shows the RMA as it was
            error = _refused_in_place(rma, form, refused)
        else:
            flash(_resolved_message(rma, credit_memo_of(session, rma)), "success")
            return redirect(url_for("rmas.detail", number=rma.number), 303)
    status = 422 if error or form.errors else 200
    context = _resolve_context(session, rma, form, executable)
    return render("admin/resolve.html", http_status=status, error=error, **context)


def _refused_in_place(
    rma: Rma, form: ResolveForm, refused: ResolutionError | TransitionRefused
) -> str | None:
    """The refusal's words above the form, or under the comment when it is about that."""
    if isinstance(refused, TransitionRefused):
        return refusal_words(rma, refused)
    if refused.field == "comment":
        form.comment.errors.append(str(refused))
        return None
    return str(refused)


def _resolved_message(rma: Rma, memo: CreditMemo | None) -> str:
    label = resolution_label(rma.resolution or "")
    if memo is None:
        return _("%(number)s resolved: %(resolution)s.", number=rma.number, resolution=label)
    return _(
        "%(number)s resolved: %(resolution)s. Credit memo %(memo)s for %(amount)s written to "
        "the ledger.",
        number=rma.number,
        resolution=label,
        memo=memo.number,
        amount=money(memo.amount, memo.currency),
    )


def _resolve_context(
    session: Session, rma: Rma, form: ResolveForm, executable: list[str]
) -> dict[str, Any]:
    compiled_state = queries.workflow_facts(session, rma)
    resolvable = compiled_state.resolvable
    return {
        "rma": rma,
        "form": form,
        "state_label": compiled_state.label,
        "resolvable": resolvable,
        "executable": executable,
        "requested": rma.requested_resolution,
        "requested_label": resolution_label(rma.requested_resolution or ""),
        "previews": credits.resolution_previews(rma, executable) if resolvable else [],
        "estimate": estimate_for_reported_condition(rma),
        "final": credit_for(rma),
        "memo": credit_memo_of(session, rma),
        "replacement": credits.replacement_preview(rma),
    }


def replacement_orders() -> ResponseReturnValue:
    session = get_session()
    form = ReplacementOrderFilterForm(request.args)
    form.validate()
    page = fulfilment.replacement_orders_page(
        session, form.to_filter(), form.page_number, current_app.config["PAGE_SIZE"]
    )
    return render(
        "admin/replacement_orders.html",
        fragment="admin/_rmas_replacement_orders.html",
        form=form,
        page=page,
        to_fulfil=fulfilment.orders_to_fulfil_count(session),
    )


def replacement_orders_export() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    text = export_orders_to_fulfil(get_session())
    name = f"replacement-orders-{utcnow():%Y%m%d-%H%M%S}.csv"
    return csv_response([text], name)
