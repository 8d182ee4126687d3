"""The actions a workflow may name.

An action the product cannot perform is not registered. Actions that write to the
database (restock, issue_credit, create_replacement_order) are EffectActions: the engine
records them and ``workflow_designer.runtime.firing`` runs their registered handler.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from workflow_designer.engine.base import ActionBase
from workflow_designer.engine.context import FireContext
from workflow_designer.engine.params import ChoiceParam, IntParam
from workflow_designer.policy.words import lazy_gettext as _l

RECIPIENTS: tuple[str, ...] = ("retailer", "account_rep", "approver", "admins", "warehouse")

# The notification templates the outbox worker knows how to render.
NOTIFY_TEMPLATES: tuple[str, ...] = (
    "rma_submitted",
    "approval_requested",
    "approval_escalated",
    "rma_authorized",
    "rma_rejected",
    "changes_requested",
    "rma_cancelled",
    "rma_shipped",
    "rma_received",
    "rma_inspected",
    "rma_credited",
    "rma_exchanged",
    "rma_to_be_returned",
    "rma_shipped_back",
    "rma_closed",
)

MAX_DUE_HOURS = 24 * 365


class Notify(ActionBase):
    name = "notify"
    label = _l("Notify")
    description = _l("Send a notification from a fixed template (written to the outbox).")
    params = (
        ChoiceParam(name="to", description=_l("Who receives it"), choices=RECIPIENTS),
        ChoiceParam(name="template", description=_l("Which message"), choices=NOTIFY_TEMPLATES),
    )

    def run(self, ctx: FireContext, *, to: str, template: str, **params: Any) -> None:
        ctx.add_effect({"kind": "notify", "to": to, "template": template})


class AssignApprover(ActionBase):
    name = "assign_approver"
    label = _l("Assign approver")
    description = _l("Route the RMA to the approver of the given approval step.")
    params = (IntParam(name="step", description=_l("Approval step number"), minimum=1),)

    def run(self, ctx: FireContext, *, step: int, **params: Any) -> None:
        ctx.set_rma("approval_step", step)


class SetDue(ActionBase):
    name = "set_due"
    label = _l("Set due time")
    description = _l("Set the RMA's due time to the given number of hours from now.")
    params = (
        IntParam(name="hours", description=_l("Hours from now"), minimum=1, maximum=MAX_DUE_HOURS),
    )

    def run(self, ctx: FireContext, *, hours: int, **params: Any) -> None:
        ctx.set_rma("due_at", ctx.now + timedelta(hours=hours))


class IssueLabel(ActionBase):
    name = "issue_label"
    label = _l("Issue the return label")
    description = _l(
        "Issue the return label the retailer prints and packs (from then on it can be "
        "downloaded from the RMA page), and authorize each line's requested quantity unless "
        "an approver already authorized a quantity for it."
    )

    def run(self, ctx: FireContext, **params: Any) -> None:
        # Read the lines before changing anything: loading them may flush the session, and
        # the RMA's version check must happen once, when the caller flushes.
        lines = list(ctx.rma.lines)
        ctx.set_rma("label_issued_at", ctx.now)
        # Lines are not undone by ctx if a later action raises; the database layer rolls
        # back (and expires) them with the transaction. Put this action first in on_enter.
        for line in lines:
            if line.quantity_authorized == 0:
                line.quantity_authorized = line.quantity_requested


class EffectAction(ActionBase):
    """An action carried out by the database layer once the fire succeeds.

    The engine only records the request in ``ctx.effects``; ``workflow_designer.runtime.firing``
    runs the handler registered for it in the same transaction (or refuses the fire).
    """

    def run(self, ctx: FireContext, **params: Any) -> None:
        ctx.add_effect({"kind": self.name, **params})


class Restock(EffectAction):
    name = "restock"
    label = _l("Move graded stock into inventory")
    description = _l(
        "Put the inspected units into the warehouse's stock for their grade "
        "(units to scrap or to return to the manufacturer are left out)."
    )


class IssueCredit(EffectAction):
    name = "issue_credit"
    label = _l("Issue the credit memo")
    description = _l(
        "Compute the credit from the invoice prices, restocking fee, grade deductions and "
        "exchange bonus, and write the credit memo to the account's ledger."
    )


class CreateReplacementOrder(EffectAction):
    name = "create_replacement_order"
    label = _l("Create the replacement order")
    description = _l("Turn the request's replacement lines into an order for the ERP to fulfil.")


BUILTIN_ACTIONS: tuple[type[ActionBase], ...] = (
    Notify,
    AssignApprover,
    SetDue,
    IssueLabel,
    Restock,
    IssueCredit,
    CreateReplacementOrder,
)
