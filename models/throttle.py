"""Throttle counters: login attempts and failures, shared by every app process."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamp


class ThrottleCounter(Base):
    """One counter (attempts of an address, failures of an e-mail at an address, …).

    ``key`` is the counter's kind and a digest of what it counts, so no e-mail address or
    client address is stored, and any submitted text makes a valid key.
    """

    __tablename__ = "throttle_counters"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    hits: Mapped[int]
    last_at: Mapped[Timestamp]
    # The count is forgotten from then on; rows past it are pruned.
    expires_at: Mapped[Timestamp] = mapped_column(index=True)

    def __repr__(self) -> str:
        return f"<ThrottleCounter {self.key} {self.hits}>"
