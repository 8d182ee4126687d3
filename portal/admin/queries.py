"""Admin reads: everything, searchable and paginated."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import Product, RetailerAccount, User
from portal.pagination import Page, paginate
from portal.search import matches_text


def accounts_page(session: Session, text: str, page: int, per_page: int) -> Page:
    query = (
        select(RetailerAccount)
        .options(joinedload(RetailerAccount.sales_rep))
        .order_by(RetailerAccount.number)
    )
    if text:
        query = query.where(matches_text(text, RetailerAccount.number, RetailerAccount.name))
    return paginate(session, query, page, per_page)


def users_page(session: Session, text: str, page: int, per_page: int) -> Page:
    query = select(User).options(joinedload(User.account)).order_by(User.role, User.email)
    if text:
        query = query.where(matches_text(text, User.email, User.name))
    return paginate(session, query, page, per_page)


def products_page(session: Session, text: str, page: int, per_page: int) -> Page:
    query = select(Product).order_by(Product.sku)
    if text:
        query = query.where(matches_text(text, Product.sku, Product.brand, Product.model))
    return paginate(session, query, page, per_page)
