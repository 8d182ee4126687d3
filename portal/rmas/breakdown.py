"""The RMA page's one credit figure and the breakdown that adds up to it.

Before inspection the figure is the estimate, after it the final credit; both come from
``credit_for``. Once a credit memo exists, the figure and the rows are the issued
documents': the memo's lines, then those of any adjustment or reversal that followed it —
what was issued, not what would be computed today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from models import CreditMemo, MemoKind, Rma, RmaLine
from portal.credits.operations import credit_for
from portal.credits.queries import LEDGER_KIND_LABELS
from portal.rmas.words import value_words
from workflow_designer.policy.credit import CreditEstimate, CreditLine, LineAmounts, line_amounts
from workflow_designer.policy.money import round_money
from workflow_designer.policy.words import in_sentence


@dataclass(frozen=True)
class BreakdownRow:
    """One priced part of a line: gross − restocking fee − grade deduction + bonus = credit."""

    item: str
    grade: str
    quantity: int
    amounts: LineAmounts


@dataclass(frozen=True)
class CreditBreakdown:
    final: bool
    currency: str
    rows: tuple[BreakdownRow, ...]
    amount: Decimal
    # The exchange bonus the replacement order leaves unused (never paid out).
    bonus_unused: Decimal = Decimal(0)

    @property
    def label(self) -> str:
        return _("Final credit") if self.final else _("Estimated credit")

    @property
    def total(self) -> LineAmounts:
        """The rows' sums; ``total.credit`` equals ``amount``."""

        def total(name: str) -> Decimal:
            start = round_money(Decimal(0), self.currency)
            return sum((getattr(row.amounts, name) for row in self.rows), start)

        return LineAmounts(
            total("gross"),
            total("restocking_fee"),
            total("grade_deduction"),
            total("exchange_bonus"),
            total("credit"),
        )


def credit_breakdown(
    rma: Rma, lines: list[RmaLine], inspected: bool, documents: Sequence[CreditMemo] = ()
) -> CreditBreakdown | None:
    """The issued documents' figures, else the final credit once inspected, else the
    estimate. None when no line is on an invoice (nothing can be priced)."""
    if documents:
        return from_documents(documents)
    if not any(line.order_line is not None for line in lines):
        return None
    estimate = credit_for(rma, lines=lines, final=inspected)
    return from_estimate(estimate, lines, final=inspected)


def from_estimate(estimate: CreditEstimate, lines: list[RmaLine], final: bool) -> CreditBreakdown:
    by_id = {line.id: line for line in lines}
    rows = tuple(
        BreakdownRow(
            _item(by_id[priced.rma_line_id]) if priced.rma_line_id in by_id else priced.sku,
            _grade_words(priced, by_id.get(priced.rma_line_id)),
            priced.quantity,
            line_amounts(priced, estimate.currency),
        )
        for priced in estimate.lines
    )
    return CreditBreakdown(
        final, estimate.currency, rows, estimate.total_credit, estimate.bonus_unused
    )


def from_documents(documents: Sequence[CreditMemo]) -> CreditBreakdown:
    """The credit memo's rows, then each later document's, named by its kind and number;
    the figure is what they issued together."""
    rows = tuple(row for memo in documents for row in _memo_rows(memo))
    amount = sum((memo.amount for memo in documents), Decimal(0))
    return CreditBreakdown(True, documents[0].currency, rows, amount)


def _memo_rows(memo: CreditMemo) -> list[BreakdownRow]:
    later = memo.kind is not MemoKind.CREDIT_MEMO
    return [
        BreakdownRow(
            _(
                "%(kind)s %(number)s: %(line)s",
                kind=LEDGER_KIND_LABELS[memo.kind.value],
                number=memo.number,
                line=line.description,
            )
            if later
            else line.description,
            "",
            line.quantity,
            LineAmounts(
                line.gross,
                line.restocking_fee,
                line.grade_deduction,
                line.exchange_bonus,
                line.amount,
            ),
        )
        for line in memo.lines
    ]


def _item(line: RmaLine) -> str:
    assert line.order_line is not None
    product = line.order_line.product
    return f"{product.sku} {product.brand} {product.model}"


def _grade_words(priced: CreditLine, line: RmaLine | None) -> str:
    """The grade the row is priced at, and where it came from; an inspection grade that
    differs from the reported condition names both (the retailer's trade-in answer)."""
    if priced.grade is None:
        return _("Not stated")
    words = value_words(priced.grade)
    if priced.grade_source != "inspection":
        return _("%(grade)s (reported)", grade=words)
    reported = line.condition if line is not None else ""
    if reported and reported != priced.grade:
        return _(
            "%(grade)s (reported %(reported)s)",
            grade=words,
            reported=in_sentence(value_words(reported)),
        )
    return words
