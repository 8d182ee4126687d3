"""Fixtures of the admin RMA screens and the credit ledger's tests.

The back office's ``shop`` and ``awaiting`` fixtures come from ``tests/shop.py``; its pages
in a real browser are tested in ``tests/browser/test_back_office.py``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from models import Role
from models.base import utcnow
from tests import shop as backoffice
from tests.factories import make_account, make_return_type, make_rma, make_user

# Fixtures shared with the back office's tests.
shop = backoffice.shop
awaiting = backoffice.awaiting


@pytest.fixture
def admin(login_as, shop):
    login_as(shop["admin"])
    return shop["admin"]


@pytest.fixture
def listing(db_session, shop):
    """Four RMAs across two accounts, reps and return types:

    A  shop's account    rotation   authorized  submitted 40 days ago    100.00
    B  shop's account    defective  inspected   submitted  5 days ago  2,500.00
    C  Lunettes Dupont   rotation   rep_review  submitted 10 days ago    750.00
    D  Lunettes Dupont   defective  draft       never submitted           50.00
    """
    now = utcnow()
    version = shop["version"]
    second_rep = make_user(db_session, Role.SALES_REP, name="Sam Second")
    dupont = make_account(db_session, sales_rep=second_rep, name="Lunettes Dupont", number="FR-200")
    rotation = make_return_type(db_session, version.workflow_id, name="Stock rotation")
    defective = make_return_type(db_session, version.workflow_id, name="Defective")
    specs = {
        "A": (shop["account"], rotation, "authorized", now - timedelta(days=40), "100.00"),
        "B": (shop["account"], defective, "inspected", now - timedelta(days=5), "2500.00"),
        "C": (dupont, rotation, "rep_review", now - timedelta(days=10), "750.00"),
        "D": (dupont, defective, "draft", None, "50.00"),
    }
    for key, (account, return_type, state, submitted_at, value) in specs.items():
        make_rma(
            db_session,
            account,
            version,
            number=f"RMA-LIST-{key}",
            return_type=return_type,
            state=state,
            submitted_at=submitted_at,
            total_value=Decimal(value),
        )
    return {
        "rotation": rotation,
        "defective": defective,
        "rita": shop["rep"],
        "sam": second_rep,
        "dupont": dupont,
    }
