"""The request flow: My RMAs, starting a request, the draft page, submit, discard, and the
URL table of every page of the area (editing a draft: ``views_editing``; photos:
``views_photos``).

Retailers act for their own account, sales reps for the accounts assigned to them (a rep
picks one). Admins are not let in: the workflows' ``submit`` transitions are the
retailer's and the rep's, so an admin could build a draft but never send it.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from models import RetailerAccount, Rma, Role
from models.base import utcnow
from portal.auth.access import restrict_blueprint
from portal.csv_export import csv_response, csv_text, download_response, json_records
from portal.csv_headers import HeaderStyle, header_style
from portal.db import discard_failed_work, get_session, reads_only
from portal.forms import choices, refuse_filters
from portal.inputs.numbers import parse_id
from portal.requests import operations, views_editing, views_photos
from portal.requests.display import DISPLAY_HELPERS
from portal.requests.errors import RequestError
from portal.requests.files import discard_once_committed
from portal.requests.forms import (
    AccountSearchForm,
    ConfirmForm,
    RmaFilterForm,
    StartForm,
    SubmitForm,
)
from portal.requests.list_csv import rma_list_csv
from portal.requests.listing import (
    ListOptions,
    RmaFilter,
    list_options,
    rma_export,
    rma_list,
    state_labels,
)
from portal.requests.queries import (
    accounts_page,
    load_request,
    load_startable_type,
    startable_return_types,
)
from portal.requests.rendering import render_draft_page, today
from portal.requests.submission import KeyReused, SubmitPayload, submit_request, submitted_with_key
from portal.scope import load_account
from portal.web import render
from workflow_designer.policy import describe_policy
from workflow_designer.runtime.firing import TransitionConflict

__all__ = ["bp"]

bp = Blueprint("requests", __name__)
restrict_blueprint(bp, Role.RETAILER, Role.SALES_REP)


def rma_page_url(number: str) -> str:
    """The RMA's own page (the RMA page area's endpoint)."""
    return url_for("rmas.detail", number=number)


def index() -> ResponseReturnValue:
    """My RMAs: drafts to resume and submitted requests, filtered and paginated."""
    session = get_session()
    form = RmaFilterForm(request.args)
    labels = state_labels(session)
    _set_filter_choices(form, list_options(session, current_user, labels))
    if form.validate():
        filters = _rma_filter(form)
    else:  # the search text still applies, unless it is the field that is wrong
        filters = RmaFilter(text="" if form.q.errors else (form.q.data or "")[:100])
    page = rma_list(
        session, current_user, filters, labels, form.page_number, current_app.config["PAGE_SIZE"]
    )
    return render(
        "requests/index.html",
        fragment="requests/_list.html",
        form=form,
        page=page,
        show_account=current_user.role is not Role.RETAILER,
        confirm_form=ConfirmForm(formdata=None),
    )


def _export_filters() -> tuple[RmaFilter, dict[tuple[int, str], str]]:
    """The list's filters for a download: one that is not understood is refused (400)."""
    session = get_session()
    form = RmaFilterForm(request.args)
    labels = state_labels(session)
    _set_filter_choices(form, list_options(session, current_user, labels))
    form.validate()
    refuse_filters(form)
    return _rma_filter(form), labels


@reads_only
def index_csv() -> ResponseReturnValue:
    """Every RMA the filtered list shows, over all its pages, as CSV."""
    headers = header_style(request.args)
    filters, labels = _export_filters()
    rows = rma_export(get_session(), current_user, filters, labels)
    return csv_response(csv_text(rma_list_csv(rows, headers)), "my-rmas.csv")


@reads_only
def index_json() -> ResponseReturnValue:
    """The CSV's rows as JSON records keyed by its column codes."""
    filters, labels = _export_filters()
    rows = rma_export(get_session(), current_user, filters, labels)
    records = json_records(rma_list_csv(rows, HeaderStyle.CODES))
    return download_response(records, "my-rmas.json", "application/json")


def _set_filter_choices(form: RmaFilterForm, options: ListOptions) -> None:
    form.state.choices = choices([("", _("Any state")), *options.states])
    form.return_type.choices = choices([("", _("Any return type")), *options.return_types])
    form.account.choices = choices([("", _("All my accounts")), *options.accounts])


def _rma_filter(form: RmaFilterForm) -> RmaFilter:
    return RmaFilter(
        text=(form.q.data or "")[:100],
        state=form.state.data or "",
        return_type_id=int(form.return_type.data) if form.return_type.data else None,
        account_id=int(form.account.data) if form.account.data else None,
        created_from=form.created_from.data,
        created_to=form.created_to.data,
    )


def start() -> ResponseReturnValue:
    """Choose a return type, each with its policy in plain words; a rep picks the account
    first."""
    session = get_session()
    if current_user.role is Role.RETAILER:
        account = load_account(session, current_user, current_user.account_id)
    else:
        account_id = parse_id(request.args.get("account"))
        if account_id is None:
            return _account_picker()
        account = load_account(session, current_user, account_id)
    return_types = startable_return_types(session)
    summaries = {
        t.id: describe_policy(t.policy or {}, account.currency, today()) for t in return_types
    }
    return render_template(
        "requests/start.html",
        account=account,
        return_types=return_types,
        summaries=summaries,
        form=StartForm(formdata=None),
    )


def _account_picker() -> ResponseReturnValue:
    form = AccountSearchForm(request.args)
    valid = form.validate()
    page = accounts_page(
        get_session(),
        current_user,
        (form.q.data or "") if valid else "",
        (form.page.data or 1) if valid else 1,
        current_app.config["PAGE_SIZE"],
    )
    return render(
        "requests/accounts.html", fragment="requests/_accounts.html", form=form, page=page
    )


def create() -> ResponseReturnValue:
    form = StartForm()
    return_type_id = parse_id(form.return_type_id.data)
    if not form.validate_on_submit() or return_type_id is None:
        abort(400)
    session = get_session()
    account = _acting_account(form.account_id.data or "")
    return_type = load_startable_type(session, return_type_id)
    try:
        rma = operations.create_draft(session, current_user, account, return_type, utcnow())
    except RequestError as error:
        discard_failed_work()  # shown on the next page: nothing it began is kept
        flash(error.message, "error")
        return redirect(url_for(".start", account=account.id), 303)
    return redirect(url_for(".draft", number=rma.number), 303)


def _acting_account(raw_id: str) -> RetailerAccount:
    """A retailer's own account, whatever was posted; a rep's pick, if it is theirs."""
    session = get_session()
    if current_user.role is Role.RETAILER:
        return load_account(session, current_user, current_user.account_id)
    account_id = parse_id(raw_id)
    if account_id is None:
        abort(404)
    return load_account(session, current_user, account_id)


def draft(number: str) -> ResponseReturnValue:
    session = get_session()
    rma = load_request(session, current_user, number)
    if rma.submitted_at is not None:
        return redirect(rma_page_url(rma.number), 303)
    return render_draft_page(session, rma)


def submit(number: str) -> ResponseReturnValue:
    session = get_session()
    rma = load_request(session, current_user, number)
    form = SubmitForm()
    form.set_resolutions(rma.return_type.resolutions or [])
    if not form.validate_on_submit():
        message = _("The form was incomplete. Reload the page and submit again.")
        return render_draft_page(session, rma, 422, submit_error=message)
    key = form.idempotency_key.data
    payload = SubmitPayload(rma.number, form.resolution.data or "", form.digest.data)
    try:
        submitted = submit_request(
            session, current_user, rma, key=key, payload=payload, today=today(), now=utcnow()
        )
    except KeyReused:
        raise  # a conflict: the one handler answers 409 with its message
    except (TransitionConflict, IntegrityError):
        submitted = _submitted_meanwhile(key, payload)
    except RequestError as error:
        return _not_submitted(rma, error.message)
    flash(_("%(number)s has been submitted.", number=submitted.number), "success")
    return redirect(rma_page_url(submitted.number), 303)


def _submitted_meanwhile(key: str, payload: SubmitPayload) -> Rma:
    """Another post with this key (a double click) won the race: what it submitted."""
    discard_failed_work()
    submitted = submitted_with_key(get_session(), key, payload)  # KeyReused: 409
    if submitted is None:
        abort(409)
    return submitted


def _not_submitted(rma: Rma, message: str) -> ResponseReturnValue:
    discard_failed_work()  # the page shows the draft as stored
    if rma.submitted_at is not None:
        flash(message, "info")
        return redirect(rma_page_url(rma.number), 303)
    return render_draft_page(get_session(), rma, 422, submit_error=message)


def discard(number: str) -> ResponseReturnValue:
    session = get_session()
    rma = load_request(session, current_user, number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        discard_once_committed(operations.discard_draft(session, current_user, rma))
    except RequestError as error:
        discard_failed_work()  # shown on the next page: nothing it began is kept
        flash(error.message, "error")
        return redirect(url_for(".index"), 303)
    flash(_("Draft %(number)s discarded.", number=number), "success")
    return redirect(url_for(".index"), 303)


# --- the URL table -------------------------------------------------------------------------

bp.context_processor(lambda: DISPLAY_HELPERS)
bp.url_value_preprocessor(views_photos.limit_upload_size)
bp.register_error_handler(RequestEntityTooLarge, views_photos.upload_too_large)

DRAFT = "/<number:number>"
GET, POST = ["GET"], ["POST"]
bp.add_url_rule("/", "index", index, methods=GET)
bp.add_url_rule("/rmas.csv", "index_csv", index_csv, methods=GET)
bp.add_url_rule("/rmas.json", "index_json", index_json, methods=GET)
bp.add_url_rule("/new", "start", start, methods=GET)
bp.add_url_rule("/new", "create", create, methods=POST)
bp.add_url_rule(DRAFT, "draft", draft, methods=GET)
bp.add_url_rule(f"{DRAFT}/submit", "submit", submit, methods=POST)
bp.add_url_rule(f"{DRAFT}/discard", "discard", discard, methods=POST)
bp.add_url_rule(f"{DRAFT}/history", "history", views_editing.history, methods=GET)
bp.add_url_rule(f"{DRAFT}/lines", "lines_add", views_editing.lines_add, methods=POST)
LINE = f"{DRAFT}/lines/<id:line_id>"
bp.add_url_rule(LINE, "line_update", views_editing.line_update, methods=POST)
bp.add_url_rule(f"{LINE}/delete", "line_remove", views_editing.line_remove, methods=POST)
bp.add_url_rule(f"{LINE}/photos", "photos_add", views_photos.photos_add, methods=POST)
bp.add_url_rule(
    f"{DRAFT}/photos/<id:attachment_id>/delete",
    "photo_remove",
    views_photos.photo_remove,
    methods=POST,
)
bp.add_url_rule(
    f"{DRAFT}/replacements/search",
    "replacement_search",
    views_editing.replacement_search,
    methods=GET,
)
bp.add_url_rule(
    f"{DRAFT}/replacements", "replacements_set", views_editing.replacements_set, methods=POST
)
bp.add_url_rule(
    f"{DRAFT}/exception", "exception_request", views_editing.exception_request, methods=POST
)
bp.add_url_rule(
    f"{DRAFT}/exception/withdraw",
    "exception_withdraw",
    views_editing.exception_withdraw,
    methods=POST,
)
