"""Helpers of the credit tests."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from pypdf import PdfReader

from models import Grade, InspectionResult, LedgerEntry
from models.base import utcnow


def regrade_used_as_new(session, rma) -> None:
    """Inspection corrected after resolution: the used AUR-1 was new after all (+12.00)."""
    aurora = rma.lines[0]
    results = {r.grade: r for r in aurora.inspection_results}
    used = results[Grade.USED]
    results[Grade.NEW].quantity += used.quantity
    aurora.inspection_results.remove(used)
    session.delete(used)
    session.flush()
    session.expire(aurora, ["inspection_results"])
    assert sum(r.quantity for r in aurora.inspection_results if r.grade is Grade.NEW) == 4
    assert isinstance(aurora.inspection_results[0], InspectionResult)


def add_entry(session, account, amount: str, currency: str = "EUR", days_ago: float = 0):
    entry = LedgerEntry(
        account_id=account.id,
        currency=currency,
        amount=Decimal(amount),
        description=f"Manual entry {amount} {currency}",
        created_at=utcnow() - timedelta(days=days_ago),
    )
    session.add(entry)
    session.flush()
    return entry


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
