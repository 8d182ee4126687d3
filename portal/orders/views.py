"""The order-history view, shared by the retailer, rep and admin areas."""

from __future__ import annotations

from flask import current_app, request

from models import RetailerAccount
from portal.db import get_session
from portal.forms import choices
from portal.orders.forms import OrderHistoryFilterForm
from portal.orders.queries import brands_bought, order_history
from portal.web import render_page


def render_order_history(account: RetailerAccount, template: str, endpoint: str, **context):
    """Render ``template`` (or, for HTMX, just its results) for ``account``'s order history."""
    session = get_session()
    form = OrderHistoryFilterForm(request.args)
    form.brand.choices = choices(
        [("", "All brands")] + [(b, b) for b in brands_bought(session, account)]
    )
    form.validate()
    page = order_history(
        session, account, form.to_filter(), form.page_number, current_app.config["PAGE_SIZE"]
    )
    return render_page(
        template,
        fragment="orders/_history_results.html",
        account=account,
        form=form,
        page=page,
        history_endpoint=endpoint,
        **context,
    )
