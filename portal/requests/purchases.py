"""Net purchases for the live policy panel, remembered for a few minutes per process.

Every edit of a draft evaluates its policy again, and the allowance rule needs the
account's net purchases over its period: a sum over thousands of invoice lines (4–9 ms
for the busiest account of the large data set) that only an import of invoices changes.
The panel reuses the figure for ``PURCHASES_TTL`` seconds; submitting reads it afresh, so
a stale figure can only make the panel lag behind an import, never decide a request.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from models import RetailerAccount
from portal.caching import app_cache
from workflow_designer.runtime.policy_facts import net_purchases

PURCHASES_TTL = 300.0


def recent_net_purchases(
    session: Session, account: RetailerAccount, today: date, days: int
) -> Decimal:
    """``net_purchases`` as read at most ``PURCHASES_TTL`` seconds ago in this process."""
    return app_cache("net_purchases", PURCHASES_TTL).get(
        (account.id, account.currency, today, days),
        lambda: net_purchases(session, account, today, days),
    )
