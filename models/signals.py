"""Risk signals: the thresholds admins set, and the weekly digests already queued."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, CreatedAt, JsonDocument, Timestamp

# One deployment serves one distributor: its thresholds are the one row with this id.
SETTINGS_ID = 1


class RiskSignalSettings(Base):
    """The distributor's thresholds (``portal.signals.rules.Thresholds`` as a document).

    A document rather than a column per figure: a value it lacks, or one out of bounds,
    falls back to its default when read, so a new signal needs no migration."""

    __tablename__ = "risk_signal_settings"
    __table_args__ = (CheckConstraint(f"id = {SETTINGS_ID}", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    thresholds: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    updated_at: Mapped[Timestamp]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class WeeklyDigest(Base):
    """A digest queued for one user in one ISO week: the key that makes it once a week,
    however many workers look at the clock at the same time."""

    __tablename__ = "weekly_digests"
    __table_args__ = (UniqueConstraint("user_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # ISO week, e.g. "2026-W50", in the distributor's time zone.
    week: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[CreatedAt]

    def __repr__(self) -> str:
        return f"<WeeklyDigest {self.user_id} {self.week}>"
