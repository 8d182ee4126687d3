"""Figures read from the rollups are kept per process until the rollups change.

The rollups change only when the worker refreshes them, and each refresh moves a
watermark; a view's figures are a function of the rollups, the viewer's accounts, the
filters and the reader's language (the labels). Kept under all of these, a figure is
never shown after any of them changed: an account moved to another rep changes the rep's
accounts, so their next page reads afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import RetailerAccount, Role, RollupWatermark, User
from portal.analytics.flow_scope import scoped_account_ids
from portal.analytics.refresh import WATERMARK
from portal.caching import app_cache

# A safety net only: entries are replaced as soon as what they were read from changes.
FIGURES_TTL = 3600.0

T = TypeVar("T")


def kept(
    session: Session,
    user: User,
    name: str,
    key: Hashable,
    version: Hashable,
    load: Callable[[], T],
) -> T:
    """``load()``'s figures, or those it gave for the same ``key``, viewer's accounts,
    language and rollup ``version``."""
    full_key = (key, scope_key(session, user), str(get_locale()), version)
    return app_cache(f"analytics.{name}", FIGURES_TTL).get(full_key, load)


def scope_key(session: Session, user: User) -> Hashable:
    """Whose accounts the figures cover: every account for an admin; anyone else's are
    named one by one, so a change of assignment is a new key."""
    if user.role is Role.ADMIN:
        return "all"
    ids = session.scalars(scoped_account_ids(user).order_by(RetailerAccount.id))
    return (user.role.value, tuple(ids))


def returns_version(session: Session) -> Hashable:
    """The moment the return and purchase rollups were last brought up to date."""
    return session.scalar(
        select(RollupWatermark.changes_through).where(RollupWatermark.name == WATERMARK)
    )
