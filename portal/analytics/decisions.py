"""Sales reps' share of exception requests and of approvals, over a period.

Exception rate: of the requests submitted in the period by the accounts a rep looks after
(the account's rep now), the share that asked for an exception. Approval rate: of the
approval steps the rep decided in the period (approve or deny, from the event log's
actor), the share approved; "request changes" is counted beside them, not in the rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from models import FlowStateVisit, FlowSubmission, RetailerAccount, Role, User
from portal.analytics.flow_scope import FlowFilters, scoped
from portal.analytics.period import MonthRange
from portal.analytics.units import percent_of


@dataclass(frozen=True)
class RepDecisions:
    rep_id: int
    rep: str
    submitted: int = 0
    exceptions: int = 0
    approved: int = 0
    denied: int = 0
    changes_requested: int = 0

    @property
    def exception_share(self) -> float | None:
        return self.exceptions / self.submitted if self.submitted else None

    @property
    def decided(self) -> int:
        return self.approved + self.denied

    @property
    def approval_share(self) -> float | None:
        return self.approved / self.decided if self.decided else None

    @property
    def exception_percent(self) -> Decimal | None:
        return percent_of(self.exception_share)

    @property
    def approval_percent(self) -> Decimal | None:
        return percent_of(self.approval_share)


def rep_decisions(
    session: Session, user: User, period: MonthRange, filters: FlowFilters
) -> list[RepDecisions]:
    """One row per sales rep the viewer may see (an admin: every rep; a rep: themselves)."""
    reps = _reps(session, user)
    submitted = _submissions(session, user, period, filters)
    decided = _decisions(session, user, period, filters)
    return [
        RepDecisions(rep_id, name, *submitted.get(rep_id, (0, 0)), *decided.get(rep_id, (0, 0, 0)))
        for rep_id, name in reps
    ]


def _reps(session: Session, user: User) -> list[tuple[int, str]]:
    if user.role is Role.SALES_REP:
        return [(user.id, user.name)]
    if user.role is not Role.ADMIN:
        return []
    query = select(User.id, User.name).where(User.role == Role.SALES_REP).order_by(User.name)
    return [(rep_id, name) for rep_id, name in session.execute(query)]


def _submissions(session, user, period, filters) -> dict[int, tuple[int, int]]:
    exception = case((FlowSubmission.exception_requested, 1), else_=0)
    query = (
        select(RetailerAccount.sales_rep_id, func.count(), func.sum(exception))
        .join(RetailerAccount, RetailerAccount.id == FlowSubmission.account_id)
        .where(
            FlowSubmission.submitted_month.between(period.first, period.last),
            RetailerAccount.sales_rep_id.is_not(None),
        )
        .group_by(RetailerAccount.sales_rep_id)
    )
    query = scoped(query, FlowSubmission.account_id, FlowSubmission.return_type_id, user, filters)
    return {rep: (n, int(k or 0)) for rep, n, k in session.execute(query)}


def _decisions(session, user, period, filters) -> dict[int, tuple[int, int, int]]:
    def count(trigger: str):
        return func.sum(case((FlowStateVisit.trigger == trigger, 1), else_=0))

    query = (
        select(FlowStateVisit.actor_id, count("approve"), count("reject"), count("request_changes"))
        .where(
            FlowStateVisit.left_month.between(period.first, period.last),
            FlowStateVisit.approval_step.is_not(None),
            FlowStateVisit.actor_id.is_not(None),
        )
        .group_by(FlowStateVisit.actor_id)
    )
    query = scoped(query, FlowStateVisit.account_id, FlowStateVisit.return_type_id, user, filters)
    return {
        actor: (int(a or 0), int(r or 0), int(c or 0)) for actor, a, r, c in session.execute(query)
    }
