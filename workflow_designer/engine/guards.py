"""The guards a workflow may name. Each reads ``ctx.rma`` only and changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workflow_designer.engine.base import GuardBase, GuardResult
from workflow_designer.engine.context import FireContext
from workflow_designer.engine.i18n import _, _l, ngettext
from workflow_designer.engine.params import ChoiceParam, DecimalParam
from workflow_designer.policy.money import format_amount
from workflow_designer.policy.vocabulary import RESOLUTIONS

AMOUNT = DecimalParam(
    name="amount", description=_l("Amount in the account's currency, e.g. 2500.00")
)


def words(name: str) -> str:
    """``replacement_order`` → ``replacement order``."""
    return name.replace("_", " ")


class PolicyPassed(GuardBase):
    name = "policy_passed"
    label = _l("Policy passed")
    description = _l("The return type's policy rules all passed when the RMA was submitted.")

    def check(self, ctx: FireContext, **params: Any) -> GuardResult:
        if ctx.rma.policy_passed:
            return GuardResult(True, _("The return policy is met."))
        return GuardResult(False, _("The return policy is not met."))


class ExceptionRequested(GuardBase):
    name = "exception_requested"
    label = _l("Exception requested")
    description = _l("The retailer asked for an exception to a policy rule that allows one.")

    def check(self, ctx: FireContext, **params: Any) -> GuardResult:
        if ctx.rma.exception_requested:
            return GuardResult(True, _("The retailer asked for an exception."))
        return GuardResult(False, _("No exception was requested."))


class ValueAtLeast(GuardBase):
    name = "value_at_least"
    label = _l("Value at least")
    description = _l("The RMA's total value is at least the given amount.")
    params = (AMOUNT,)

    def check(self, ctx: FireContext, *, amount: Decimal, **params: Any) -> GuardResult:
        value = ctx.rma.total_value
        shown, limit = format_amount(value), format_amount(amount)
        if value >= amount:
            return GuardResult(
                True,
                _("The return value %(value)s is at least %(limit)s.", value=shown, limit=limit),
            )
        return GuardResult(
            False, _("The return value %(value)s is below %(limit)s.", value=shown, limit=limit)
        )


class ValueBelow(GuardBase):
    name = "value_below"
    label = _l("Value below")
    description = _l("The RMA's total value is below the given amount.")
    params = (AMOUNT,)

    def check(self, ctx: FireContext, *, amount: Decimal, **params: Any) -> GuardResult:
        value = ctx.rma.total_value
        shown, limit = format_amount(value), format_amount(amount)
        if value < amount:
            return GuardResult(
                True, _("The return value %(value)s is below %(limit)s.", value=shown, limit=limit)
            )
        return GuardResult(
            False, _("The return value %(value)s is not below %(limit)s.", value=shown, limit=limit)
        )


class AllLinesReceived(GuardBase):
    name = "all_lines_received"
    label = _l("All lines received")
    description = _l("Every line has arrived in at least the quantity authorized.")

    def check(self, ctx: FireContext, **params: Any) -> GuardResult:
        lines = list(ctx.rma.lines)
        if not lines:
            return GuardResult(False, _("The RMA has no lines."))
        short = [ln for ln in lines if (ln.quantity_received or 0) < ln.quantity_authorized]
        if short:
            return GuardResult(
                False,
                ngettext(
                    "%(num)d line not fully received yet.",
                    "%(num)d lines not fully received yet.",
                    len(short),
                ),
            )
        return GuardResult(True, _("Every line has been received."))


class HasDiscrepancy(GuardBase):
    name = "has_discrepancy"
    label = _l("Has discrepancy")
    description = _l("Receiving or inspection flagged at least one line as not matching the RMA.")

    def check(self, ctx: FireContext, **params: Any) -> GuardResult:
        flagged = sum(1 for line in ctx.rma.lines if line.has_discrepancy)
        if flagged:
            return GuardResult(
                True,
                ngettext(
                    "%(num)d line flagged with a discrepancy.",
                    "%(num)d lines flagged with a discrepancy.",
                    flagged,
                ),
            )
        return GuardResult(False, _("No line is flagged with a discrepancy."))


class InspectionComplete(GuardBase):
    name = "inspection_complete"
    label = _l("Inspection complete")
    description = _l("Something was received and every received line has been graded.")

    def check(self, ctx: FireContext, **params: Any) -> GuardResult:
        # Units beyond the authorised quantity are held apart, not graded.
        received = [
            line
            for line in ctx.rma.lines
            if min(line.quantity_received or 0, line.quantity_authorized or 0) > 0
        ]
        if not received:
            return GuardResult(False, _("Nothing has been received to inspect."))
        ungraded = sum(1 for line in received if line.grade is None)
        if ungraded:
            return GuardResult(
                False,
                ngettext(
                    "%(num)d received line not graded yet.",
                    "%(num)d received lines not graded yet.",
                    ungraded,
                ),
            )
        return GuardResult(True, _("Every received line has been graded."))


class ResolutionIs(GuardBase):
    name = "resolution_is"
    label = _l("Resolution is")
    description = _l("The resolution chosen for the RMA is the given kind.")
    params = (ChoiceParam(name="kind", description=_l("Resolution kind"), choices=RESOLUTIONS),)

    def check(self, ctx: FireContext, *, kind: str, **params: Any) -> GuardResult:
        chosen = ctx.rma.resolution
        if chosen is None:
            return GuardResult(False, _("No resolution has been chosen yet."))
        chosen = str(getattr(chosen, "value", chosen))
        if chosen == kind:
            return GuardResult(True, _("The resolution is %(kind)s.", kind=words(kind)))
        return GuardResult(
            False,
            _(
                "The resolution is %(chosen)s, not %(kind)s.",
                chosen=words(chosen),
                kind=words(kind),
            ),
        )


class AccountInGoodStanding(GuardBase):
    name = "account_in_good_standing"
    label = _l("Account in good standing")
    description = _l("The retailer account is active, not on hold.")

    def check(self, ctx: FireContext, **params: Any) -> GuardResult:
        status = ctx.rma.account_status
        if str(getattr(status, "value", status)) == "active":
            return GuardResult(True, _("The account is active."))
        return GuardResult(False, _("The account is on hold."))


BUILTIN_GUARDS: tuple[type[GuardBase], ...] = (
    PolicyPassed,
    ExceptionRequested,
    ValueAtLeast,
    ValueBelow,
    AllLinesReceived,
    HasDiscrepancy,
    InspectionComplete,
    ResolutionIs,
    AccountInGoodStanding,
)
