"""Stock reads for warehouse staff: totals by grade, stock lines, and B-stock for resale."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from models import Grade, InventoryLevel, Product, Warehouse
from portal.pagination import Page, paginate
from workflow_designer.policy.vocabulary import B_STOCK_GRADES as B_STOCK_GRADES

CSV_BATCH = 1000


@dataclass(frozen=True)
class GradeTotals:
    warehouse: Warehouse
    units: dict[Grade, int]
    skus: dict[Grade, int]


@dataclass(frozen=True)
class StockFilters:
    warehouse_id: int | None = None
    grade: Grade | None = None
    brand: str = ""
    sku: str = ""


def warehouses(session: Session) -> list[Warehouse]:
    return list(session.scalars(select(Warehouse).order_by(Warehouse.code)))


def stock_by_grade(session: Session) -> list[GradeTotals]:
    """Units and distinct SKUs per warehouse and grade, in one query."""
    rows_of_warehouses = session.scalars(
        select(Warehouse).options(selectinload(Warehouse.return_addresses)).order_by(Warehouse.code)
    ).all()
    rows = session.execute(
        select(
            InventoryLevel.warehouse_id,
            InventoryLevel.grade,
            func.sum(InventoryLevel.quantity),
            func.count(InventoryLevel.product_id),
        )
        .where(InventoryLevel.quantity > 0)
        .group_by(InventoryLevel.warehouse_id, InventoryLevel.grade)
    ).all()
    units: dict[int, dict[Grade, int]] = {w.id: {} for w in rows_of_warehouses}
    skus: dict[int, dict[Grade, int]] = {w.id: {} for w in rows_of_warehouses}
    for warehouse_id, grade, total, count in rows:
        units[warehouse_id][grade] = int(total)
        skus[warehouse_id][grade] = count
    return [GradeTotals(w, units[w.id], skus[w.id]) for w in rows_of_warehouses]


def _filtered(query: Select, filters: StockFilters) -> Select:
    if filters.warehouse_id:
        query = query.where(InventoryLevel.warehouse_id == filters.warehouse_id)
    if filters.grade:
        query = query.where(InventoryLevel.grade == filters.grade)
    if filters.brand:
        query = query.where(Product.brand == filters.brand)
    if filters.sku:
        sku = filters.sku.strip().upper()
        query = query.where(Product.sku.startswith(sku, autoescape=True))
    return query


def _levels() -> Select:
    return (
        select(InventoryLevel, Product, Warehouse)
        .join(Product, InventoryLevel.product_id == Product.id)
        .join(Warehouse, InventoryLevel.warehouse_id == Warehouse.id)
        .where(InventoryLevel.quantity > 0)
    )


def stock_lines(session: Session, filters: StockFilters, page: int, per_page: int) -> Page:
    query = _filtered(_levels(), filters).order_by(
        Warehouse.code, InventoryLevel.grade, Product.sku
    )
    return paginate(session, query, page, per_page)


def _b_stock(filters: StockFilters) -> Select:
    query = _levels().where(InventoryLevel.grade.in_(B_STOCK_GRADES))
    return _filtered(query, filters).order_by(
        Product.brand, Product.sku, InventoryLevel.grade, Warehouse.code
    )


def b_stock_page(session: Session, filters: StockFilters, page: int, per_page: int) -> Page:
    """Graded (not new) stock, one row per product, warehouse and grade."""
    return paginate(session, _b_stock(filters), page, per_page)


def b_stock_rows(session: Session, filters: StockFilters) -> Iterator[tuple]:
    """Every B-stock row matching ``filters``, fetched in batches (for the CSV export)."""
    result = session.execute(_b_stock(filters).execution_options(yield_per=CSV_BATCH))
    for row in result:
        yield tuple(row)


def b_stock_brands(session: Session) -> list[str]:
    """Brands that have B-stock, for the brand filter."""
    return list(
        session.scalars(
            select(Product.brand)
            .join(InventoryLevel, InventoryLevel.product_id == Product.id)
            .where(InventoryLevel.grade.in_(B_STOCK_GRADES), InventoryLevel.quantity > 0)
            .distinct()
            .order_by(Product.brand)
        )
    )
