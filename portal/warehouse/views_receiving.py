"""Receiving a parcel: what arrived per line, and anything that is not on the RMA."""

from __future__ import annotations

import re

from flask import Response, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from models import Rma
from portal.db import get_session
from portal.rmas.queries import load_rma
from portal.warehouse.forms import FormMismatch, ReceiveForm, UnexpectedItemForm, read_receipt
from portal.warehouse.operations import ReceivingError, UnconfirmedReceipt, receive
from portal.warehouse.rendering import (
    refusal_words,
    render_refused,
    render_rma,
)
from portal.web import render
from workflow_designer.runtime.firing import TransitionConflict, TransitionRefused

ROW_KEY = re.compile(r"^unexpected-([0-9]{1,4})-")


def receive_post(number: str) -> ResponseReturnValue:
    session = get_session()
    rma = load_rma(session, current_user, number)
    form = ReceiveForm()
    try:
        receipt = read_receipt(session, rma, form)
        report = receive(
            session,
            rma,
            current_user,
            receipt.received,
            receipt.unexpected,
            receipt.comment,
            confirmation=receipt.confirmation,
        )
    except UnconfirmedReceipt as unconfirmed:
        # A question, not a refusal: the form comes back with the difference to confirm
        # (receive asks before it records anything, so there is nothing to undo).
        return render_rma(rma, 200, receive_form=form, receive_confirm=unconfirmed)
    except (ReceivingError, TransitionRefused, TransitionConflict) as refused:
        return _refused(rma, form, refused)
    flash(receipt_words(rma.number, report), "success")
    return redirect(url_for("warehouse.rma", number=rma.number), 303)


def _refused(
    rma: Rma, form: ReceiveForm, error: ReceivingError | TransitionRefused | TransitionConflict
) -> Response:
    """The RMA's page with the reason. The posted form comes back unless it no longer
    fits: its rows are not the RMA's lines, or the RMA moved on under it (409)."""
    if isinstance(error, TransitionConflict):
        return render_refused(rma, 409, receive_error=str(error))
    if isinstance(error, FormMismatch):
        return render_refused(rma, 422, receive_error=str(error))
    if isinstance(error, TransitionRefused):
        status = 403 if error.forbidden else 422
        message = refusal_words(rma, error)
        return render_refused(rma, status, receive_form=form, receive_error=message)
    return render_refused(rma, 422, receive_form=form, receive_error=str(error))


def receipt_words(number: str, report: dict) -> str:
    """What receiving flagged, in one sentence for the flash message."""
    parts = []
    if report["short"]:
        parts.append(ngettext("%(num)d line short", "%(num)d lines short", len(report["short"])))
    if report["over"]:
        excess = sum(item["excess"] for item in report["over"])
        parts.append(
            ngettext(
                "%(num)d line over (%(excess)s held apart)",
                "%(num)d lines over (%(excess)s held apart)",
                len(report["over"]),
                excess=excess,
            )
        )
    if report["unexpected"]:
        count = len(report["unexpected"])
        parts.append(ngettext("%(num)d unexpected item", "%(num)d unexpected items", count))
    if not parts:
        return _("%(number)s received as authorized; nothing flagged.", number=number)
    return _("%(number)s received. Flagged: %(parts)s.", number=number, parts=", ".join(parts))


def unexpected_row(number: str) -> Response:
    """One more blank row for the receiving form (htmx); its index follows the rows sent."""
    load_rma(get_session(), current_user, number)
    indexes = [int(match.group(1)) for key in request.args if (match := ROW_KEY.match(key))]
    index = max(indexes, default=-1) + 1
    row = UnexpectedItemForm(formdata=None, prefix=f"unexpected-{index}")
    return render("warehouse/_unexpected_row.html", row=row)
