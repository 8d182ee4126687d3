"""The distributor's defaults for users who chose no language or time zone."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DistributorProfile
from models.distributor import PROFILE_ID


def distributor_defaults(session: Session) -> dict[str, str | None]:
    row = session.execute(
        select(DistributorProfile.locale, DistributorProfile.time_zone).where(
            DistributorProfile.id == PROFILE_ID
        )
    ).first()
    return {"locale": row.locale, "time_zone": row.time_zone} if row else {}
