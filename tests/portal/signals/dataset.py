"""A small network whose signal figures are computed by hand (see the comments), for
the facts queries, the pages and the digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from models import Grade, InspectionResult, RetailerAccount, Rma, RmaLine, Role, User
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_type,
    make_rma,
    make_user,
)
from tests.support import rule

TODAY = date(2026, 12, 7)  # the period is 8 Dec 2025 – 7 Dec 2026
D = Decimal
ROTATION_POLICY = {
    "allowance": rule(percent="15", period_days=365),
    "calendar_windows": rule(
        windows=[{"start": "01-01", "end": "02-15"}, {"start": "07-01", "end": "08-15"}]
    ),
}


@dataclass
class Network:
    rep: User
    other_rep: User
    admin: User
    retailer: User
    warehouse: User
    a: RetailerAccount  # the rep's, with every signal
    b: RetailerAccount  # the rep's, quiet but for its return rate
    c: RetailerAccount  # the other rep's
    d: RetailerAccount  # nobody's, returns nothing
    sku: str
    rmas: dict[str, Rma]


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def build(session: Session) -> Network:
    rep = make_user(session, Role.SALES_REP, name="Rita Rep")
    other_rep = make_user(session, Role.SALES_REP, name="Otto Other")
    admin = make_user(session, Role.ADMIN, name="Ada Admin")
    warehouse = make_user(session, Role.WAREHOUSE)
    a = make_account(session, rep, name="Optik Alpha")
    b = make_account(session, rep, name="Optik Beta")
    c = make_account(session, other_rep, name="Optik Gamma")
    d = make_account(session, None, name="Optik Delta")
    retailer = make_retailer(session, a)
    p1, p2 = make_product(session), make_product(session)
    # A bought 1,500.00 in the period; the 2025 order and the CHF invoice do not count.
    order = make_order(session, a, [(p1, 10, "100.00"), (p2, 10, "50.00")], date(2026, 6, 1))
    make_order(session, a, [(p1, 1, "999.00")], date(2025, 1, 10))
    make_order(session, a, [(p1, 1, "300.00")], date(2026, 6, 2), currency="CHF")
    make_order(session, b, [(p1, 20, "100.00")], date(2026, 3, 1))  # 2,000.00
    make_order(session, c, [(p1, 10, "100.00")], date(2026, 3, 1))  # 1,000.00
    make_order(session, d, [(p1, 10, "100.00")], date(2026, 3, 1))  # 1,000.00
    l1, l2 = order.lines
    version = make_published_workflow(session)
    plain = make_return_type(session, version.workflow_id)
    rotation = make_return_type(session, version.workflow_id, policy=ROTATION_POLICY)

    def rma(account, key, day, value, state="authorized", return_type=plain, **fields):
        return make_rma(
            session,
            account,
            version,
            number=f"RMA-SIG-{key}",
            return_type=return_type,
            state=state,
            total_value=D(value),
            submitted_at=at(day) if day else None,
            **fields,
        )

    def line(rma, order_line, condition, grade=None, received=0, authorized=1):
        row = RmaLine(
            rma_id=rma.id,
            order_line_id=order_line.id,
            quantity_requested=max(authorized, 1),
            quantity_authorized=authorized,
            quantity_received=received,
            condition=condition,
        )
        session.add(row)
        session.flush()
        if grade:
            session.add(
                InspectionResult(rma_line_id=row.id, grade=grade, quantity=1, disposition="restock")
            )
        return row

    rmas = {}
    # a1: a rotation the day after the window opened on 1 Jul: 300.00 of an allowance of
    # 15 % × 1,500.00 = 225.00 (133.3 %); claimed new, graded used; 3 received of 2.
    rmas["a1"] = rma(
        a, "A1", date(2026, 7, 2), "300.00", return_type=rotation,
        exception_requested=True, label_issued_at=at(date(2026, 7, 3)),
    )  # fmt: skip
    line(rmas["a1"], l1, "new", Grade.USED, received=3, authorized=2)
    # a2: claimed defective, no fault found; its exception is not granted (no label).
    rmas["a2"] = rma(a, "A2", date(2026, 8, 1), "150.00", exception_requested=True)
    line(rmas["a2"], l1, "defective", Grade.NEW, received=1)
    # a3: rejected: its value and SKU do not count, its exception request does.
    rmas["a3"] = rma(a, "A3", date(2026, 9, 1), "100.00", state="rejected",
                     exception_requested=True)  # fmt: skip
    line(rmas["a3"], l1, "new", Grade.USED, received=1)  # rejected, but graded: counts
    # a4: graded as claimed; the second line arrived with 5 of 3.
    rmas["a4"] = rma(a, "A4", date(2026, 10, 1), "50.00", state="received")
    line(rmas["a4"], l1, "new", Grade.NEW, received=1)
    line(rmas["a4"], l2, "new", None, received=5, authorized=3)
    # a5, a draft, and a6, submitted before the period, count for nothing.
    rmas["a5"] = rma(a, "A5", None, "999.00", state="draft", exception_requested=True)
    line(rmas["a5"], l1, "new")
    rmas["a6"] = rma(a, "A6", date(2025, 11, 1), "400.00", exception_requested=True)
    line(rmas["a6"], l1, "new", Grade.HEAVILY_DAMAGED, received=4)
    rmas["b1"] = rma(b, "B1", date(2026, 5, 1), "100.00")  # 5 % of 2,000.00
    # Graded on the line alone (no row per grade), as loaded RMAs are: one mismatch.
    b_line = line(
        rmas["b1"], make_order(session, b, [(p2, 1, "1.00")], date(2025, 1, 1)).lines[0], "new"
    )
    b_line.grade = Grade.USED.value
    rmas["c1"] = rma(c, "C1", date(2026, 5, 1), "20.00")  # 2 % of 1,000.00
    session.flush()
    return Network(rep, other_rep, admin, retailer, warehouse, a, b, c, d, p1.sku, rmas)
