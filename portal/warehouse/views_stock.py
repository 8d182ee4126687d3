"""B-stock: graded (not new) returned stock at its resale price, as a list and as CSV."""

from __future__ import annotations

from flask import current_app, request

from models import Grade
from portal.csv_export import csv_response
from portal.db import get_session, reads_only
from portal.forms import choices
from portal.warehouse import stock_queries
from portal.warehouse.forms import BStockFilterForm
from portal.warehouse.resale import csv_chunks, resale_lines
from portal.warehouse.views import bp
from portal.web import render


def _filters() -> tuple[BStockFilterForm, stock_queries.StockFilters, int]:
    """The filter form (choices from the data) and what it validly asks for."""
    session = get_session()
    form = BStockFilterForm(request.args)
    form.warehouse.choices = choices(
        [("", "All warehouses")] + [(str(w.id), w.name) for w in stock_queries.warehouses(session)]
    )
    form.brand.choices = choices(
        [("", "All brands")] + [(b, b) for b in stock_queries.b_stock_brands(session)]
    )
    if not form.validate():
        return form, stock_queries.StockFilters(), 1
    filters = stock_queries.StockFilters(
        warehouse_id=int(form.warehouse.data) if form.warehouse.data else None,
        grade=Grade(form.grade.data) if form.grade.data else None,
        brand=form.brand.data or "",
        sku=form.sku.data or "",
    )
    return form, filters, form.page.data or 1


@bp.route("/b-stock")
def b_stock():
    form, filters, page_number = _filters()
    discounts = current_app.config["B_STOCK_DISCOUNTS"]
    page = stock_queries.b_stock_page(
        get_session(), filters, page_number, current_app.config["PAGE_SIZE"]
    )
    return render(
        "warehouse/b_stock.html",
        fragment="warehouse/_b_stock_lines.html",
        form=form,
        page=page,
        lines=resale_lines(page.items, discounts),
        discounts=[(g, discounts.get(g.value)) for g in stock_queries.B_STOCK_GRADES],
    )


@bp.route("/b-stock.csv")
@reads_only
def b_stock_csv():
    """Every row the filters select (not just one page), streamed."""
    _form, filters, _page = _filters()
    rows = stock_queries.b_stock_rows(get_session(), filters)
    chunks = csv_chunks(rows, current_app.config["B_STOCK_DISCOUNTS"])
    return csv_response(chunks, "b-stock.csv")
