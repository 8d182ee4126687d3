"""A small data set whose every figure is computed by hand (in the tests that read it).

Three accounts (A and B in EUR, C in CHF; A and C are rep 1's, B is rep 2's), three
products (P1 and P2 of brand Aria, P3 of Brio), two return types, and facts on both sides
of the period January–March 2026: an invoice on 31 December 2025 and one on 1 January
2026; an RMA submitted at 23:59 on 31 March and one at 00:00 on 1 April (UTC); a rejected
RMA and a draft, which never count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from models import RmaLine, Role, User
from portal.analytics.period import MonthRange
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_return_type,
    make_rma,
    make_user,
)

PERIOD = MonthRange(date(2026, 1, 1), date(2026, 3, 1))
QUERY = "start=2026-01&end=2026-03"


@dataclass
class Dataset:
    admin: User
    rep1: User
    rep2: User
    accounts: dict
    products: dict
    return_types: dict
    lines: dict


def build(session: Session, suffix: str = "") -> Dataset:
    """The data set; ``suffix`` makes another copy beside it (other numbers and SKUs)."""
    admin = make_user(session, Role.ADMIN, name="Ada Admin")
    rep1 = make_user(session, Role.SALES_REP, name="Rita Rep")
    rep2 = make_user(session, Role.SALES_REP, name="Sam Seller")
    a = make_account(session, rep1, number=f"A-100{suffix}", name="Optik A", region="north")
    b = make_account(session, rep2, number=f"B-200{suffix}", name="Optik B", region="south")
    c = make_account(
        session, rep1, number=f"C-300{suffix}", name="Optik C", region="north", currency="CHF"
    )
    p1 = make_product(session, sku=f"ARIA-1{suffix}", brand="Aria")
    p2 = make_product(session, sku=f"ARIA-2{suffix}", brand="Aria")
    p3 = make_product(session, sku=f"BRIO-3{suffix}", brand="Brio")
    version = make_published_workflow(session)
    rt1 = make_return_type(session, version.workflow_id, code=f"ROT{suffix}", name="Stock rotation")
    rt2 = make_return_type(session, version.workflow_id, code=f"DEF{suffix}", name="Defective")

    make_order(session, a, [(p1, 100, "20.00")], invoice_date=date(2025, 12, 31))  # before
    o1 = make_order(session, a, [(p1, 10, "20.00"), (p3, 5, "30.00")], date(2026, 1, 1))
    o2 = make_order(session, b, [(p1, 20, "25.00")], invoice_date=date(2026, 2, 15))
    o3 = make_order(session, c, [(p2, 8, "50.00")], invoice_date=date(2026, 3, 10))
    a_p1, a_p3 = o1.lines
    (b_p1,) = o2.lines
    (c_p2,) = o3.lines

    def rma(account, return_type, submitted, state, *lines):
        made = make_rma(
            session,
            account,
            version,
            return_type=return_type,
            state=state,
            submitted_at=submitted,
        )
        for order_line, quantity, reason in lines:
            session.add(
                RmaLine(
                    rma_id=made.id,
                    order_line_id=order_line.id,
                    quantity_requested=quantity,
                    reason=reason,
                    condition="new",
                )
            )
        session.flush()
        return made

    at = lambda *parts: datetime(*parts, tzinfo=UTC)  # noqa: E731
    rma(
        a,
        rt1,
        at(2026, 3, 31, 23, 59),
        "authorized",
        (a_p1, 4, "Slow seller"),
        (a_p3, 1, "Defective"),
    )
    rma(a, rt1, at(2026, 4, 1, 0, 0), "authorized", (a_p1, 2, "Slow seller"))  # after
    rma(b, rt2, at(2026, 2, 20), "rejected", (b_p1, 5, "Defective"))  # never counts
    rma(b, rt2, at(2026, 2, 21), "received", (b_p1, 2, "Defective"))
    rma(c, rt1, at(2026, 1, 15), "authorized", (c_p2, 2, "Slow seller"))
    rma(a, rt1, None, "draft", (a_p1, 3, "Slow seller"))  # a draft never counts
    return Dataset(
        admin,
        rep1,
        rep2,
        accounts={"A": a, "B": b, "C": c},
        products={"P1": p1, "P2": p2, "P3": p3},
        return_types={"ROT": rt1, "DEF": rt2},
        lines={"a_p1": a_p1, "b_p1": b_p1, "c_p2": c_p2},
    )


def money(text: str) -> Decimal:
    return Decimal(text)
