"""The weekly digest: to each active rep and admin, what waits on them, what of it is
overdue and the signals of their accounts, queued in the outbox once per ISO week.

The worker asks ``queue_due_digests`` on every pass; nothing happens before the
configured weekday and hour of the week (``DIGEST_WEEKDAY``, ``DIGEST_HOUR``, in the
distributor's time zone). Each recipient is then claimed by inserting (user, week) into
``weekly_digests``, whose unique key lets exactly one of several workers win; the winner
writes the e-mail row in the same transaction. The figures are taken when queued; the mail
is written in its recipient's language when sent (``portal.notifications.digest_email``).
A recipient with nothing waiting and no signals is claimed but gets no mail that week.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import RetailerAccount, Rma, Role, User
from models.signals import WeeklyDigest
from portal.approvals.queries import waiting_on
from portal.i18n.queries import distributor_defaults
from portal.i18n.zones import known_zone
from portal.signals.queries import signals_for_accounts
from workflow_designer.runtime.outbox import write_email

DIGEST_TEMPLATE = "weekly_digest"
# A digest lists this many RMAs and signals; the counts say how many there are in all.
LIST_LIMIT = 25


@dataclass(frozen=True)
class Schedule:
    weekday: int  # ISO: 1 Monday … 7 Sunday
    hour: int  # 0–23, in the distributor's time zone

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Schedule:
        return cls(int(config["DIGEST_WEEKDAY"]), int(config["DIGEST_HOUR"]))

    def due_week(self, now: datetime, zone: str | None) -> str | None:
        """The ISO week (``2026-W50``) whose digest is due at ``now``; None before this
        week's weekday and hour."""
        local = now.astimezone(ZoneInfo(known_zone(zone) or "UTC"))
        weekday = local.isoweekday()
        if (weekday, local.hour) < (self.weekday, self.hour):
            return None
        return iso_week(local)


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def digest_recipients(session: Session, week: str) -> list[int]:
    """Active reps and admins who want the digest and have none this week, by id."""
    claimed = select(WeeklyDigest.user_id).where(WeeklyDigest.week == week)
    return list(
        session.scalars(
            select(User.id)
            .where(
                User.is_active.is_(True),
                User.weekly_digest.is_(True),
                User.role.in_((Role.ADMIN, Role.SALES_REP)),
                User.id.not_in(claimed),
            )
            .order_by(User.id)
        )
    )


def queue_due_digests(
    session_factory: Callable[[], Session],
    now: datetime,
    schedule: Schedule,
    *,
    force: bool = False,
) -> list[int]:
    """Queue this week's digests if they are due (``force``: now, whatever the day), each
    recipient in a transaction of its own; the ids of the users whose mail was queued."""
    with session_factory() as session:
        zone = distributor_defaults(session).get("time_zone")
        week = iso_week(now.astimezone(ZoneInfo(known_zone(zone) or "UTC")))
        if not force and schedule.due_week(now, zone) is None:
            return []
        user_ids = digest_recipients(session, week)
    queued = []
    for user_id in user_ids:
        with session_factory() as session, session.begin():
            user = session.get(User, user_id)
            if user is not None and queue_digest(session, user, week, now):
                queued.append(user_id)
    return queued


def queue_digest(session: Session, user: User, week: str, now: datetime) -> bool:
    """Claim ``user``'s digest of ``week`` and write its e-mail row; False when another
    worker claimed it first, or when there is nothing to tell."""
    if not _claim(session, user.id, week, now):
        return False
    payload = digest_payload(session, user, week, now)
    if not (payload["waiting_count"] or payload["signal_count"]):
        return False
    write_email(session, user, DIGEST_TEMPLATE, payload, now)
    return True


def _claim(session: Session, user_id: int, week: str, now: datetime) -> bool:
    """Insert (user, week) unless it exists. On PostgreSQL a concurrent claim waits for
    the first to commit, then finds the row: exactly one wins."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(WeeklyDigest)
        .values(user_id=user_id, week=week, created_at=now)
        .on_conflict_do_nothing(index_elements=["user_id", "week"])
        .returning(WeeklyDigest.id)
    )
    return session.execute(statement).first() is not None


def digest_payload(session: Session, user: User, week: str, now: datetime) -> dict[str, Any]:
    """What the digest tells ``user``, as JSON: the RMAs waiting on them (soonest due
    first), how many are overdue, and the signals of the accounts they see."""
    waiting = (
        select(Rma.number, RetailerAccount.name, Rma.due_at)
        .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
        .where(waiting_on(user))
    )
    counts = session.execute(
        select(func.count(), func.count().filter(Rma.due_at < now))
        .select_from(Rma)
        .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
        .where(waiting_on(user))
    ).one()
    rows = session.execute(
        waiting.order_by(Rma.due_at.asc().nulls_last(), Rma.id).limit(LIST_LIMIT)
    )
    signals = _signals(session, user, now)
    return {
        "week": week,
        "waiting_count": counts[0],
        "overdue_count": counts[1],
        "waiting": [
            {
                "number": number,
                "account_name": name,
                "due_at": due_at.isoformat() if due_at else None,
                "overdue": due_at is not None and due_at < now,
            }
            for number, name, due_at in rows
        ],
        "signal_count": len(signals),
        "signals": signals[:LIST_LIMIT],
    }


def _signals(session: Session, user: User, now: datetime) -> list[dict[str, Any]]:
    found = signals_for_accounts(session, user, None, now.date())
    if not found:
        return []
    accounts = {
        row.id: row
        for row in session.execute(
            select(RetailerAccount.id, RetailerAccount.number, RetailerAccount.name).where(
                RetailerAccount.id.in_(list(found))
            )
        )
    }
    listed = sorted(found.items(), key=lambda item: (accounts[item[0]].name, item[0]))
    return [
        {
            "code": signal.code,
            "account_number": accounts[account_id].number,
            "account_name": accounts[account_id].name,
            "figures": signal.figures,
        }
        for account_id, signals in listed
        for signal in signals
    ]
