"""The outbox, for admins: e-mails by status, and retrying the ones the worker parked."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from models import OutboxStatus, Role
from models.base import utcnow
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.notifications import operations
from portal.notifications.forms import (
    EMPTY_LABELS,
    STATUS_LABELS,
    ConfirmForm,
    OutboxFilterForm,
)
from portal.notifications.queries import load_outbox_message, outbox_counts, outbox_page
from portal.web import render

bp = Blueprint("outbox", __name__)
restrict_blueprint(bp, Role.ADMIN)


def index() -> ResponseReturnValue:
    session = get_session()
    form = OutboxFilterForm(request.args)
    valid = form.validate()
    status = OutboxStatus(form.status.data) if valid else OutboxStatus.PARKED
    page = outbox_page(
        session, status, form.page.data or 1 if valid else 1, current_app.config["PAGE_SIZE"]
    )
    return render(
        "notifications/outbox.html",
        fragment="notifications/_outbox.html",
        form=form,
        status=status,
        page=page,
        counts=outbox_counts(session),
        statuses=list(OutboxStatus),
        confirm=ConfirmForm(),
        status_labels=STATUS_LABELS,
        empty_labels=EMPTY_LABELS,
    )


def retry(message_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = get_session()
    message = load_outbox_message(session, message_id)
    try:
        operations.retry_message(session, message, utcnow())
    except operations.OutboxError as error:
        flash(str(error), "error")
    else:
        flash(
            _(
                "Message %(id)s to %(address)s queued again.",
                id=message_id,
                address=message.recipient_address,
            ),
            "success",
        )
    return redirect(url_for(".index", status=OutboxStatus.PARKED.value), 303)


def retry_parked() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = operations.retry_all_parked(get_session(), utcnow())
    flash(
        ngettext(
            "%(num)d parked message queued again.", "%(num)d parked messages queued again.", count
        ),
        "success",
    )
    return redirect(url_for(".index", status=OutboxStatus.PARKED.value), 303)


# The URL table: every route of the area, its endpoint name and its methods.
bp.add_url_rule("/", "index", index, methods=["GET"])
bp.add_url_rule("/<id:message_id>/retry", "retry", retry, methods=["POST"])
bp.add_url_rule("/retry-parked", "retry_parked", retry_parked, methods=["POST"])
