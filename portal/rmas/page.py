"""Everything the RMA page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from models import (
    ReplacementLine,
    Rma,
    RmaAttachment,
    RmaEvent,
    RmaLine,
    RmaMessage,
    Role,
    User,
)
from models.base import utcnow
from portal.credits.claims import ClaimComparison, claim_comparisons
from portal.feedback.queries import FeedbackPanel, feedback_panel
from portal.rmas import queries
from portal.rmas.breakdown import CreditBreakdown, credit_breakdown
from portal.rmas.exception_record import ExceptionRecord, approval_states, record_for
from portal.rmas.permissions import (
    ElsewhereLink,
    can_download_label,
    can_post_message,
    elsewhere_links,
    page_options,
)
from portal.rmas.progress import StateSummary, TimelineEntry, Words, summarise_state, timeline
from portal.signals.pages import rma_signals
from portal.signals.words import ShownSignal
from portal.warehouse.held import HeldUnits, held_on
from portal.warehouse.queries import unexpected_items
from workflow_designer.engine.firing import TriggerOption
from workflow_designer.engine.resolutions import RESOLVE, resolution_label
from workflow_designer.runtime.firing import compiled_for

FINISH_INSPECTION = "finish_inspection"  # the warehouse's trigger (portal.warehouse.page)

# Shown inline in the page; anything else is offered as a download.
INLINE_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


@dataclass(frozen=True)
class Columns:
    """Which line figures are known yet, so the table grows as the RMA moves on."""

    authorized: bool
    received: bool
    grade: bool


@dataclass(frozen=True)
class ResolutionRecord:
    """What the retailer asked for at submission and, once resolved, what staff chose:
    who chose it and why when it was something else."""

    requested: str | None
    chosen: str | None
    chosen_by: str
    chosen_at: datetime | None
    comment: str

    @property
    def differs(self) -> bool:
        return self.chosen is not None and self.chosen != self.requested


@dataclass(frozen=True)
class RmaPage:
    rma: Rma
    state: StateSummary
    timeline: list[TimelineEntry]
    lines: list[RmaLine]
    columns: Columns
    replacement_lines: list[ReplacementLine]
    replacement_total: Decimal
    attachments: list[RmaAttachment]
    messages: list[RmaMessage]
    options: list[TriggerOption]
    links: list[ElsewhereLink]
    credit: CreditBreakdown | None
    label_available: bool
    can_post_message: bool
    resolution: ResolutionRecord | None
    exception: ExceptionRecord | None = None
    # What the RMA holds apart (over-received units, items not on it): staff only.
    held: list[HeldUnits] = field(default_factory=list)
    # The feedback survey, once the RMA is resolved: the retailer's banner, staff's section.
    feedback: FeedbackPanel | None = None
    # The account's risk signals: reps and admins only (None: no such section).
    signals: list[ShownSignal] | None = None
    # Inspected lines: the condition claimed against the grades found, in money.
    claims: list[ClaimComparison] = field(default_factory=list)

    @property
    def photos(self) -> list[RmaAttachment]:
        return [a for a in self.attachments if a.content_type in INLINE_IMAGE_TYPES]

    @property
    def documents(self) -> list[RmaAttachment]:
        return [a for a in self.attachments if a.content_type not in INLINE_IMAGE_TYPES]


def build_page(session: Session, user: User, rma: Rma) -> RmaPage:
    compiled = compiled_for(session, rma)
    lines = queries.rma_lines(session, rma)
    replacements = queries.replacement_lines(session, rma)
    approver_ids = [
        step.approver.get("user_id")
        for step in compiled.approval_steps.values()
        if step.approver.get("kind") == "user"
    ]
    approver_ids.append(getattr(rma, "approver_user_id", None))  # set by approval routing
    words = Words(user, rma.account, queries.users_by_id(session, approver_ids))
    events = queries.rma_events(session, rma)
    queries.load_inspection_results(session, lines)
    return RmaPage(
        rma=rma,
        state=summarise_state(compiled, rma, words),
        timeline=timeline(compiled, rma, events),
        lines=lines,
        columns=_columns(rma, lines),
        replacement_lines=replacements,
        replacement_total=sum((r.amount for r in replacements), Decimal(0)),
        attachments=queries.rma_attachments(session, rma),
        messages=queries.rma_messages(session, rma),
        options=page_options(user, rma),
        links=elsewhere_links(user, rma),
        credit=credit_figures(session, rma, lines, was_inspected(events)),
        label_available=can_download_label(user, rma),
        can_post_message=can_post_message(user, rma),
        resolution=resolution_record(rma, events),
        exception=record_for(rma, events, approval_states(compiled)),
        held=[] if user.role is Role.RETAILER else held_on(lines, unexpected_items(session, rma)),
        feedback=feedback_panel(session, user, rma, compiled, utcnow()),
        signals=rma_signals(session, user, rma.account_id),
        claims=list(claim_comparisons(rma, lines).values()),
    )


def resolution_record(rma: Rma, events: list[RmaEvent]) -> ResolutionRecord | None:
    """The requested and the chosen resolution, in words; None before either exists."""
    resolved = next((e for e in reversed(events) if e.trigger == RESOLVE), None)
    if rma.requested_resolution is None and resolved is None:
        return None
    chosen = (resolved.data.get("resolution") or rma.resolution) if resolved else None
    actor = resolved.actor if resolved else None
    return ResolutionRecord(
        requested=resolution_label(rma.requested_resolution) if rma.requested_resolution else None,
        chosen=resolution_label(chosen) if chosen else None,
        chosen_by=f"{actor.name} ({actor.role.label})" if actor is not None else "Rotaflow",
        chosen_at=resolved.created_at if resolved else None,
        comment=resolved.comment if resolved else "",
    )


def _columns(rma: Rma, lines: list[RmaLine]) -> Columns:
    return Columns(
        authorized=rma.label_issued_at is not None or any(li.quantity_authorized for li in lines),
        received=any(li.quantity_received for li in lines),
        grade=any(li.grade for li in lines),
    )


def credit_figures(
    session: Session, rma: Rma, lines: list[RmaLine], inspected: bool
) -> CreditBreakdown | None:
    # A memo is written when an inspected RMA is resolved, and it sets its lines' credit:
    # before either, there is no memo to look for.
    issued = inspected or any(line.credit is not None for line in lines)
    documents = queries.credit_documents(session, rma) if issued else []
    return credit_breakdown(rma, lines, inspected, documents)


def was_inspected(events: list[RmaEvent]) -> bool:
    return any(event.trigger == FINISH_INSPECTION for event in events)
