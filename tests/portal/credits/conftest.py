"""Fixtures of the ledger's tests: the back office's shop and a credited RMA."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from models import CreditMemo, Grade, InspectionResult, LedgerEntry
from models.base import utcnow
from tests import shop as backoffice
from tests.portal.admin.flows import resolve
from workflow_designer.runtime import firing as runtime

shop = backoffice.shop
awaiting = backoffice.awaiting


@pytest.fixture(autouse=True)
def _forget_compiled_workflows():
    # SQLite hands out rolled-back ids again: a cached machine could belong to another test.
    runtime.MACHINES.clear()
    yield
    runtime.MACHINES.clear()


@pytest.fixture
def credited(db_session, shop, awaiting):
    """``awaiting`` resolved as credit: memo of €188.66 (3 new + 1 used AUR-1 = 132.00,
    2 open packaging VEL-2 = 56.66)."""
    resolve(db_session, awaiting, shop)
    return db_session.scalar(select(CreditMemo).where(CreditMemo.rma_id == awaiting.id))


@pytest.fixture
def refundable(db_session, shop, awaiting):
    """``awaiting`` resolved as a refund: its memo of €188.66 waits to be paid out.

    (The test workflow executes credit resolutions only; the resolution is what counts.)"""
    resolve(db_session, awaiting, shop)
    awaiting.resolution = "refund"
    db_session.flush()
    return db_session.scalar(select(CreditMemo).where(CreditMemo.rma_id == awaiting.id))


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
