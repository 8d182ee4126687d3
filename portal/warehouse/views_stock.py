"""Stock: units by grade per warehouse, and B-stock (graded, not new, returned stock) at
its resale price, as a list and as CSV."""

from __future__ import annotations

from typing import TypeVar

from flask import Response, current_app, request
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from models import Grade
from portal.csv_export import csv_response
from portal.csv_headers import header_style
from portal.db import get_session, reads_only
from portal.forms import choices
from portal.warehouse import stock_queries
from portal.warehouse.forms import BStockFilterForm, StockFilterForm
from portal.warehouse.resale import csv_chunks, resale_lines
from portal.web import render

Filters = TypeVar("Filters", bound=StockFilterForm)


def home() -> Response:
    session = get_session()
    form = _filter_form(session, StockFilterForm)
    filters, page_number = form.selection()
    per_page = current_app.config["PAGE_SIZE"]
    page = stock_queries.stock_lines(session, filters, page=page_number, per_page=per_page)
    return render(
        "warehouse/home.html",
        fragment="warehouse/_stock_lines.html",
        totals=stock_queries.stock_by_grade(session),
        grades=list(Grade),
        form=form,
        page=page,
    )


def b_stock() -> Response:
    session = get_session()
    form = _b_stock_form(session)
    filters, page_number = form.selection()
    discounts = current_app.config["B_STOCK_DISCOUNTS"]
    page = stock_queries.b_stock_page(
        session, filters, page_number, current_app.config["PAGE_SIZE"]
    )
    return render(
        "warehouse/b_stock.html",
        fragment="warehouse/_b_stock_lines.html",
        form=form,
        page=page,
        lines=resale_lines(page.items, discounts),
        discounts=[(g, discounts.get(g.value)) for g in stock_queries.B_STOCK_GRADES],
    )


@reads_only
def b_stock_csv() -> Response:
    """Every row the filters select (not just one page), streamed."""
    headers = header_style(request.args)
    session = get_session()
    filters, _page = _b_stock_form(session).selection()
    rows = stock_queries.b_stock_rows(session, filters)
    chunks = csv_chunks(rows, current_app.config["B_STOCK_DISCOUNTS"], headers)
    return csv_response(chunks, "b-stock.csv")


def _filter_form(session: Session, form_class: type[Filters]) -> Filters:
    """The filter form of the query string, its warehouses read from the data."""
    form = form_class(request.args)
    warehouses = [(str(w.id), w.name) for w in stock_queries.warehouses(session)]
    form.warehouse.choices = choices([("", _("All warehouses")), *warehouses])
    return form


def _b_stock_form(session: Session) -> BStockFilterForm:
    form = _filter_form(session, BStockFilterForm)
    form.brand.choices = choices(
        [("", _("All brands"))] + [(b, b) for b in stock_queries.b_stock_brands(session)]
    )
    return form
