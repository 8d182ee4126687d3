"""Turn planned demo RMAs into rows and write them in bulk (COPY on PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import case, insert, literal, select
from sqlalchemy.orm import Session

from models import (
    CreditMemo,
    CreditMemoLine,
    Grade,
    LedgerEntry,
    NumberSequence,
    OrderLine,
    Product,
    RetailerAccount,
    Rma,
    RmaEvent,
    RmaLine,
)
from portal.demo.bulk import reserve_ids, write_rows
from portal.demo.inspections import write_inspection_results
from portal.demo.rmas import CENT, People, PlannedRma, Planner, actor_for, grade_for

RMA_COLUMNS = (
    "id", "number", "account_id", "return_type_id", "workflow_version_id", "state", "version",
    "currency", "total_value", "policy_passed", "policy_findings", "exception_requested",
    "exception_justification", "resolution", "requested_resolution", "approval_step",
    "approver_user_id", "approver_role", "due_at", "created_by_id", "created_at", "updated_at",
    "submitted_at", "label_issued_at",
)  # fmt: skip
LINE_COLUMNS = (
    "rma_id", "order_line_id", "quantity_requested", "quantity_authorized",
    "quantity_received", "reason", "condition", "description", "grade", "disposition",
    "credit", "has_discrepancy",
)  # fmt: skip
EVENT_COLUMNS = (
    "rma_id", "created_at", "actor_id", "on_behalf_of_account_id", "trigger", "from_state",
    "to_state", "comment", "data",
)  # fmt: skip
FINDING = {
    "rule": "allowance",
    "passed": False,
    "blocking": True,
    "exception_allowed": True,
    "message": "Rotation credit would exceed the yearly allowance.",
    "figures": {},
}
REASONS = {"ROTATION": "Slow seller", "DEFECTIVE": "Defective hinge"}


def plan_rmas(planner: Planner, people: People, count: int) -> list[PlannedRma]:
    """``count`` RMAs (fewer only if the invoices run out of returnable stock), oldest first."""
    planned: list[PlannedRma] = []
    misses = 0
    while len(planned) < count and misses < 20 * count + 100:
        rma = planner.plan(people)
        if rma is None:
            misses += 1
            continue
        planned.append(rma)
    planned.sort(key=lambda r: r.times[0])
    return planned


def write_rmas(session: Session, planned: list[PlannedRma], people: People) -> dict[str, int]:
    """Write the RMAs, their lines and events; numbers run per year in creation order."""
    first_id = reserve_ids(session, Rma.__table__, len(planned))
    numbers: Counter[int] = Counter()
    rows, rma_numbers = [], []
    for offset, rma in enumerate(planned):
        year = rma.times[0].year
        numbers[year] += 1
        rma_numbers.append(f"RMA-{year}-{numbers[year]:06d}")
        rows.append(_rma_row(first_id + offset, rma_numbers[-1], rma, people))
    written = write_rows(session, Rma.__table__, RMA_COLUMNS, rows)
    lines = write_rows(
        session,
        RmaLine.__table__,
        LINE_COLUMNS,
        (row for o, rma in enumerate(planned) for row in _line_rows(first_id + o, rma)),
    )
    events = write_rows(
        session,
        RmaEvent.__table__,
        EVENT_COLUMNS,
        (row for o, rma in enumerate(planned) for row in _event_rows(first_id + o, rma, people)),
    )
    inspected = write_inspection_results(session, first_id, people.warehouse)
    memos = _write_credit_memos(session, planned, first_id, rma_numbers, people)
    series = {f"RMA-{year}": n for year, n in numbers.items()} | memos
    if series:
        session.execute(
            insert(NumberSequence),
            [{"series": name, "last_value": n} for name, n in sorted(series.items())],
        )
    counts = {
        "rmas": written,
        "rma_lines": lines,
        "rma_events": events,
        "inspection_results": inspected,
    }
    return counts | {"credit_memos": sum(memos.values())}


MEMO_COLUMNS = (
    "id", "number", "rma_id", "account_id", "currency", "amount", "tax_rate_percent",
    "created_by_id", "created_at",
)  # fmt: skip
LEDGER_COLUMNS = (
    "account_id", "credit_memo_id", "currency", "amount", "description", "created_at",
)  # fmt: skip


def _write_credit_memos(
    session: Session,
    planned: list[PlannedRma],
    first_id: int,
    rma_numbers: list[str],
    people: People,
) -> dict[str, int]:
    """A credit memo, its lines and a ledger entry for every credited RMA, as resolving
    writes them (the demo's credit is the invoice price of what was received). Returns the
    number of memos per number series."""
    credited = [
        (offset, rma, _reached(rma)["credited"])
        for offset, rma in enumerate(planned)
        if "credited" in _reached(rma)
    ]
    if not credited:
        return {}
    first_memo = reserve_ids(session, CreditMemo.__table__, len(credited))
    tax_rates = dict(
        session.execute(select(RetailerAccount.id, RetailerAccount.tax_rate_percent)).all()
    )
    numbers: Counter[int] = Counter()
    memos, ledger = [], []
    for memo_offset, (offset, rma, at) in enumerate(credited):
        numbers[at.year] += 1
        number = f"CM-{at.year}-{numbers[at.year]:06d}"
        reached = _reached(rma)
        amount = sum((_credit(rma, i, reached) for i in range(len(rma.lines))), Decimal(0))
        memos.append(
            (first_memo + memo_offset, number, first_id + offset, rma.account_id, rma.currency,
             amount, tax_rates[rma.account_id], people.admin, at)
        )  # fmt: skip
        ledger.append(
            (rma.account_id, first_memo + memo_offset, rma.currency, amount,
             f"Credit memo {number} for {rma_numbers[offset]}", at)
        )  # fmt: skip
    write_rows(session, CreditMemo.__table__, MEMO_COLUMNS, memos)
    _write_memo_lines(session, first_memo)
    write_rows(session, LedgerEntry.__table__, LEDGER_COLUMNS, ledger)
    return {f"CM-{year}": n for year, n in numbers.items()}


def _write_memo_lines(session: Session, first_memo: int) -> None:
    """One memo line per received RMA line, described from its product, in one statement."""
    grade_label = case({grade.value: grade.label for grade in Grade}, value=RmaLine.grade, else_="")
    description = (
        Product.sku + literal(" ") + Product.brand + literal(" ") + Product.model
        + literal(" — ") + grade_label
    )  # fmt: skip
    zero = literal(Decimal(0))
    amounts = (RmaLine.credit, zero, zero, zero, RmaLine.credit)  # gross … amount: no fee
    rows = (
        select(CreditMemo.id, RmaLine.id, description, RmaLine.quantity_received, *amounts)
        .join(RmaLine, RmaLine.rma_id == CreditMemo.rma_id)
        .join(OrderLine, OrderLine.id == RmaLine.order_line_id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(CreditMemo.id >= first_memo, RmaLine.quantity_received > 0)
    )
    columns = (
        "credit_memo_id", "rma_line_id", "description", "quantity", "gross", "restocking_fee",
        "grade_deduction", "exchange_bonus", "amount",
    )  # fmt: skip
    session.execute(insert(CreditMemoLine).from_select(columns, rows))


def _reached(rma: PlannedRma) -> dict[str, datetime]:
    """State → when the RMA (last) entered it along its path."""
    return {step.transition.dest: at for step, at in zip(rma.steps, rma.times[1:], strict=True)}


def _rma_row(rma_id: int, number: str, rma: PlannedRma, people: People) -> tuple:
    reached = _reached(rma)
    state = rma.steps[-1].transition.dest if rma.steps else rma.kind.compiled.doc["initial"]
    fired = zip(rma.steps, rma.times[1:], strict=True)
    submitted = next((at for s, at in fired if s.transition.trigger == "submit"), None)
    approval = rma.kind.compiled.states[state].approval
    approver_user = approver_role = due = step_number = None
    if approval is not None:
        step_number = approval.step
        due = rma.times[-1] + timedelta(hours=approval.sla_hours)
        if approval.approver.get("kind") == "account_rep":
            approver_user = people.reps.get(rma.account_id)
        approver_role = approval.approver.get("role") if approver_user is None else None
        approver_role = approver_role or (None if approver_user else "admin")
    resolved = "credited" in reached or "exchanged" in reached
    exception = rma.profile.exception
    return (
        rma_id, number, rma.account_id, rma.kind.return_type_id, rma.kind.version_id, state, 1,
        rma.currency, rma.profile.value, not exception, [FINDING] if exception else [],
        exception, "Long-standing customer; slow season." if exception else "",
        rma.profile.resolution if resolved else None,
        rma.profile.resolution if submitted else None, step_number, approver_user,
        approver_role, due, rma.created_by, rma.times[0], rma.times[-1], submitted,
        reached.get("authorized"),
    )  # fmt: skip


def _line_rows(rma_id: int, rma: PlannedRma) -> list[tuple]:
    reached = _reached(rma)
    rows = []
    for index, (order_line_id, quantity, _cents) in enumerate(rma.lines):
        grade, disposition = grade_for(rma.kind.code, rma_id, index)
        authorized, received, short = _quantities(rma, index, reached)
        inspected = "inspected" in reached and received > 0
        credit = _credit(rma, index, reached) if "credited" in reached else None
        rows.append((
            rma_id, order_line_id, quantity, authorized, received, REASONS.get(rma.kind.code, ""),
            "new", "", grade if inspected else None, disposition if inspected else None, credit,
            short,
        ))  # fmt: skip
    return rows


def _quantities(rma: PlannedRma, index: int, reached: dict) -> tuple[int, int, bool]:
    """(authorized, received, short) of a line: the first line of a discrepancy profile
    arrives one unit short."""
    quantity = rma.lines[index][1]
    authorized = quantity if "authorized" in reached else 0
    short = rma.profile.discrepancy and index == 0 and "received" in reached
    received = (authorized - 1 if short else authorized) if "received" in reached else 0
    return authorized, received, short


def _credit(rma: PlannedRma, index: int, reached: dict) -> Decimal:
    """The demo's credit for a line: the invoice price of the units received."""
    _authorized, received, _short = _quantities(rma, index, reached)
    return (Decimal(rma.lines[index][2]) * received * CENT).quantize(CENT)


def _event_rows(rma_id: int, rma: PlannedRma, people: People) -> list[tuple]:
    rows = []
    states = rma.kind.compiled.states
    for step, at in zip(rma.steps, rma.times[1:], strict=True):
        actor, behalf = actor_for(step, rma, people)
        spec = step.transition
        actions = [a.name for a in spec.actions] + [a.name for a in states[spec.dest].on_enter]
        data = {"guards": list(step.checks), "actions": actions}
        comment = "Demo history." if spec.requires_comment else ""
        rows.append(
            (rma_id, at, actor, behalf, spec.trigger, step.source, spec.dest, comment, data)
        )
    return rows
