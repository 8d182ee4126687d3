"""Stock reads for warehouse staff."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from models import Grade, InventoryLevel, Product, Warehouse
from portal.pagination import Page, paginate


@dataclass(frozen=True)
class GradeTotals:
    warehouse: Warehouse
    units: dict[Grade, int]
    skus: dict[Grade, int]


def stock_by_grade(session: Session) -> list[GradeTotals]:
    """Units and distinct SKUs per warehouse and grade, in one query."""
    warehouses = session.scalars(
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
    units: dict[int, dict[Grade, int]] = {w.id: {} for w in warehouses}
    skus: dict[int, dict[Grade, int]] = {w.id: {} for w in warehouses}
    for warehouse_id, grade, total, count in rows:
        units[warehouse_id][grade] = int(total)
        skus[warehouse_id][grade] = count
    return [GradeTotals(w, units[w.id], skus[w.id]) for w in warehouses]


def stock_lines(
    session: Session,
    warehouse_id: int | None,
    grade: Grade | None,
    sku: str,
    page: int,
    per_page: int,
) -> Page:
    query = (
        select(InventoryLevel, Product, Warehouse)
        .join(Product, InventoryLevel.product_id == Product.id)
        .join(Warehouse, InventoryLevel.warehouse_id == Warehouse.id)
        .where(InventoryLevel.quantity > 0)
        .order_by(Warehouse.code, InventoryLevel.grade, Product.sku)
    )
    if warehouse_id:
        query = query.where(InventoryLevel.warehouse_id == warehouse_id)
    if grade:
        query = query.where(InventoryLevel.grade == grade)
    if sku:
        query = query.where(Product.sku.startswith(sku.strip().upper(), autoescape=True))
    return paginate(session, query, page, per_page)
