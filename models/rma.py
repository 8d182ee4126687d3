"""RMAs (return merchandise authorisations), their lines, what inspection found of each line,
and their append-only event log."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    case,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import (
    Base,
    CreatedAt,
    Currency,
    JsonDocument,
    Money,
    Timestamp,
    one_of,
    str_enum,
    utcnow,
)
from workflow_designer.policy.vocabulary import (
    LINE_DISPOSITIONS,
    LINE_GRADES,
    RESOLUTIONS,
    Disposition,
    Grade,
    stored,
)

if TYPE_CHECKING:
    from models.account import RetailerAccount, User
    from models.catalog import Product
    from models.order import OrderLine
    from models.return_type import ReturnType
    from models.workflow import WorkflowVersion


# Every finite amount a Numeric(12, 2) holds is below this; PostgreSQL's NaN is not.
MONEY_BOUND = 10_000_000_000

# An RMA waits on an approver while one is named (``portal.approvals.queries.waiting_on``).
WAITING = "approver_user_id IS NOT NULL OR approver_role IS NOT NULL"


class Rma(Base):
    """A return request. Its state is driven by the workflow version it was created under."""

    __tablename__ = "rmas"
    __table_args__ = (
        CheckConstraint("total_value >= 0", name="total_value_not_negative"),
        CheckConstraint(f"total_value < {MONEY_BOUND}", name="total_value_finite"),
        CheckConstraint(
            "restocking_fee_percent >= 0 AND restocking_fee_percent <= 100",
            name="restocking_fee_percent_range",
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(one_of("resolution", RESOLUTIONS), name="resolution_known"),
        CheckConstraint(
            one_of("requested_resolution", RESOLUTIONS), name="requested_resolution_known"
        ),
        Index("ix_rmas_account_id_created_at", "account_id", "created_at"),
        # Queues by state, counted from the index (the version picks the workflow's states).
        Index("ix_rmas_state_workflow_version_id", "state", "workflow_version_id"),
        # The policy's history of an account (allowance used, frequency, cooldown), summed
        # from the index alone.
        Index(
            "ix_rmas_policy_history",
            "account_id",
            "return_type_id",
            "submitted_at",
            postgresql_include=["state", "total_value", "id"],
        ),
        # Queues of every account, newest first: read in order until a page is found
        # instead of sorting all 30,000 RMAs awaiting receipt.
        Index("ix_rmas_created_at_id", "created_at", "id"),
        # The RMAs changed since the analytics rollups' last refresh.
        Index("ix_rmas_updated_at", "updated_at"),
        # The approval queue: the few RMAs waiting on someone, soonest due first.
        Index(
            "ix_rmas_waiting_due_at",
            "due_at",
            "id",
            postgresql_where=text(WAITING),
            sqlite_where=text(WAITING),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("retailer_accounts.id", ondelete="RESTRICT"))
    return_type_id: Mapped[int] = mapped_column(
        ForeignKey("return_types.id", ondelete="RESTRICT"), index=True
    )
    # Pinned for life: editing the workflow never changes an RMA in flight.
    workflow_version_id: Mapped[int] = mapped_column(
        ForeignKey("workflow_versions.id", ondelete="RESTRICT"), index=True
    )
    state: Mapped[str] = mapped_column(String(64))
    # Optimistic concurrency: two concurrent transitions cannot both win.
    version: Mapped[int] = mapped_column(default=1)
    currency: Mapped[Currency]
    total_value: Mapped[Money] = mapped_column(default=Decimal("0"))
    policy_passed: Mapped[bool] = mapped_column(default=False)
    policy_findings: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    exception_requested: Mapped[bool] = mapped_column(default=False)
    exception_justification: Mapped[str] = mapped_column(Text, default="")
    # What staff chose at resolve; ``requested_resolution`` is what the retailer asked for
    # when submitting, kept when staff choose another.
    resolution: Mapped[str | None] = mapped_column(String(32))
    requested_resolution: Mapped[str | None] = mapped_column(String(32))
    # The approval step the RMA waits on, and who may act on it (set when the step starts,
    # moved by escalation); the rep queue and the SLA worker read these.
    approval_step: Mapped[int | None]
    approver_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    approver_role: Mapped[str | None] = mapped_column(String(20))
    due_at: Mapped[Timestamp | None]
    escalated_at: Mapped[Timestamp | None]
    # An approver may waive or change the return type's restocking fee for this RMA.
    restocking_fee_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Sent with the request form: a re-posted or double-clicked form finds the same RMA.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    request_fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[CreatedAt] = mapped_column(onupdate=utcnow)
    submitted_at: Mapped[Timestamp | None]
    # Set by the workflow's issue_label action; the return label exists from then on.
    label_issued_at: Mapped[Timestamp | None]

    account: Mapped[RetailerAccount] = relationship()
    return_type: Mapped[ReturnType] = relationship()
    workflow_version: Mapped[WorkflowVersion] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    lines: Mapped[list[RmaLine]] = relationship(back_populates="rma", order_by="RmaLine.id")
    replacement_lines: Mapped[list[ReplacementLine]] = relationship(
        back_populates="rma", order_by="ReplacementLine.id"
    )
    attachments: Mapped[list[RmaAttachment]] = relationship(
        back_populates="rma", order_by="RmaAttachment.id"
    )
    messages: Mapped[list[RmaMessage]] = relationship(
        back_populates="rma", order_by="RmaMessage.id"
    )
    events: Mapped[list[RmaEvent]] = relationship(back_populates="rma", order_by="RmaEvent.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def account_status(self) -> str:
        return self.account.status.value

    def __repr__(self) -> str:
        return f"<Rma {self.number} {self.state}>"


class RmaLine(Base):
    __tablename__ = "rma_lines"
    __table_args__ = (
        CheckConstraint("quantity_requested > 0", name="quantity_requested_positive"),
        CheckConstraint(
            "quantity_authorized >= 0 AND quantity_authorized <= quantity_requested",
            name="authorized_within_requested",
        ),
        CheckConstraint("quantity_received >= 0", name="quantity_received_not_negative"),
        CheckConstraint(
            "excess_decision IN ('return_to_sender', 'dispose')", name="excess_decision_known"
        ),
        CheckConstraint(
            "excess_shipped_at IS NULL OR excess_decision = 'return_to_sender'",
            name="excess_shipped_only_when_returned",
        ),
        # One line per order line: adding it again adds to its quantity.
        UniqueConstraint("rma_id", "order_line_id"),
        # A line inspected in several grades shows "mixed" (``portal.warehouse.operations``).
        CheckConstraint(one_of("grade", LINE_GRADES), name="grade_known"),
        CheckConstraint(one_of("disposition", LINE_DISPOSITIONS), name="disposition_known"),
        CheckConstraint(
            f"credit > -{MONEY_BOUND} AND credit < {MONEY_BOUND}", name="credit_finite"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("order_lines.id", ondelete="RESTRICT"), index=True
    )
    quantity_requested: Mapped[int]
    quantity_authorized: Mapped[int] = mapped_column(default=0)
    quantity_received: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(80), default="")
    condition: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The condition questionnaire's answers as given (``policy.questionnaire`` snapshot):
    # the claim keeps the questions and deductions it was answered under; None before any.
    condition_answers: Mapped[list[dict[str, str]] | None] = mapped_column(JsonDocument)
    grade: Mapped[str | None] = mapped_column(String(20))
    disposition: Mapped[str | None] = mapped_column(String(32))
    credit: Mapped[Money | None]
    has_discrepancy: Mapped[bool] = mapped_column(default=False)
    # Units received beyond the authorised quantity are held apart until a sales rep or an
    # admin decides (``models.receiving.HeldDecision``); returned ones are then shipped.
    excess_decision: Mapped[str | None] = mapped_column(String(20))
    excess_shipped_at: Mapped[Timestamp | None]

    rma: Mapped[Rma] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine | None] = relationship()
    inspection_results: Mapped[list[InspectionResult]] = relationship(
        back_populates="rma_line", order_by="InspectionResult.id"
    )

    @hybrid_property
    def quantity_accepted(self) -> int:
        """The units that can be graded, stocked and credited: never more than authorised."""
        return min(self.quantity_received or 0, self.quantity_authorized or 0)

    @quantity_accepted.inplace.expression
    @classmethod
    def _quantity_accepted_expression(cls):
        return case(
            (cls.quantity_received < cls.quantity_authorized, cls.quantity_received),
            else_=cls.quantity_authorized,
        )

    @hybrid_property
    def quantity_excess(self) -> int:
        """Units received beyond the authorised quantity: held apart, never credited."""
        return max((self.quantity_received or 0) - (self.quantity_authorized or 0), 0)

    @quantity_excess.inplace.expression
    @classmethod
    def _quantity_excess_expression(cls):
        return case(
            (
                cls.quantity_received > cls.quantity_authorized,
                cls.quantity_received - cls.quantity_authorized,
            ),
            else_=0,
        )

    def __repr__(self) -> str:
        return f"<RmaLine {self.rma_id}/{self.id}>"


class InspectionResult(Base):
    """How many received units of one RMA line got one grade, and where they go."""

    __tablename__ = "inspection_results"
    __table_args__ = (
        UniqueConstraint("rma_line_id", "grade"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(one_of("disposition", stored(Disposition)), name="disposition_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_line_id: Mapped[int] = mapped_column(ForeignKey("rma_lines.id", ondelete="CASCADE"))
    grade: Mapped[Grade] = mapped_column(str_enum(Grade, "grade"))
    quantity: Mapped[int]
    disposition: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("rma_attachments.id", ondelete="SET NULL")
    )
    inspected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[CreatedAt]

    rma_line: Mapped[RmaLine] = relationship(back_populates="inspection_results")

    def __repr__(self) -> str:
        return f"<InspectionResult line {self.rma_line_id} {self.quantity}x {self.grade.value}>"


class ReplacementLine(Base):
    """New stock ordered with a rotation request; part of the RMA and validated with it."""

    __tablename__ = "replacement_lines"
    __table_args__ = (
        UniqueConstraint("rma_id", "product_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint(f"unit_price < {MONEY_BOUND}", name="unit_price_finite"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    quantity: Mapped[int]
    unit_price: Mapped[Money]

    rma: Mapped[Rma] = relationship(back_populates="replacement_lines")
    product: Mapped[Product] = relationship()

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


class RmaAttachment(Base):
    """A photo or document; the file lives outside static/ under a random name."""

    __tablename__ = "rma_attachments"
    __table_args__ = (CheckConstraint("size_bytes > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="CASCADE"), index=True)
    rma_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("rma_lines.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[CreatedAt]

    rma: Mapped[Rma] = relationship(back_populates="attachments")


class RmaMessage(Base):
    """The thread between the retailer and distributor staff about one RMA."""

    __tablename__ = "rma_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[CreatedAt]

    rma: Mapped[Rma] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()


class RmaEvent(Base):
    """One entry of an RMA's audit trail. Rows are only ever inserted."""

    __tablename__ = "rma_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[CreatedAt]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    # Set when a rep or admin acts for the retailer account.
    on_behalf_of_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("retailer_accounts.id", ondelete="RESTRICT")
    )
    trigger: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str | None] = mapped_column(String(64))
    to_state: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)

    rma: Mapped[Rma] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<RmaEvent {self.rma_id} {self.trigger} {self.from_state}->{self.to_state}>"


class NumberSequence(Base):
    """Counters for human-readable numbers (RMA-2026-000123), one row per series."""

    __tablename__ = "number_sequences"
    __table_args__ = (
        UniqueConstraint("series"),
        CheckConstraint("last_value >= 0", name="last_value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(32))
    last_value: Mapped[int] = mapped_column(default=0)
