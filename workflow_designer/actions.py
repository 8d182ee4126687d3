"""The actions a workflow may name today.

Actions the product cannot perform yet (issue_label, issue_credit,
create_replacement_order, restock) are deliberately absent: the features that implement
them register their own ActionBase subclasses, usually with ``needs_session = True``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from workflow_designer.base import ActionBase
from workflow_designer.context import FireContext
from workflow_designer.params import ChoiceParam, IntParam

RECIPIENTS: tuple[str, ...] = ("retailer", "account_rep", "approver", "admins", "warehouse")

# The notification templates the outbox worker knows how to render.
NOTIFY_TEMPLATES: tuple[str, ...] = (
    "rma_submitted",
    "approval_requested",
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
    label = "Notify"
    description = "Send a notification from a fixed template (written to the outbox)."
    params = (
        ChoiceParam(name="to", description="Who receives it", choices=RECIPIENTS),
        ChoiceParam(name="template", description="Which message", choices=NOTIFY_TEMPLATES),
    )

    def run(self, ctx: FireContext, *, to: str, template: str, **params: Any) -> None:
        ctx.add_effect({"kind": "notify", "to": to, "template": template})


class AssignApprover(ActionBase):
    name = "assign_approver"
    label = "Assign approver"
    description = "Route the RMA to the approver of the given approval step."
    params = (IntParam(name="step", description="Approval step number", minimum=1),)

    def run(self, ctx: FireContext, *, step: int, **params: Any) -> None:
        ctx.set_rma("approval_step", step)


class SetDue(ActionBase):
    name = "set_due"
    label = "Set due time"
    description = "Set the RMA's due time to the given number of hours from now."
    params = (
        IntParam(name="hours", description="Hours from now", minimum=1, maximum=MAX_DUE_HOURS),
    )

    def run(self, ctx: FireContext, *, hours: int, **params: Any) -> None:
        ctx.set_rma("due_at", ctx.now + timedelta(hours=hours))


BUILTIN_ACTIONS: tuple[type[ActionBase], ...] = (Notify, AssignApprover, SetDue)
