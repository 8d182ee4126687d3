"""The order-history view, shared by the retailer, rep and admin areas."""

from __future__ import annotations

from flask import current_app, request

from models import RetailerAccount
from portal.caching import app_cache
from portal.db import get_session
from portal.forms import choices
from portal.orders.forms import OrderHistoryFilterForm
from portal.orders.queries import brands_bought, catalog_brands, order_history
from portal.web import render, wants_fragment

# The brand menu lists the brands an account bought: a pass over all its invoice lines
# (10–14 ms for 16,000 lines) for a list only an import changes. Kept a few minutes, as
# is the catalog's list of brands that a search matches its text against.
BRANDS_TTL = 300.0


def render_order_history(account: RetailerAccount, template: str, endpoint: str, **context):
    """Render ``template`` (or, for HTMX, just its results) for ``account``'s order history."""
    session = get_session()
    form = OrderHistoryFilterForm(request.args)
    if not wants_fragment():  # the results alone do not show the brand menu
        brands = app_cache("brands_bought", BRANDS_TTL).get(
            account.id, lambda: brands_bought(session, account)
        )
        form.brand.choices = choices([("", "All brands")] + [(b, b) for b in brands])
    form.validate()
    filters = form.to_filter()
    searched_brands = None  # a search matches its text against the catalog's brands
    if filters.text:
        searched_brands = app_cache("catalog_brands", BRANDS_TTL).get(
            None, lambda: catalog_brands(session)
        )
    page = order_history(
        session,
        account,
        filters,
        form.page_number,
        current_app.config["PAGE_SIZE"],
        brands=searched_brands,
    )
    return render(
        template,
        fragment="orders/_history_results.html",
        account=account,
        form=form,
        page=page,
        history_endpoint=endpoint,
        **context,
    )
