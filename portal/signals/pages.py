"""The signals a page shows: for the accounts on it, as the viewer may see them, in words.

Periods end today in UTC, as the policy's periods do."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from models import RetailerAccount, User
from models.base import utcnow
from portal.signals.queries import STAFF, signals_for_accounts
from portal.signals.words import ShownSignal, shown_by_account


def shown_signals(
    session: Session, user: User, account_ids: Iterable[int]
) -> dict[int, list[ShownSignal]]:
    """Account id → its signals in words, for those of ``account_ids`` ``user`` may see
    signals of (staff only; a retailer, warehouse or out-of-scope account gets none)."""
    ids = set(account_ids)
    if not ids:
        return {}
    return shown_by_account(signals_for_accounts(session, user, ids, utcnow().date()))


def account_signals(session: Session, user: User, account: RetailerAccount) -> list[ShownSignal]:
    """The signals of one account, for its page (none for anyone but staff)."""
    return shown_signals(session, user, [account.id]).get(account.id, [])


def rma_signals(session: Session, user: User, account_id: int) -> list[ShownSignal] | None:
    """The signals of an RMA's account for its page; None for those who never see
    signals (retailers, the warehouse), whose page has no such section."""
    if user.role not in STAFF:
        return None
    return shown_signals(session, user, [account_id]).get(account_id, [])
