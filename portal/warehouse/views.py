"""The warehouse area: stock by grade (receiving and grading arrive with RMAs)."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from sqlalchemy import select

from models import Grade, Role, Warehouse
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.forms import choices
from portal.warehouse.forms import StockFilterForm
from portal.warehouse.queries import stock_by_grade, stock_lines
from portal.web import render_page

bp = Blueprint("warehouse", __name__)
restrict_blueprint(bp, Role.WAREHOUSE, Role.ADMIN)


@bp.route("/")
def home():
    session = get_session()
    form = StockFilterForm(request.args)
    warehouses = session.scalars(select(Warehouse).order_by(Warehouse.code)).all()
    form.warehouse.choices = choices(
        [("", "All warehouses")] + [(str(w.id), w.name) for w in warehouses]
    )
    valid = form.validate()
    page = stock_lines(
        session,
        warehouse_id=int(form.warehouse.data) if valid and form.warehouse.data else None,
        grade=Grade(form.grade.data) if valid and form.grade.data else None,
        sku=form.sku.data or "",
        page=form.page.data if valid and form.page.data else 1,
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_page(
        "warehouse/home.html",
        fragment="warehouse/_stock_lines.html",
        totals=stock_by_grade(session),
        grades=list(Grade),
        form=form,
        page=page,
    )
