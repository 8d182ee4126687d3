"""Scoped reads for the analytics pages: what the filters offer, the account a number
names, and the words each key of a view is shown with."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Product, RetailerAccount, ReturnType, User
from models.return_type import shown_reason, shown_text
from portal.analytics.forms import Filters
from portal.analytics.keeping import kept, returns_version
from portal.analytics.returns import Dimension, RateTable, return_rates
from portal.caching import app_cache
from portal.i18n.formats import format_month
from portal.scope import account_scope

# Brands change only when the catalog is imported: kept a few minutes per process.
BRANDS_TTL = 300.0
RETURN_RATES = "return_rates"  # the name the figures are kept under


def regions(session: Session, user: User) -> list[str]:
    """The regions of the accounts ``user`` sees."""
    query = select(RetailerAccount.region).where(account_scope(user)).distinct()
    return sorted(session.scalars(query))


def brands(session: Session) -> list[str]:
    return app_cache("analytics_brands", BRANDS_TTL).get(
        "all", lambda: sorted(session.scalars(select(Product.brand).distinct()))
    )


def return_types(session: Session) -> list[tuple[int, str, str]]:
    """(id, code, name in the reader's language) of every return type, archived too: their
    returns still count."""
    query = select(ReturnType.id, ReturnType.code, ReturnType.name, ReturnType.translations)
    rows = session.execute(query.order_by(ReturnType.name)).all()
    return [(r.id, r.code, shown_text(r.name, r.translations, "name")) for r in rows]


def labelled_rates(
    session: Session, user: User, dimension: Dimension, filters: Filters
) -> RateTable:
    """A view's return rates with the words of their keys, kept until the rollups change
    (the SKU ranking reads a brand's thousands of rollup rows; showing it again, none)."""

    def load() -> RateTable:
        table = return_rates(session, user, dimension, filters)
        table.codes, table.labels = key_words(session, dimension, {row.key for row in table.rows})
        return table

    key = (dimension.slug, filters)
    return kept(session, user, RETURN_RATES, key, returns_version(session), load)


def find_account(session: Session, user: User, number: str) -> int | None:
    """The id of the account numbered ``number`` if ``user`` sees it."""
    query = select(RetailerAccount.id).where(RetailerAccount.number == number, account_scope(user))
    return session.scalar(query)


def key_words(
    session: Session, dimension: Dimension, keys: Iterable[Any]
) -> tuple[dict[Any, str], dict[Any, str]]:
    """For each key of ``dimension``: its code (the CSV's, stable in every language) and
    its label (what people read)."""
    keys = list(keys)
    loader = _WORDS.get(dimension.slug)
    if loader is None:  # brand, region: the key is its own name
        return {k: str(k) for k in keys}, {k: str(k) for k in keys}
    return loader(session, keys)


def _months(session: Session, keys: list) -> tuple[dict, dict]:
    return {k: k.strftime("%Y-%m") for k in keys}, {k: format_month(k) for k in keys}


def _reasons(session: Session, keys: list) -> tuple[dict, dict]:
    query = select(ReturnType.reasons, ReturnType.translations).order_by(ReturnType.id)
    offered = session.execute(query).all()
    labels = {}
    for reason in keys:
        translations: dict[str, Any] = next((t for rs, t in offered if reason in (rs or [])), {})
        labels[reason] = shown_reason(reason, translations) if reason else _("No reason given")
    return {k: k for k in keys}, labels


def _return_types(session: Session, keys: list) -> tuple[dict, dict]:
    found = {id_: (code, name) for id_, code, name in return_types(session)}
    return (
        {k: found.get(k, (str(k), ""))[0] for k in keys},
        {k: found.get(k, ("", str(k)))[1] for k in keys},
    )


def _products(session: Session, keys: list) -> tuple[dict, dict]:
    query = select(Product.id, Product.sku, Product.brand, Product.model, Product.colour)
    rows = {r.id: r for r in session.execute(query.where(Product.id.in_(keys)))} if keys else {}
    return (
        {k: rows[k].sku for k in keys if k in rows},
        {k: f"{rows[k].sku} · {rows[k].model} {rows[k].colour}" for k in keys if k in rows},
    )


def _accounts(session: Session, keys: list) -> tuple[dict, dict]:
    query = select(RetailerAccount.id, RetailerAccount.number, RetailerAccount.name)
    rows = {r.id: r for r in session.execute(query.where(RetailerAccount.id.in_(keys)))}
    return (
        {k: rows[k].number for k in keys if k in rows},
        {k: f"{rows[k].name} ({rows[k].number})" for k in keys if k in rows},
    )


def _reps(session: Session, keys: list) -> tuple[dict, dict]:
    ids = [k for k in keys if k is not None]
    query = select(User.id, User.name).where(User.id.in_(ids))
    names = {row.id: row.name for row in session.execute(query)} if ids else {}
    codes = {k: str(k) if k is not None else "" for k in keys}
    return codes, {k: names.get(k, "") if k is not None else _("No sales rep") for k in keys}


_WORDS = {
    "month": _months,
    "reason": _reasons,
    "return-type": _return_types,
    "sku": _products,
    "account": _accounts,
    "rep": _reps,
}
