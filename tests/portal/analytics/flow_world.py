"""A small history whose process figures were worked out by hand (see the tests).

Two reps: Anna looks after Optik Eins (EUR) and Optik Zwei (GBP), Bruno after Optik Drei
(EUR). The period is January–February 2026. Events, memos and gradings sit on both sides
of its boundaries (31 Dec 23:59:59, 1 Jan 00:00, 28 Feb 23:59:59, 1 Mar 00:00). Events are
written as rows with the times they happened, as the event log holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from models import (
    CreditMemo,
    Grade,
    InspectionResult,
    MemoKind,
    RetailerAccount,
    ReturnType,
    Rma,
    RmaEvent,
    RmaLine,
    Role,
    User,
)
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
from tests.support import rule

PERIOD = MonthRange(date(2026, 1, 1), date(2026, 2, 1))
AS_OF = date(2026, 2, 28)
POLICY = {"allowance": rule("exception", percent="10", period_days=365)}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class FlowWorld:
    admin: User
    anna: User
    bruno: User
    eins: RetailerAccount
    zwei: RetailerAccount
    drei: RetailerAccount
    return_type: ReturnType
    version: Any
    rmas: dict[str, Rma] = field(default_factory=dict)
    lines: dict[str, RmaLine] = field(default_factory=dict)


def build_flow_world(session: Session, suffix: str = "", like: FlowWorld | None = None):
    """The history; ``suffix`` and ``like`` (a world built before) build it again for
    other people and accounts, under the same workflow and return type."""
    admin = make_user(session, Role.ADMIN, name=f"Ada Admin{suffix}")
    anna = make_user(session, Role.SALES_REP, name=f"Anna Rep{suffix}")
    bruno = make_user(session, Role.SALES_REP, name=f"Bruno Rep{suffix}")
    eins = make_account(session, anna, number=f"F001{suffix}", name="Optik Eins", currency="EUR")
    zwei = make_account(session, anna, number=f"F002{suffix}", name="Optik Zwei", currency="GBP")
    drei = make_account(session, bruno, number=f"F003{suffix}", name="Optik Drei", currency="EUR")
    if like is None:
        version = make_published_workflow(session, "stock_rotation", code="flow-rotation")
        return_type = make_return_type(
            session, version.workflow_id, code="FLOWROT", name="Rotation", policy=POLICY
        )
    else:
        version, return_type = like.version, like.return_type
    world = FlowWorld(admin, anna, bruno, eins, zwei, drei, return_type, version)
    _orders(session, world)
    _rmas(session, world, version)
    _memos(session, world, suffix)
    _gradings(session, world)
    session.flush()
    return world


def _orders(session: Session, world: FlowWorld) -> None:
    frame = make_product(session)
    # Eins: 2,000.00 EUR in the 365 days to 28 Feb 2026; the GBP invoice and the one from
    # 2024 do not count.
    make_order(session, world.eins, [(frame, 10, "100.00")], invoice_date=date(2025, 6, 1))
    make_order(session, world.eins, [(frame, 5, "200.00")], invoice_date=date(2026, 2, 20))
    make_order(
        session, world.eins, [(frame, 1, "500.00")], invoice_date=date(2026, 1, 5), currency="GBP"
    )
    make_order(session, world.eins, [(frame, 10, "100.00")], invoice_date=date(2024, 12, 1))
    # Zwei: 3,000.00 GBP. Drei bought nothing.
    make_order(session, world.zwei, [(frame, 3, "1000.00")], invoice_date=date(2026, 1, 15))


# (name, account, created, submitted, state, exception, events: (when, trigger, from, to, actor))
def _rmas(session: Session, world: FlowWorld, version) -> None:
    anna, bruno, admin = world.anna.id, world.bruno.id, world.admin.id
    plan = {
        "R1": (world.eins, "2026-01-05 10:00", "2026-01-05 12:00", "received", True, [
            ("2026-01-05 12:00", "submit", "draft", "rep_review", None),
            ("2026-01-06 12:00", "approve", "rep_review", "authorized", anna),
            ("2026-01-10 12:00", "ship", "authorized", "awaiting_receipt", None),
            ("2026-02-28 23:59:59", "receive", "awaiting_receipt", "received", None),
        ]),
        "R2": (world.eins, "2025-12-31 20:00", "2026-01-01 00:00", "awaiting_receipt", False, [
            ("2026-01-01 00:00", "submit", "draft", "authorized", None),
            ("2026-03-01 00:00", "ship", "authorized", "awaiting_receipt", None),
        ]),
        "R3": (world.zwei, "2026-01-10 08:00", "2026-01-10 09:00", "rejected", True, [
            ("2026-01-10 09:00", "submit", "draft", "rep_review", None),
            ("2026-01-14 09:00", "reject", "rep_review", "rejected", anna),
        ]),
        "R4": (world.drei, "2026-02-01 00:00", "2026-02-01 01:00", "authorized", True, [
            ("2026-02-01 01:00", "submit", "draft", "rep_review", None),
            ("2026-02-02 01:00", "request_changes", "rep_review", "changes_requested", bruno),
            ("2026-02-02 05:00", "submit", "changes_requested", "rep_review", None),
            ("2026-02-03 06:00", "escalate", "rep_review", "rep_review", None),
            ("2026-02-04 05:00", "approve", "rep_review", "authorized", bruno),
        ]),
        "R5": (world.drei, "2026-03-02 08:00", "2026-03-02 09:00", "authorized", False, [
            ("2026-03-02 09:00", "submit", "draft", "authorized", None),
        ]),
        "R6": (world.eins, "2025-12-10 08:00", "2025-12-10 09:00", "cancelled", True, [
            ("2025-12-10 09:00", "submit", "draft", "rep_review", None),
            ("2025-12-11 09:00", "cancel", "rep_review", "cancelled", admin),
        ]),
        "R7": (world.zwei, "2026-01-20 08:00", None, "draft", False, []),
    }  # fmt: skip
    for name, (account, created, submitted, state, exception, events) in plan.items():
        rma = make_rma(
            session,
            account,
            version,
            return_type=world.return_type,
            state=state,
            created_at=at(created),
            submitted_at=at(submitted) if submitted else None,
            exception_requested=exception,
        )
        world.rmas[name] = rma
        for when, trigger, source, dest, actor in events:
            session.add(
                RmaEvent(
                    rma_id=rma.id,
                    created_at=at(when),
                    actor_id=actor,
                    trigger=trigger,
                    from_state=source,
                    to_state=dest,
                )
            )
    session.flush()


def _memos(session: Session, world: FlowWorld, suffix: str) -> None:
    rmas = world.rmas
    plan = [
        ("CM-F-1", rmas["R1"], world.eins, "EUR", "100.00", "2026-01-20 10:00", None),
        ("CM-F-2", rmas["R3"], world.zwei, "GBP", "80.00", "2026-01-31 23:59:59", None),
        ("CM-F-3", rmas["R4"], world.drei, "EUR", "50.00", "2026-02-01 00:00", None),
        ("CM-F-5", rmas["R5"], world.drei, "EUR", "999.00", "2026-03-01 00:00", None),
        ("CM-F-6", rmas["R6"], world.eins, "EUR", "30.00", "2025-12-31 23:59:59", None),
    ]
    memos = {}
    for number, rma, account, currency, amount, when, _original in plan:
        memos[number] = CreditMemo(
            number=number + suffix,
            rma_id=rma.id,
            account_id=account.id,
            currency=currency,
            amount=Decimal(amount),
            created_at=at(when),
        )
        session.add(memos[number])
    session.flush()
    session.add(
        CreditMemo(
            number="CM-F-4" + suffix,
            kind=MemoKind.ADJUSTMENT,
            original_memo_id=memos["CM-F-1"].id,
            reason="One frame was scratched.",
            rma_id=rmas["R1"].id,
            account_id=world.eins.id,
            currency="EUR",
            amount=Decimal("-10.00"),
            created_at=at("2026-02-15 10:00"),
        )
    )
    session.flush()


def add_line(session: Session, world: FlowWorld, name: str, rma: Rma, quantity: int) -> RmaLine:
    # Invoiced long before the allowance's period: the returned lines change no figure.
    order = make_order(
        session,
        rma.account,
        [(make_product(session), quantity, "10.00")],
        invoice_date=date(2023, 1, 2),
    )
    line = RmaLine(
        rma_id=rma.id,
        order_line_id=order.lines[0].id,
        quantity_requested=quantity,
        quantity_authorized=quantity,
        quantity_received=quantity,
    )
    session.add(line)
    session.flush()
    world.lines[name] = line
    return line


def grade(session: Session, line: RmaLine, when: str, *results: tuple[Grade, int, str]) -> None:
    for grade_, quantity, disposition in results:
        session.add(
            InspectionResult(
                rma_line_id=line.id,
                grade=grade_,
                quantity=quantity,
                disposition=disposition,
                created_at=at(when),
            )
        )
    session.flush()


def _gradings(session: Session, world: FlowWorld) -> None:
    rmas = world.rmas
    r1a = add_line(session, world, "R1a", rmas["R1"], 5)
    r1b = add_line(session, world, "R1b", rmas["R1"], 1)
    r4a = add_line(session, world, "R4a", rmas["R4"], 5)
    r2a = add_line(session, world, "R2a", rmas["R2"], 5)
    grade(
        session,
        r1a,
        "2026-01-31 23:00",
        (Grade.NEW, 3, "restock"),
        (Grade.USED, 2, "b_stock"),
    )
    grade(session, r1b, "2026-02-10 10:00", (Grade.DEFECTIVE, 1, "return_to_manufacturer"))
    grade(
        session,
        r4a,
        "2026-02-28 23:59:59",
        (Grade.HEAVILY_DAMAGED, 4, "scrap"),
        (Grade.LIGHTLY_DAMAGED, 1, "refurbish"),
    )
    grade(session, r2a, "2026-03-01 00:00", (Grade.NEW, 5, "restock"))
