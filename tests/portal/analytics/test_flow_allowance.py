"""The allowance page's figures are the live policy panel's: for every demo account, the
same rule checked on the facts ``load_facts`` loads for one account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from models import RetailerAccount, Role, User
from portal.analytics.allowance import allowance_page, allowance_types
from portal.analytics.flow_scope import FlowFilters
from portal.demo import SCALES, load_demo
from workflow_designer.policy import PolicyRequest
from workflow_designer.policy.rules.base import RULES
from workflow_designer.runtime.policy_facts import load_facts

TODAY = date(2026, 3, 15)


def test_every_account_reads_as_its_live_policy_panel(db_session):
    load_demo(db_session, seed=7, today=TODAY, scale=SCALES["tiny"])
    admin = db_session.scalar(select(User).where(User.role == Role.ADMIN).limit(1))
    (kind,) = allowance_types(db_session, FlowFilters())
    page = allowance_page(db_session, admin, FlowFilters(), TODAY, 1, 200)

    assert len(page.items) == db_session.query(RetailerAccount).count() == 12
    assert any(row.used > 0 for row in page.items)
    for row in page.items:
        account = db_session.get(RetailerAccount, row.account_id)
        policy = kind.return_type.policy
        facts = load_facts(db_session, account, kind.return_type, policy, TODAY)
        live = RULES["allowance"].check(kind.params, PolicyRequest(today=TODAY, facts=facts))
        figures = live.figures
        assert (row.net_purchases, row.allowance, row.used, row.left) == (
            Decimal(figures["net_purchases"]),
            Decimal(figures["allowance"]),
            Decimal(figures["used"]),
            Decimal(figures["left"]),
        ), account.number
        assert row.credited == Decimal(figures["previously_credited"])


def test_a_rep_pages_through_their_accounts_only(db_session):
    load_demo(db_session, seed=7, today=TODAY, scale=SCALES["tiny"])
    rep = db_session.scalar(
        select(User).join(RetailerAccount, RetailerAccount.sales_rep_id == User.id).limit(1)
    )
    theirs = set(
        db_session.scalars(
            select(RetailerAccount.number).where(RetailerAccount.sales_rep_id == rep.id)
        )
    )
    first = allowance_page(db_session, rep, FlowFilters(), TODAY, 1, 2)
    shown = {row.account_number for row in first.items}
    assert shown <= theirs and first.total == len(theirs)
