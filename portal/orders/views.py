"""The order-history view, shared by the retailer, rep and admin areas (each registers
its own route and calls ``render_order_history``)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from models import RetailerAccount
from portal.db import get_session
from portal.forms import choices
from portal.orders.forms import LIFECYCLES, OrderHistoryFilterForm
from portal.orders.queries import order_history, recent_brands_bought, searched_brands
from portal.web import render, wants_fragment


def render_order_history(
    account: RetailerAccount, template: str, endpoint: str, **context: Any
) -> Response:
    """Render ``template`` (or, for HTMX, just its results) for ``account``'s order history."""
    session = get_session()
    form = _filter_form(session, account)
    filters = form.to_filter()
    page_size = current_app.config["PAGE_SIZE"]
    brands = searched_brands(session, filters)
    page = order_history(session, account, filters, form.page_number, page_size, brands=brands)
    return render(
        template,
        fragment="orders/_history_results.html",
        account=account,
        form=form,
        page=page,
        history_endpoint=endpoint,
        lifecycles=LIFECYCLES,
        **context,
    )


def _filter_form(session: Session, account: RetailerAccount) -> OrderHistoryFilterForm:
    form = OrderHistoryFilterForm(request.args)
    if not wants_fragment():  # the results alone do not show the brand menu
        brands = recent_brands_bought(session, account)
        form.brand.choices = choices([("", _("All brands"))] + [(b, b) for b in brands])
    form.validate()
    return form
