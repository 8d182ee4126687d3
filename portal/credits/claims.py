"""The condition claimed against the condition found, per line, in money.

A line's claim is the condition the retailer reported (from the questionnaire's answers
when the return type asks one). Both sides are priced by the one credit function on the
same credited units: at the claimed condition, and at the grades inspection found, so the
difference is the condition's alone, and it is zero when inspection found what was claimed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from models import Rma, RmaLine
from portal.credits.operations import credit_for, policy_for, request_line
from workflow_designer.policy.credit import estimate_credit


@dataclass(frozen=True)
class ClaimComparison:
    """One inspected line: claimed condition and answers, grades found, both credits."""

    line_id: int
    sku: str
    claimed: str
    answers: tuple[tuple[str, str], ...]
    found: tuple[tuple[str, int], ...]
    claimed_credit: Decimal
    final_credit: Decimal

    @property
    def difference(self) -> Decimal:
        """Final credit less the credit at the claimed condition (below zero: found worse)."""
        return self.final_credit - self.claimed_credit

    @property
    def as_claimed(self) -> bool:
        return all(grade == self.claimed for grade, _units in self.found)


def claim_comparisons(rma: Rma, lines: Iterable[RmaLine]) -> dict[int, ClaimComparison]:
    """Line id → its comparison, for the lines inspection graded (results loaded)."""
    graded = [line for line in lines if line.order_line is not None and line.inspection_results]
    if not graded:
        return {}
    final = _by_line(credit_for(rma, lines=graded).lines)
    claimed_lines = [request_line(line, True, True, graded=False) for line in graded]
    claimed = _by_line(
        estimate_credit(policy_for(rma), claimed_lines, rma.resolution, currency=rma.currency).lines
    )
    return {
        line.id: ClaimComparison(
            line.id,
            line.order_line.product.sku if line.order_line else "",
            line.condition,
            tuple((a["question_text"], a["answer_text"]) for a in line.condition_answers or ()),
            tuple((r.grade.value, r.quantity) for r in line.inspection_results),
            claimed.get(line.id, Decimal(0)),
            final.get(line.id, Decimal(0)),
        )
        for line in graded
    }


def _by_line(priced) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    for part in priced:
        if part.rma_line_id is not None:
            totals[part.rma_line_id] = totals.get(part.rma_line_id, Decimal(0)) + part.credit
    return totals
