"""The distributor's defaults for users who chose no language or time zone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DistributorProfile
from models.distributor import PROFILE_ID


def default_columns() -> tuple[Any, Any]:
    """The distributor's language and time zone as columns to select beside the user:
    the page learns them without a query of its own."""
    profile = DistributorProfile.id == PROFILE_ID
    return (
        select(DistributorProfile.locale).where(profile).scalar_subquery().label("locale"),
        select(DistributorProfile.time_zone).where(profile).scalar_subquery().label("zone"),
    )


def distributor_defaults(session: Session) -> dict[str, str | None]:
    row = session.execute(
        select(DistributorProfile.locale, DistributorProfile.time_zone).where(
            DistributorProfile.id == PROFILE_ID
        )
    ).first()
    return {"locale": row.locale, "time_zone": row.time_zone} if row else {}
