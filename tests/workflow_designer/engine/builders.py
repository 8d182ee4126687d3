"""Plain in-memory fakes and small documents for the workflow engine tests (no database)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from workflow_designer.engine.context import FireContext

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@dataclass
class FakeLine:
    quantity_authorized: int = 1
    quantity_received: int | None = 0
    has_discrepancy: bool = False
    grade: str | None = None
    quantity_requested: int = 1


@dataclass
class FakeRma:
    """The attributes docs/workflows.md says guards read and actions write."""

    total_value: Decimal = Decimal("100.00")
    policy_passed: bool = True
    exception_requested: bool = False
    account_status: str = "active"
    resolution: str | None = None
    lines: list[FakeLine] = field(default_factory=lambda: [FakeLine()])
    approval_step: int | None = None
    due_at: datetime | None = None
    label_issued_at: datetime | None = None
    state: str = "draft"


def context(rma: FakeRma | None = None, role: str | None = "admin", **kwargs: Any) -> FireContext:
    """A context with a fixed clock."""
    return FireContext(rma if rma is not None else FakeRma(), role=role, now=NOW, **kwargs)


MINIMAL: dict[str, Any] = {
    "schema": 1,
    "initial": "draft",
    "states": [
        {"name": "draft", "label": "Draft"},
        {"name": "review", "label": "Review"},
        {"name": "done", "label": "Done", "final": True},
    ],
    "transitions": [
        {
            "trigger": "submit",
            "label": "Submit",
            "source": "draft",
            "dest": "review",
            "roles": ["retailer"],
        },
        {
            "trigger": "approve",
            "label": "Approve",
            "source": "review",
            "dest": "done",
            "roles": ["admin"],
        },
    ],
}


def minimal_doc() -> dict[str, Any]:
    """draft --submit--> review --approve--> done (final); valid."""
    return copy.deepcopy(MINIMAL)


def approval(**overrides: Any) -> dict[str, Any]:
    """A valid approval step (step 1, the account's rep, always), with overrides."""
    return {
        "step": 1,
        "approver": {"kind": "account_rep"},
        "when": {"kind": "always"},
        "sla_hours": 48,
        "escalate_to": "admins",
        **overrides,
    }


def transition(trigger: str, source: Any, dest: str, **extra: Any) -> dict[str, Any]:
    """A transition dict with a label and the admin role unless overridden."""
    return {
        "trigger": trigger,
        "label": trigger.title(),
        "source": source,
        "dest": dest,
        "roles": ["admin"],
        **extra,
    }
