"""The request flow's pages: My RMAs, starting a request, the draft page, submit, discard.

The HTMX endpoints that edit a draft are in ``portal.requests.editing`` and
``portal.requests.photos``, on the same blueprint. A retailer always acts for their own
account; a rep picks one of theirs.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from models import RetailerAccount, Role
from models.base import utcnow
from portal.db import get_session
from portal.forms import choices
from portal.inputs.numbers import parse_id
from portal.requests import (
    editing,  # noqa: F401  (loading it registers its routes on the blueprint)
    operations,
    photos,  # noqa: F401  (loading it registers its routes on the blueprint)
    uploads,
)
from portal.requests.blueprint import bp
from portal.requests.errors import RequestError
from portal.requests.forms import (
    AccountSearchForm,
    ConfirmForm,
    RmaFilterForm,
    StartForm,
    SubmitForm,
)
from portal.requests.listing import RmaFilter, list_options, rma_list, state_labels
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


def rma_page_url(number: str) -> str:
    """The RMA's own page (the RMA page area's endpoint)."""
    return url_for("rmas.detail", number=number)


@bp.route("/")
def index():
    """My RMAs: drafts to resume and submitted requests, filtered and paginated."""
    session = get_session()
    form = RmaFilterForm(request.args)
    labels = state_labels(session)
    options = list_options(session, current_user, labels)
    form.state.choices = choices([("", "Any state"), *options.states])
    form.return_type.choices = choices([("", "Any return type"), *options.return_types])
    form.account.choices = choices([("", "All my accounts"), *options.accounts])
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


def _rma_filter(form: RmaFilterForm) -> RmaFilter:
    return RmaFilter(
        text=(form.q.data or "")[:100],
        state=form.state.data or "",
        return_type_id=int(form.return_type.data) if form.return_type.data else None,
        account_id=int(form.account.data) if form.account.data else None,
        created_from=form.created_from.data,
        created_to=form.created_to.data,
    )


@bp.route("/new")
def start():
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


def _account_picker():
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


@bp.route("/new", methods=["POST"])
def create():
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
        session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".start", account=account.id), 303)
    session.commit()
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


@bp.route("/<number:number>")
def draft(number: str):
    session = get_session()
    rma = load_request(session, current_user, number)
    if rma.submitted_at is not None:
        return redirect(rma_page_url(rma.number), 303)
    return render_draft_page(session, rma)


@bp.route("/<number:number>/submit", methods=["POST"])
def submit(number: str):
    session = get_session()
    rma = load_request(session, current_user, number)
    form = SubmitForm()
    form.set_resolutions(rma.return_type)
    if not form.validate_on_submit():
        message = "The form was incomplete. Reload the page and submit again."
        return render_draft_page(session, rma, 422, submit_error=message)
    key = form.idempotency_key.data
    payload = SubmitPayload(rma.number, form.resolution.data or "", form.digest.data)
    try:
        submitted = submit_request(
            session, current_user, rma, key=key, payload=payload, today=today(), now=utcnow()
        )
        session.commit()
    except KeyReused as error:
        session.rollback()
        abort(409, description=str(error))
    except (TransitionConflict, IntegrityError):
        # Another post with this key (a double click) won the race: show what it submitted.
        session.rollback()
        submitted = _submitted_meanwhile(key, payload)
    except RequestError as error:
        session.rollback()
        if rma.submitted_at is not None:
            flash(str(error), "info")
            return redirect(rma_page_url(rma.number), 303)
        return render_draft_page(session, rma, 422, submit_error=str(error))
    flash(f"{submitted.number} has been submitted.", "success")
    return redirect(rma_page_url(submitted.number), 303)


def _submitted_meanwhile(key: str, payload: SubmitPayload):
    try:
        submitted = submitted_with_key(get_session(), key, payload)
    except KeyReused as error:
        abort(409, description=str(error))
    if submitted is None:
        abort(409)
    return submitted


@bp.route("/<number:number>/discard", methods=["POST"])
def discard(number: str):
    session = get_session()
    rma = load_request(session, current_user, number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        stored = operations.discard_draft(session, current_user, rma)
    except RequestError as error:
        session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".index"), 303)
    session.commit()
    uploads.discard(current_app.config["UPLOAD_FOLDER"], stored)
    flash(f"Draft {number} discarded.", "success")
    return redirect(url_for(".index"), 303)
