"""What a rule check returns, the registry of checks, and the words they share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from workflow_designer.policy.request import PolicyRequest, RequestLine
from workflow_designer.policy.validation import RuleConfig


@dataclass(frozen=True)
class Outcome:
    passed: bool
    message: str
    figures: dict[str, Any]


Check = Callable[[RuleConfig, PolicyRequest], Outcome]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register the function as the check of rule ``name`` (one per rule)."""

    def register(function: Check) -> Check:
        if name in CHECKS:
            raise ValueError(f"rule '{name}' already has a check")
        CHECKS[name] = function
        return function

    return register


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 line``, ``3 lines``; irregular plurals through ``words``."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def listing(items: Iterable[str], limit: int = 3) -> str:
    """``A, B and C`` — at most ``limit`` items, then ``… and 4 more``."""
    items = list(items)
    if not items:
        return ""
    if len(items) <= limit:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def line_ref(line: RequestLine) -> dict[str, Any]:
    """How a line is named in figures."""
    return {
        "order_line_id": line.order_line_id,
        "sku": line.sku,
        "invoice_number": line.invoice_number,
    }
