"""Rows as the API shows them: the output models of ``portal.api.schemas``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from models import Product, RetailerAccount, ReturnType, Rma, RmaEvent, RmaLine
from portal.api import schemas
from portal.api.cursor import Slice
from portal.requests.evaluation import DraftEvaluation
from portal.rmas.breakdown import CreditBreakdown
from workflow_designer.policy.money import round_money


def rma_summary(row: Any) -> schemas.RmaSummary:
    """A row of ``portal.api.queries.rmas``."""
    return schemas.RmaSummary(
        number=row[0],
        account=schemas.AccountRef(id=row.account_id, number=row[2], name=row[1]),
        return_type=row.code,
        state=row.state,
        total_value=schemas.Money.of(row.total_value, row.currency),
        created_at=row.created_at,
        submitted_at=row.submitted_at,
        updated_at=row.updated_at,
    )


def rma_page(found: Slice) -> schemas.RmaPage:
    return schemas.RmaPage(items=[rma_summary(row) for row in found.rows], next=found.next)


def rma_detail(
    rma: Rma, lines: Sequence[RmaLine], events: Sequence[RmaEvent], credit: CreditBreakdown | None
) -> schemas.RmaDetail:
    account = rma.account
    return schemas.RmaDetail(
        number=rma.number,
        account=schemas.AccountRef(id=account.id, number=account.number, name=account.name),
        return_type=rma.return_type.code,
        state=rma.state,
        total_value=schemas.Money.of(rma.total_value, rma.currency),
        created_at=rma.created_at,
        submitted_at=rma.submitted_at,
        updated_at=rma.updated_at,
        version=rma.version,
        requested_resolution=rma.requested_resolution,
        resolution=rma.resolution,
        policy_passed=rma.policy_passed,
        exception_requested=rma.exception_requested,
        lines=[_line(line, rma.currency) for line in lines],
        events=[_event(event) for event in events],
        credit=_credit(credit) if credit is not None else None,
    )


def etag(rma: Rma) -> str:
    """The RMA's version (every change bumps it) as a strong entity tag."""
    return f'"rma-{rma.id}-{rma.version}"'


def _line(line: RmaLine, currency: str) -> schemas.RmaLineOut:
    order_line = line.order_line
    return schemas.RmaLineOut(
        id=line.id,
        sku=order_line.product.sku if order_line is not None else None,
        order_line_id=line.order_line_id,
        invoice_number=order_line.order.invoice_number if order_line is not None else None,
        quantity_requested=line.quantity_requested,
        quantity_authorized=line.quantity_authorized,
        quantity_received=line.quantity_received,
        reason=line.reason,
        condition=line.condition,
        grade=line.grade,
        disposition=line.disposition,
        credit=schemas.Money.of(line.credit, currency) if line.credit is not None else None,
    )


def _event(event: RmaEvent) -> schemas.RmaEventOut:
    return schemas.RmaEventOut(
        id=event.id,
        at=event.created_at,
        trigger=event.trigger,
        from_state=event.from_state,
        to_state=event.to_state,
        actor=event.actor.name if event.actor is not None else None,
        comment=event.comment,
    )


def _credit(credit: CreditBreakdown) -> schemas.CreditOut:
    def money(amount: Any) -> schemas.Money:
        return schemas.Money.of(amount, credit.currency)

    rows = [
        schemas.CreditRow(
            item=row.item,
            quantity=row.quantity,
            gross=money(row.amounts.gross),
            restocking_fee=money(row.amounts.restocking_fee),
            grade_deduction=money(row.amounts.grade_deduction),
            exchange_bonus=money(row.amounts.exchange_bonus),
            credit=money(row.amounts.credit),
        )
        for row in credit.rows
    ]
    return schemas.CreditOut(final=credit.final, amount=money(credit.amount), rows=rows)


def account(account: RetailerAccount) -> schemas.AccountOut:
    return schemas.AccountOut(
        id=account.id,
        number=account.number,
        name=account.name,
        country=account.country,
        currency=account.currency,
        region=account.region,
        status=account.status.value,
        sales_rep_id=account.sales_rep_id,
        created_at=account.created_at,
    )


def account_page(found: Slice) -> schemas.AccountPage:
    return schemas.AccountPage(items=[account(row[0]) for row in found.rows], next=found.next)


def product(product: Product) -> schemas.ProductOut:
    return schemas.ProductOut(
        id=product.id,
        sku=product.sku,
        brand=product.brand,
        model=product.model,
        colour=product.colour,
        size=f"{product.eye_size}-{product.bridge_size}-{product.temple_length}",
        category=product.category,
        list_price=str(product.list_price),
        lifecycle=product.lifecycle.value,
    )


def product_page(found: Slice) -> schemas.ProductPage:
    return schemas.ProductPage(items=[product(row[0]) for row in found.rows], next=found.next)


def return_types(found: Sequence[tuple[ReturnType, int | None]]) -> schemas.ReturnTypeList:
    return schemas.ReturnTypeList(
        items=[
            schemas.ReturnTypeOut(
                id=return_type.id,
                code=return_type.code,
                name=return_type.name,
                description=return_type.description,
                reasons=list(return_type.reasons or []),
                resolutions=list(return_type.resolutions or []),
                requires_photos=return_type.requires_photos,
                requires_description=return_type.requires_description,
                policy=dict(return_type.policy or {}),
                policy_version=number,
            )
            for return_type, number in found
        ]
    )


def ledger_page(found: Slice) -> schemas.LedgerPage:
    return schemas.LedgerPage(items=[ledger_entry(row) for row in found.rows], next=found.next)


def ledger_entry(row: Any) -> schemas.LedgerEntryOut:
    """A row of ``portal.api.queries.ledger``."""
    return schemas.LedgerEntryOut(
        id=row.id,
        at=row.created_at,
        kind=row.kind,
        document=row.document,
        rma_number=row.rma_number,
        description=row.description,
        amount=schemas.Money.of(row.amount, row.currency),
        balance=schemas.Money.of(_balance(row.balance, row.currency), row.currency),
    )


def _balance(balance: Any, currency: str) -> Decimal:
    # A window sum: SQLite hands it back as a float, so it is rounded to the currency.
    return round_money(Decimal(str(balance)), currency)


def policy_check(checked: DraftEvaluation) -> schemas.PolicyCheckOut:
    """The live panel's verdict on a draft (``portal.requests.evaluation``)."""
    currency = checked.rma.currency
    contents = checked.contents

    def money(amount: Decimal) -> schemas.Money:
        return schemas.Money.of(round_money(amount, currency), currency)

    return schemas.PolicyCheckOut(
        passed=checked.checks_passed and checked.evaluation.passed,
        can_submit=checked.can_submit,
        exception_needed=checked.needs_exception,
        blocked=checked.blocked,
        findings=[
            schemas.FindingOut(**{**finding.as_dict(), "figures": _plain(finding.figures)})
            for finding in checked.findings
        ],
        checks=[
            schemas.CheckOut(label=str(check.label), passed=check.passed, message=check.message)
            for check in checked.checks
        ],
        lines=[
            schemas.CheckedLineOut(
                sku=draft.product.sku,
                order_line_id=draft.order_line.id,
                invoice_number=draft.order.invoice_number,
                quantity=draft.line.quantity_requested,
                returnable=draft.returnable,
                value=money(draft.value),
                issues=[
                    schemas.LineIssueOut(rule=i.rule, message=i.message, blocking=i.blocking)
                    for i in draft.issues
                ],
            )
            for draft in contents.lines
        ],
        totals=schemas.PolicyTotals(
            units=contents.units,
            value=money(contents.value),
            replacement_units=contents.replacement_units,
            replacement_value=money(contents.replacement_value),
        ),
    )


def _plain(value: Any) -> Any:
    """Figures as JSON: amounts (``Decimal``) as decimal strings, days as ISO dates."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
