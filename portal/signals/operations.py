"""Changes to the risk signal settings. Operations never commit; the request does."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models import User
from models.signals import SETTINGS_ID, RiskSignalSettings
from portal.signals.rules import Thresholds


def save_thresholds(
    session: Session, actor: User, thresholds: Thresholds, now: datetime
) -> RiskSignalSettings:
    """Store the distributor's thresholds (the one settings row, made on first save)."""
    row = session.get(RiskSignalSettings, SETTINGS_ID, with_for_update=True)
    if row is None:
        row = RiskSignalSettings(id=SETTINGS_ID)
        session.add(row)
    row.thresholds = thresholds.as_document()
    row.updated_at = now
    row.updated_by_id = actor.id
    return row
