"""Reading survey answers: one RMA's (its page) and the staff summary over a period.

The summary is scoped like every staff page (``portal.scope.account_scope``: admins see
every account, a sales rep the accounts assigned to them) and counts each answer in the
UTC month it was first given. "Rep" is the account's sales rep now, as the rest of the
back office reads it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, extract, false, func, select
from sqlalchemy.orm import Session, joinedload

from models import (
    FeedbackAnswer,
    FeedbackAnswerTag,
    FeedbackTag,
    RetailerAccount,
    ReturnType,
    Rma,
    Role,
    User,
)
from models.feedback import MAX_RATING, MIN_RATING
from portal.analytics.flow_scope import FlowFilters
from portal.analytics.period import MonthRange
from portal.feedback.rules import asks_feedback, can_change, change_deadline, may_answer
from portal.scope import account_scope
from workflow_designer.engine.compiler import CompiledWorkflow

RATINGS = tuple(range(MIN_RATING, MAX_RATING + 1))
SUMMARY_ROLES = (Role.ADMIN, Role.SALES_REP)


def answer_for(session: Session, rma: Rma, *, fresh: bool = False) -> FeedbackAnswer | None:
    """The RMA's one answer with its tags and who gave it, in one query; ``fresh`` reads it
    again over what the session holds (after a lock: someone may have changed it since)."""
    return (
        session.scalars(
            select(FeedbackAnswer)
            .where(FeedbackAnswer.rma_id == rma.id)
            .options(joinedload(FeedbackAnswer.tag_rows), joinedload(FeedbackAnswer.answered_by))
            .execution_options(populate_existing=fresh)
        )
        .unique()
        .one_or_none()
    )


@dataclass(frozen=True)
class FeedbackPanel:
    """The survey as the RMA page shows it: the answer, if any, and what the reader may do."""

    answer: FeedbackAnswer | None
    may_answer: bool  # the reader is one of the account's retailer users
    can_change: bool  # …and the answer may still be changed
    deadline: datetime | None  # until when it may be changed


def feedback_panel(
    session: Session, user: User, rma: Rma, compiled: CompiledWorkflow, now: datetime
) -> FeedbackPanel | None:
    """None while the RMA is not asked about (no query then: most RMAs on the page)."""
    if not asks_feedback(compiled, rma):
        return None
    answer = answer_for(session, rma)
    answers = may_answer(user, rma)
    open_ = answer is not None and can_change(answer, now)
    return FeedbackPanel(
        answer=answer,
        may_answer=answers,
        can_change=answers and open_,
        deadline=change_deadline(answer) if answer is not None else None,
    )


class GroupBy(enum.StrEnum):
    REP = "rep"
    RETURN_TYPE = "return_type"
    MONTH = "month"


@dataclass
class SummaryRow:
    """The answers of one group: how many, their average and spread, the tags chosen."""

    key: Any  # a rep's or return type's id (None: no rep), or the month's first day
    label: str = ""
    count: int = 0
    rating_total: int = 0
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))
    tags: dict[FeedbackTag, int] = field(default_factory=lambda: dict.fromkeys(FeedbackTag, 0))

    @property
    def average(self) -> Decimal | None:
        """The mean rating to two decimals (half up); None without answers."""
        if not self.count:
            return None
        mean = Decimal(self.rating_total) / Decimal(self.count)
        return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def add(self, other: SummaryRow) -> None:
        self.count += other.count
        self.rating_total += other.rating_total
        for rating, n in other.distribution.items():
            self.distribution[rating] += n
        for tag, n in other.tags.items():
            self.tags[tag] += n


@dataclass(frozen=True)
class FeedbackSummary:
    period: MonthRange
    group_by: GroupBy
    rows: list[SummaryRow]
    total: SummaryRow


def feedback_summary(
    session: Session,
    user: User,
    period: MonthRange,
    group_by: GroupBy,
    narrowed: FlowFilters | None = None,
) -> FeedbackSummary:
    """Count, average rating, rating distribution and tag counts of the answers ``user``
    may see that were first given in ``period`` (about RMAs of the account, region and
    return type ``narrowed`` names, if any), one row per ``group_by`` group."""
    narrowed = narrowed or FlowFilters()
    key = _group_key(session, group_by)
    rows: dict[Any, SummaryRow] = {}
    ratings = _scoped(select(*key, FeedbackAnswer.rating, func.count()), user, period, narrowed)
    for *parts, rating, n in session.execute(ratings.group_by(*key, FeedbackAnswer.rating)):
        row = rows.setdefault(_key(group_by, parts), SummaryRow(_key(group_by, parts)))
        row.count += n
        row.rating_total += rating * n
        row.distribution[rating] += n
    tags = _scoped(select(*key, FeedbackAnswerTag.tag, func.count()), user, period, narrowed).join(
        FeedbackAnswerTag, FeedbackAnswerTag.answer_id == FeedbackAnswer.id
    )
    for *parts, tag, n in session.execute(tags.group_by(*key, FeedbackAnswerTag.tag)):
        rows[_key(group_by, parts)].tags[FeedbackTag(tag)] += n
    ordered = _labelled(session, group_by, rows, period)
    total = SummaryRow(None)
    for row in ordered:
        total.add(row)
    return FeedbackSummary(period, group_by, ordered, total)


def _scoped(query, user: User, period: MonthRange, narrowed: FlowFilters):
    return (
        query.select_from(FeedbackAnswer)
        .join(Rma, Rma.id == FeedbackAnswer.rma_id)
        .join(RetailerAccount, RetailerAccount.id == Rma.account_id)
        .where(
            _staff_scope(user),
            FeedbackAnswer.created_at >= period.start_moment,
            FeedbackAnswer.created_at < period.end_moment,
            *_narrowing(narrowed),
        )
    )


def _narrowing(narrowed: FlowFilters) -> list[ColumnElement[bool]]:
    """The analytics filters an answer can be told by: its RMA's account (already one the
    user sees: the filter form checks it), the account's region, the RMA's return type.
    Not the brand: an answer rates a whole RMA, whatever brands its lines hold."""
    conditions = []
    if narrowed.account_id is not None:
        conditions.append(Rma.account_id == narrowed.account_id)
    if narrowed.region is not None:
        conditions.append(RetailerAccount.region == narrowed.region)
    if narrowed.return_type_id is not None:
        conditions.append(Rma.return_type_id == narrowed.return_type_id)
    return conditions


def _staff_scope(user: User) -> ColumnElement[bool]:
    """The summary is staff's reading: a retailer's own answers are on their RMA pages."""
    if user.role not in SUMMARY_ROLES:
        return false()
    return account_scope(user)


def _group_key(session: Session, group_by: GroupBy) -> list[Any]:
    if group_by is GroupBy.REP:
        return [RetailerAccount.sales_rep_id]
    if group_by is GroupBy.RETURN_TYPE:
        return [Rma.return_type_id]
    moment: Any = FeedbackAnswer.created_at
    if session.get_bind().dialect.name == "postgresql":
        # The session's time zone would move an answer given late on the last evening of
        # a month into the next; months are UTC months (portal.analytics.period).
        moment = func.timezone("UTC", moment)
    return [extract("year", moment), extract("month", moment)]


def _key(group_by: GroupBy, parts: list[Any]) -> Any:
    if group_by is GroupBy.MONTH:
        return date(int(parts[0]), int(parts[1]), 1)
    return parts[0]


def _labelled(
    session: Session, group_by: GroupBy, rows: dict[Any, SummaryRow], period: MonthRange
) -> list[SummaryRow]:
    """The groups in reading order with their names: reps and return types by name, every
    month of the period in order (a month without answers shows as one)."""
    if group_by is GroupBy.MONTH:
        return [rows.get(month) or SummaryRow(month) for month in period.months()]
    names = _names(session, group_by, [k for k in rows if k is not None])
    for key, row in rows.items():
        row.label = names.get(key, "")
    return sorted(rows.values(), key=lambda r: (r.key is None, r.label.casefold(), r.key or 0))


def _names(session: Session, group_by: GroupBy, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    if group_by is GroupBy.REP:
        return dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
    types = session.scalars(select(ReturnType).where(ReturnType.id.in_(ids)))
    return {rt.id: rt.shown_name for rt in types}
