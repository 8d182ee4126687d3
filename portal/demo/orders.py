"""Demo order history: invoices month by month, so memory stays bounded at any scale."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate

from models import Lifecycle
from portal.demo.accounts import AccountSpec
from portal.demo.catalog import ProductSpec

CENT = Decimal("0.01")
CLEARANCE_FACTOR = Decimal("0.75")
# Opticians stock up after New Year and before summer; sunglasses sell into spring.
SEASON = {
    1: 1.3,
    2: 1.2,
    3: 1.15,
    4: 1.1,
    5: 0.95,
    6: 0.9,
    7: 0.8,
    8: 0.9,
    9: 1.1,
    10: 1.0,
    11: 0.95,
    12: 0.7,
}


@dataclass
class InvoicePlan:
    invoice_number: str
    account: int  # index into the accounts list
    invoice_date: date
    delivery_date: date | None
    lines: list[tuple[int, int, Decimal]]  # (product index, quantity, unit net price)


def period_start(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 365.25 / 12))


def generate_invoices(
    rng: random.Random,
    accounts: list[AccountSpec],
    products: list[ProductSpec],
    today: date,
    months: int,
    target_lines: int,
) -> Iterator[list[InvoicePlan]]:
    """Invoices of the ``months`` before ``today``, one list per month, oldest first."""
    start = period_start(today, months)
    span = (today - start).days / months
    buckets = [
        (start + timedelta(days=round(m * span)), start + timedelta(days=round((m + 1) * span)))
        for m in range(months)
    ]
    # Seasonality plus slow growth: later months sell a little more.
    weights = [
        SEASON[(low + (high - low) / 2).month] * (1 + 0.2 * m / months)
        for m, (low, high) in enumerate(buckets)
    ]
    total = sum(weights)
    account_weights = list(accumulate(a.weight for a in accounts))
    numbers: dict[int, int] = {}
    for (low, high), weight in zip(buckets, weights, strict=True):
        quota = math.ceil(target_lines * weight / total)
        middle = (today - (low + (high - low) / 2)).days
        stock = _assortment(products, middle)
        invoices = _month(rng, accounts, account_weights, products, stock, low, high, today, quota)
        invoices.sort(key=lambda i: (i.invoice_date, accounts[i.account].number))
        for invoice in invoices:
            year = invoice.invoice_date.year
            numbers[year] = numbers.get(year, 0) + 1
            invoice.invoice_number = f"INV-{year}-{numbers[year]:06d}"
        yield invoices


def _month(rng, accounts, account_weights, products, stock, low, high, today, quota):
    invoices: list[InvoicePlan] = []
    lines = 0
    while lines < quota:
        index = rng.choices(range(len(accounts)), cum_weights=account_weights)[0]
        account = accounts[index]
        invoiced = _weekday(rng, low, high)
        delivered = _after_workdays(invoiced, rng.choice((1, 1, 2, 2, 3)))
        picked = _lines(rng, account, products, stock)
        if not picked:
            continue
        invoices.append(
            InvoicePlan("", index, invoiced, delivered if delivered < today else None, picked)
        )
        lines += len(picked)
    return invoices


def _lines(rng, account: AccountSpec, products, stock) -> list[tuple[int, int, Decimal]]:
    wanted = rng.randint(8, 30) if account.chain else rng.randint(3, 12)
    factor = account.price_factor
    chosen: dict[int, tuple[int, int, Decimal]] = {}
    for _ in range(wanted * 2):
        if len(chosen) == wanted:
            break
        candidates = stock.get(rng.choice(account.brands))
        if not candidates:
            continue
        index = rng.choice(candidates)
        if index in chosen:
            continue
        product = products[index]
        quantity = rng.choices((1, 2, 3, 4), (70, 20, 7, 3))[0]
        if account.chain and rng.random() < 0.4:
            quantity *= 2
        price = product.list_price * factor
        if product.lifecycle == Lifecycle.CLEARANCE:
            price *= CLEARANCE_FACTOR
        chosen[index] = (index, quantity, price.quantize(CENT, ROUND_HALF_UP))
    return list(chosen.values())


def _assortment(products: list[ProductSpec], days_ago: int) -> dict[int, list[int]]:
    """Product indices on sale ``days_ago`` days before today, by brand."""
    by_brand: dict[int, list[int]] = {}
    for index, product in enumerate(products):
        if product.selling_until <= days_ago <= product.selling_since:
            by_brand.setdefault(product.brand, []).append(index)
    return by_brand


def _weekday(rng: random.Random, low: date, high: date) -> date:
    while True:
        day = low + timedelta(days=rng.randrange((high - low).days))
        if day.weekday() < 5:
            return day


def _after_workdays(day: date, workdays: int) -> date:
    while workdays:
        day += timedelta(days=1)
        workdays -= day.weekday() < 5
    return day
