"""Receiving a parcel: what arrived per line, and anything that is not on the RMA."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.db import get_session
from portal.rmas.queries import load_rma
from portal.warehouse import queries
from portal.warehouse.forms import ReceiveForm, UnexpectedItemForm
from portal.warehouse.operations import (
    ReceivingError,
    UnconfirmedReceipt,
    Unexpected,
    receive,
)
from portal.warehouse.views import bp
from portal.warehouse.views_rma import (
    FORBIDDEN_REFUSALS,
    line_entries,
    refusal_words,
    render_rma,
)
from workflow_designer.runtime.firing import TransitionConflict, TransitionRefused

ROW_KEY = re.compile(r"^unexpected-([0-9]{1,4})-")


@bp.route("/rmas/<number:number>/receive", methods=["POST"])
def receive_post(number: str):
    session = get_session()
    rma = load_rma(session, current_user, number)
    form = ReceiveForm()
    valid = form.validate_on_submit()
    if set(line_entries(form)) != {line.id for line in rma.lines}:
        # A tampered form, or lines changed since it was opened: start again from the RMA
        # (the posted form cannot be shown again: its rows are not this RMA's lines).
        message = "The form does not match this RMA's lines. Check the quantities again."
        return render_rma(rma, 422, receive_error=message)
    if not valid:
        return render_rma(rma, 422, receive_form=form, receive_error="Check the marked fields.")
    unexpected = _unexpected(form)
    if unexpected is None:
        return render_rma(rma, 422, receive_form=form, receive_error="Check the marked fields.")
    received = {line_id: entry.quantity.data for line_id, entry in line_entries(form).items()}
    try:
        report = receive(
            session,
            rma,
            current_user,
            received,
            unexpected,
            form.comment.data or "",
            confirmation=form.confirm.data or "",
        )
    except UnconfirmedReceipt as unconfirmed:
        # A question, not a refusal: the form comes back with the difference to confirm.
        session.rollback()
        return render_rma(rma, 200, receive_form=form, receive_confirm=unconfirmed)
    except ReceivingError as error:
        session.rollback()
        return render_rma(rma, 422, receive_form=form, receive_error=str(error))
    except TransitionRefused as refused:
        session.rollback()
        status = 403 if refused.refusal in FORBIDDEN_REFUSALS else 422
        message = refusal_words(rma, refused)
        return render_rma(rma, status, receive_form=form, receive_error=message)
    except TransitionConflict as conflict:
        session.rollback()
        return render_rma(load_rma(session, current_user, number), 409, receive_error=str(conflict))
    session.commit()
    flash(receipt_words(rma.number, report), "success")
    return redirect(url_for("warehouse.rma", number=rma.number), 303)


def _unexpected(form: ReceiveForm) -> list[Unexpected] | None:
    """The filled-in rows as items, SKUs resolved to products; None (with the errors on
    the rows) when a SKU is unknown."""
    rows = [entry.form for entry in form.unexpected if not entry.form.is_blank]
    products = queries.products_by_sku(get_session(), [row.sku.data for row in rows])
    items, valid = [], True
    for row in rows:
        product = products.get((row.sku.data or "").upper()) if row.sku.data else None
        if row.sku.data and product is None:
            row.sku.errors.append(
                f"No product has SKU {row.sku.data}; leave it empty and describe the item."
            )
            valid = False
            continue
        description = row.description.data or _describe(product)
        items.append(Unexpected(description, row.quantity.data, product.id if product else None))
    return items if valid else None


def _describe(product) -> str:
    return f"{product.sku} {product.brand} {product.model}, {product.colour}, {product.size}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def receipt_words(number: str, report: dict) -> str:
    """What receiving flagged, in one sentence for the flash message."""
    parts = []
    if report["short"]:
        parts.append(_plural(len(report["short"]), "line") + " short")
    if report["over"]:
        excess = sum(item["excess"] for item in report["over"])
        parts.append(_plural(len(report["over"]), "line") + f" over ({excess} held apart)")
    if report["unexpected"]:
        parts.append(_plural(len(report["unexpected"]), "unexpected item"))
    if not parts:
        return f"{number} received as authorized; nothing flagged."
    return f"{number} received. Flagged: {', '.join(parts)}."


@bp.route("/rmas/<number:number>/unexpected-row")
def unexpected_row(number: str):
    """One more blank row for the receiving form (htmx); its index follows the rows sent."""
    load_rma(get_session(), current_user, number)
    indexes = [int(match.group(1)) for key in request.args if (match := ROW_KEY.match(key))]
    index = max(indexes, default=-1) + 1
    row = UnexpectedItemForm(formdata=None, prefix=f"unexpected-{index}")
    return render_template("warehouse/_unexpected_row.html", row=row)
