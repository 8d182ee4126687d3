"""Fixtures of the ledger's tests: the back office's shop and a credited RMA."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import CreditMemo
from tests import shop as backoffice
from tests.portal.admin.flows import resolve

shop = backoffice.shop
awaiting = backoffice.awaiting


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
