"""Pre-aggregated process figures: what the analytics pages read instead of the facts.

Each table is derived from append-only facts (the RMA event log, credit memos, inspection
results) and refreshed incrementally by the worker (``portal.analytics.flow_refresh``),
from the watermark kept in ``flow_rollup_marks``. None of them is ever edited by hand:
dropping every row and refreshing rebuilds them exactly.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Currency, Timestamp, one_of
from models.ledger import MemoKind
from workflow_designer.policy.vocabulary import Disposition, Grade, stored

DECISIONS = "approval_step IS NOT NULL"


class FlowStateVisit(Base):
    """One stay of an RMA in one workflow state, closed by the event that left it.

    A state entered twice (changes requested, then resubmitted) is two visits. The first
    state's visit starts when the RMA was created. Approval states carry their step number
    and the due time their SLA set on entry, so SLA compliance and the approvers' decisions
    are read from the same rows."""

    __tablename__ = "flow_state_visits"
    __table_args__ = (
        CheckConstraint("duration_seconds >= 0", name="duration_not_negative"),
        # Cycle times: a period's durations per state, read from the index alone.
        Index(
            "ix_flow_state_visits_left_month_state",
            "left_month",
            "workflow_id",
            "state",
            postgresql_include=["duration_seconds", "account_id", "return_type_id"],
        ),
        Index("ix_flow_state_visits_account_id", "account_id"),
        # Approval decisions and SLAs: the few visits of approval steps, by month.
        Index(
            "ix_flow_state_visits_decisions",
            "left_month",
            postgresql_where=text(DECISIONS),
            sqlite_where=text(DECISIONS),
            postgresql_include=[
                "account_id",
                "return_type_id",
                "workflow_id",
                "approval_step",
                "state",
                "trigger",
                "actor_id",
                "left_at",
                "due_at",
            ],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The event that closed the visit: at most one visit per event, so a refresh that
    # reads an event twice adds nothing.
    leaving_event_id: Mapped[int] = mapped_column(
        ForeignKey("rma_events.id", ondelete="CASCADE"), unique=True
    )
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("retailer_accounts.id", ondelete="CASCADE"))
    return_type_id: Mapped[int] = mapped_column(ForeignKey("return_types.id", ondelete="CASCADE"))
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(64))
    approval_step: Mapped[int | None]
    entered_at: Mapped[Timestamp]
    left_at: Mapped[Timestamp]
    due_at: Mapped[Timestamp | None]
    duration_seconds: Mapped[int]
    left_month: Mapped[date] = mapped_column(Date)
    trigger: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<FlowStateVisit rma {self.rma_id} {self.state} {self.duration_seconds}s>"


class FlowSubmission(Base):
    """A submitted RMA, by the month of its submission: the denominator of exception rates."""

    __tablename__ = "flow_submissions"
    __table_args__ = (
        Index(
            "ix_flow_submissions_submitted_month",
            "submitted_month",
            postgresql_include=["account_id", "return_type_id", "exception_requested"],
        ),
    )

    rma_id: Mapped[int] = mapped_column(
        ForeignKey("rmas.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("retailer_accounts.id", ondelete="CASCADE"), index=True
    )
    return_type_id: Mapped[int] = mapped_column(ForeignKey("return_types.id", ondelete="CASCADE"))
    submitted_month: Mapped[date] = mapped_column(Date)
    exception_requested: Mapped[bool]


class FlowGradeResult(Base):
    """Units of one RMA given one grade and disposition, by the month they were inspected.

    Kept per RMA because a line graded again replaces its results: the RMA's rows are
    rebuilt from its inspection results, whatever month they moved to."""

    __tablename__ = "flow_grade_results"
    __table_args__ = (
        UniqueConstraint("rma_id", "month", "grade", "disposition"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(one_of("grade", stored(Grade)), name="grade_known"),
        CheckConstraint(one_of("disposition", stored(Disposition)), name="disposition_known"),
        Index(
            "ix_flow_grade_results_month",
            "month",
            postgresql_include=["account_id", "return_type_id", "grade", "disposition", "quantity"],
        ),
        Index("ix_flow_grade_results_account_id", "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("retailer_accounts.id", ondelete="CASCADE"))
    return_type_id: Mapped[int] = mapped_column(ForeignKey("return_types.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)
    grade: Mapped[str] = mapped_column(String(20))
    disposition: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int]


class FlowCreditMonth(Base):
    """Credit documents of one account, return type, kind and currency issued in a month.

    Documents are immutable and never deleted, so a bucket is recomputed from them whenever
    a new document falls into it."""

    __tablename__ = "flow_credit_months"
    __table_args__ = (
        UniqueConstraint("account_id", "return_type_id", "month", "currency", "kind"),
        CheckConstraint("documents > 0", name="documents_positive"),
        CheckConstraint(one_of("kind", stored(MemoKind)), name="kind_known"),
        Index(
            "ix_flow_credit_months_month",
            "month",
            postgresql_include=["account_id", "return_type_id", "currency", "kind", "amount"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("retailer_accounts.id", ondelete="CASCADE"))
    return_type_id: Mapped[int] = mapped_column(ForeignKey("return_types.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)
    currency: Mapped[Currency]
    kind: Mapped[str] = mapped_column(String(16))
    documents: Mapped[int]
    # Wider than one document's amount: a month's sum.
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))


class FlowRollupMark(Base):
    """How far a rollup has read its facts: the highest source id it has seen."""

    __tablename__ = "flow_rollup_marks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_id: Mapped[int] = mapped_column(default=0)
    refreshed_at: Mapped[Timestamp | None]
