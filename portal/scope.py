"""What each user may see of account data. Every account-scoped read goes through here."""

from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import Session

from models import RetailerAccount, Role, User


def account_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause on ``RetailerAccount`` limiting rows to those ``user`` may see."""
    if user.role is Role.ADMIN:
        return true()
    if user.role is Role.SALES_REP:
        return RetailerAccount.sales_rep_id == user.id
    if user.role is Role.RETAILER:
        return RetailerAccount.id == user.account_id
    return false()


def can_see_account(user: User, account: RetailerAccount) -> bool:
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.SALES_REP:
        return account.sales_rep_id == user.id
    if user.role is Role.RETAILER:
        return account.id == user.account_id
    return False


def load_account(session: Session, user: User, account_id: int) -> RetailerAccount:
    """The account if ``user`` may see it; 404 otherwise (never reveal that it exists)."""
    account = session.get(RetailerAccount, account_id)
    if account is None or not can_see_account(user, account):
        abort(404)
    return account
