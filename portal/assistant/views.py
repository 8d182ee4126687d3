"""The rotation assistant: which frames to rotate out and which to take in, for a
retailer's own account or a rep's assigned one, and the one click that drafts it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from models import RetailerAccount, Rma, Role
from models.base import utcnow
from portal.assistant import operations
from portal.assistant.forms import RotationForm
from portal.assistant.page import assistant_page
from portal.assistant.queries import rotation_type
from portal.auth.access import restrict_blueprint
from portal.db import discard_failed_work, get_session
from portal.requests.errors import RequestError
from portal.requests.rendering import today
from portal.scope import load_account
from portal.web import render

__all__ = ["bp"]

bp = Blueprint("assistant", __name__)
restrict_blueprint(bp, Role.RETAILER, Role.SALES_REP)


def home() -> ResponseReturnValue:
    """A retailer's own account; a rep picks one of theirs from their accounts."""
    if current_user.role is not Role.RETAILER:
        return redirect(url_for("reps.home"), 303)
    return _page(load_account(get_session(), current_user, current_user.account_id))


def account(account_id: int) -> ResponseReturnValue:
    return _page(load_account(get_session(), current_user, account_id))


def _page(account: RetailerAccount) -> ResponseReturnValue:
    page = assistant_page(get_session(), account, today())
    return render("assistant/page.html", page=page)


def draft(account_id: int) -> ResponseReturnValue:
    """One click: a rotation draft of the ticked frames and replacements (a rep may send it
    to the retailer); then the draft page's live policy panel confirms it."""
    session = get_session()
    account = load_account(session, current_user, account_id)
    form = RotationForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        rma = _build(account, form)
    except RequestError as error:
        discard_failed_work()  # shown on the next page: nothing it began is kept
        flash(error.message, "error")
        return redirect(url_for(".account", account_id=account.id), 303)
    return redirect(url_for("requests.draft", number=rma.number), 303)


def _build(account: RetailerAccount, form: RotationForm) -> Rma:
    session, day = get_session(), today()
    return_type = rotation_type(session)
    if return_type is None:
        raise RequestError(_("No stock rotation can be requested at the moment."))
    lines, products = form.lines.data or [], form.products.data or []
    rma = operations.build_rotation_draft(
        session, current_user, account, return_type, lines, products, day, utcnow()
    )
    if form.send.data and current_user.role is Role.SALES_REP:
        sent = operations.send_to_retailer(session, current_user, rma)
        message = ngettext(
            "%(number)s was sent to %(num)d retailer user.",
            "%(number)s was sent to %(num)d retailer users.",
            sent,
            number=rma.number,
        )
        flash(message, "success")
    return rma


bp.add_url_rule("/", "home", home, methods=["GET"])
bp.add_url_rule("/accounts/<id:account_id>", "account", account, methods=["GET"])
bp.add_url_rule("/accounts/<id:account_id>/draft", "draft", draft, methods=["POST"])
