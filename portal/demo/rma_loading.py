"""``load_rmas``: the demo's RMAs, planned against its invoices and written in bulk."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import RetailerAccount, ReturnType, Role, User
from portal.demo.orderbook import OrderBook
from portal.demo.rma_rows import plan_rmas, write_rmas
from portal.demo.rmas import Kind, People, Planner
from workflow_designer.engine import compile_workflow
from workflow_designer.runtime.versions import published_version

# Return types the bulk RMAs are filed under: (code, share of RMAs, minimum purchase age).
# Rotations take stock bought at least 90 days before, as the default rotation policy asks.
KINDS = (("ROTATION", 0.7, 90), ("DEFECTIVE", 0.3, 7))


def load_rmas(
    session: Session,
    seed: int,
    today: date,
    count: int,
    book: OrderBook,
    return_types: list[ReturnType],
    staff: dict[str, int],
) -> dict[str, int]:
    """``count`` RMAs dated before ``today`` (midnight UTC, so never in the future)."""
    by_code = {rt.code: rt for rt in return_types}
    kinds = []
    for code, share, min_age in KINDS:
        return_type = by_code[code]
        version = published_version(session, return_type.workflow_id)
        kinds.append(
            Kind(
                code,
                return_type.id,
                version.id,
                compile_workflow(version.config),
                tuple(return_type.resolutions),
                share,
                min_age,
            )
        )
    people = _people(session, staff)
    now = datetime.combine(today, time(0), UTC)
    planner = Planner(random.Random(f"{seed}:rmas"), kinds, book, now)
    planned = plan_rmas(planner, people, count)
    return write_rmas(session, planned, people)


def _people(session: Session, staff: dict[str, int]) -> People:
    reps = dict(session.execute(select(RetailerAccount.id, RetailerAccount.sales_rep_id)).all())
    retailers = dict(
        session.execute(
            select(User.account_id, func.min(User.id))
            .where(User.role == Role.RETAILER)
            .group_by(User.account_id)
        ).all()
    )
    return People(staff["admin"], staff["warehouse"], reps, retailers)
