"""Plain builders for policy tests: rules, lines and requests with readable defaults."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from workflow_designer.policy import (
    AccountFacts,
    PolicyRequest,
    ReplacementRequestLine,
    RequestLine,
    evaluate,
)

TODAY = date(2026, 3, 1)


def rule(mode: str | None = "blocking", **params: Any) -> dict[str, Any]:
    """An enabled rule; ``mode=None`` for credit rules."""
    doc: dict[str, Any] = {"enabled": True, **params}
    if mode is not None:
        doc["mode"] = mode
    return doc


def line(sku: str = "LUN-1", quantity: int = 1, price: str = "100.00", **fields: Any):
    fields.setdefault("invoice_number", "INV-1")
    fields.setdefault("invoice_date", date(2025, 10, 1))
    fields.setdefault("lifecycle", "discontinued")
    fields.setdefault("brand", "Lunetta")
    fields.setdefault("category", "optical")
    return RequestLine(sku=sku, quantity=quantity, unit_net_price=Decimal(price), **fields)


def replacement(sku: str = "NEW-1", quantity: int = 1, price: str = "100.00", **fields: Any):
    fields.setdefault("available", 100)
    return ReplacementRequestLine(sku=sku, quantity=quantity, unit_price=Decimal(price), **fields)


def request(*lines: RequestLine, today: date = TODAY, replacements=(), **facts: Any):
    facts.setdefault("currency", "EUR")
    return PolicyRequest(
        today=today,
        lines=tuple(lines),
        replacement_lines=tuple(replacements),
        facts=AccountFacts(**facts),
    )


def only_finding(policy: dict[str, Any], req: PolicyRequest):
    """The single finding of a one-rule policy."""
    findings = evaluate(policy, req).findings
    assert len(findings) == 1, findings
    return findings[0]
