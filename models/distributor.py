"""The distributor running this deployment: the letterhead of its documents."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

# One deployment serves one distributor: its profile is the one row with this id.
PROFILE_ID = 1


class DistributorProfile(Base):
    __tablename__ = "distributor_profiles"
    __table_args__ = (CheckConstraint(f"id = {PROFILE_ID}", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    legal_name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))
    vat_number: Mapped[str] = mapped_column(String(32))
    email: Mapped[str] = mapped_column(String(254))
    # Staff read this language and see times in this zone unless they chose their own;
    # what admins type in the designer falls back to this language. None: English, UTC.
    locale: Mapped[str | None] = mapped_column(String(8))
    time_zone: Mapped[str | None] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<DistributorProfile {self.legal_name}>"
