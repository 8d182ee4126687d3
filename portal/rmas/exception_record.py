"""An RMA's exception on the record: what the retailer asked to have overridden, why, and
who approved or refused it.

Every submission that carries an exception request writes a snapshot into its event's
data (``exception_snapshot``): the justification and the rules the request broke, with
their figures as they were then. Events are append-only, so a later change of the RMA's
fields, a resubmission after "changes requested" (which adds a new snapshot) or a decision
never erases an earlier one. Decisions are the approval steps' events (approve, reject,
request changes) that follow a submission, with their actor and comment.

RMAs submitted before snapshots were written (or by a workflow fired without the request
form, as some tests and the demo loader do) fall back on the RMA's own fields.

Used by the RMA page (its "Exception" section) and by the admin RMA CSV export.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Rma, RmaEvent, User
from portal.requests.display import without_label
from workflow_designer.engine.compiler import CompiledWorkflow

SNAPSHOT_KEY = "exception"
SUBMIT = "submit"
VERDICTS = {"approve": "approved", "reject": "refused", "request_changes": "changes requested"}
PENDING = "pending"


def exception_snapshot(rma: Rma) -> dict[str, Any] | None:
    """What an exception request says at the moment of submitting, for the submit event's
    data; None when the RMA asks for no exception."""
    if not rma.exception_requested:
        return None
    return {
        "justification": rma.exception_justification or "",
        "rules_broken": rules_broken(rma.policy_findings),
    }


def rules_broken(findings: Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """The failed findings (rule, label, message, figures) of a policy snapshot."""
    return [
        {
            "rule": str(finding.get("rule", "")),
            "label": str(finding.get("label", "")),
            "message": str(finding.get("message", "")),
            "figures": dict(finding.get("figures") or {}),
        }
        for finding in findings or []
        if isinstance(finding, Mapping) and not finding.get("passed", True)
    ]


@dataclass(frozen=True)
class Decision:
    at: datetime
    by: str
    verdict: str  # approved, refused, changes requested
    comment: str


@dataclass(frozen=True)
class ExceptionRound:
    """One submission with an exception request and the decisions that followed it."""

    submitted_at: datetime
    submitted_by: str
    justification: str
    rules_broken: list[dict[str, Any]]
    decisions: list[Decision] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """approved, refused, changes requested, or pending while nobody has decided (or
        the chain still waits on a later step after an approval)."""
        return self.decisions[-1].verdict if self.decisions else PENDING


@dataclass(frozen=True)
class ExceptionRecord:
    rounds: list[ExceptionRound]

    @property
    def latest(self) -> ExceptionRound:
        return self.rounds[-1]


@dataclass(frozen=True)
class Fallback:
    """The RMA's own fields, for submissions that wrote no snapshot."""

    requested: bool
    justification: str
    findings: list[dict[str, Any]] | None

    @classmethod
    def of(cls, rma: Rma) -> Fallback:
        return cls(rma.exception_requested, rma.exception_justification, rma.policy_findings)


def build_record(
    events: Iterable[RmaEvent],
    fallback: Fallback,
    approval_states: Iterable[str] | None,
    actor_name: Callable[[RmaEvent], str],
) -> ExceptionRecord | None:
    """The exception record an event log tells (oldest event first), or None when no
    submission asked for an exception. ``approval_states`` names the states whose
    decisions count (None: every approve / reject / request changes)."""
    steps = set(approval_states) if approval_states is not None else None
    rounds: list[ExceptionRound] = []
    current: ExceptionRound | None = None
    for event in events:
        data = event.data or {}
        if event.trigger == SUBMIT:
            current = _round_of(event, data, fallback, actor_name)
            if current is not None:
                rounds.append(current)
            continue
        verdict = VERDICTS.get(event.trigger)
        if current is None or verdict is None:
            continue
        if steps is not None and event.from_state not in steps:
            continue
        current.decisions.append(
            Decision(event.created_at, actor_name(event), verdict, event.comment or "")
        )
    return ExceptionRecord(rounds) if rounds else None


def _round_of(
    event: RmaEvent,
    data: Mapping[str, Any],
    fallback: Fallback,
    actor_name: Callable[[RmaEvent], str],
) -> ExceptionRound | None:
    snapshot = data.get(SNAPSHOT_KEY)
    if isinstance(snapshot, Mapping):
        justification = str(snapshot.get("justification") or "")
        broken = list(snapshot.get("rules_broken") or [])
    elif data.get("exception_requested", fallback.requested):
        justification = fallback.justification or ""
        broken = rules_broken(fallback.findings)
    else:
        return None
    return ExceptionRound(event.created_at, actor_name(event), justification, broken)


def approval_states(compiled: CompiledWorkflow) -> list[str]:
    """The states whose approve / reject / request changes decide on an exception."""
    return [step.state for step in compiled.approval_steps.values()]


def _name(event: RmaEvent) -> str:
    actor = event.actor
    return actor.name if actor is not None else "Rotaflow"


def record_for(
    rma: Rma, events: Sequence[RmaEvent], approval_states: Iterable[str] | None
) -> ExceptionRecord | None:
    """The record of one RMA from its events (with their actors loaded)."""
    return build_record(events, Fallback.of(rma), approval_states, _name)


# --- many RMAs at once (the CSV export) --------------------------------------------------

RECORD_TRIGGERS = (SUBMIT, *VERDICTS)


def records_for(
    session: Session,
    rmas: Mapping[int, tuple[Fallback, Iterable[str] | None]],
) -> dict[int, ExceptionRecord]:
    """The records of many RMAs (id → their fields and approval states) in one query."""
    if not rmas:
        return {}
    rows = session.execute(
        select(RmaEvent, User.name)
        .outerjoin(User, User.id == RmaEvent.actor_id)
        .where(RmaEvent.rma_id.in_(list(rmas)), RmaEvent.trigger.in_(RECORD_TRIGGERS))
        .order_by(RmaEvent.rma_id, RmaEvent.id)
    ).all()
    names = {event.id: name or "Rotaflow" for event, name in rows}
    by_rma: dict[int, list[RmaEvent]] = {}
    for event, _name_of in rows:
        by_rma.setdefault(event.rma_id, []).append(event)
    records = {}
    for rma_id, (fallback, states) in rmas.items():
        record = build_record(
            by_rma.get(rma_id, []), fallback, states, lambda e: names.get(e.id, "Rotaflow")
        )
        if record is not None:
            records[rma_id] = record
    return records


def csv_cells(record: ExceptionRecord | None) -> list[str]:
    """exception_requested, justification, rules broken, decision, decided by, comment —
    of the latest submission (earlier rounds stay on the RMA page). With several
    decisions (a chain of approval steps) the deciders and comments are joined in order."""
    if record is None:
        return ["no", "", "", "", "", ""]
    latest = record.latest
    rules = "; ".join(
        f"{rule.get('label') or rule.get('rule')}: {_message(rule)}".rstrip(": ")
        for rule in latest.rules_broken
    )
    return [
        "yes",
        latest.justification,
        rules,
        latest.outcome,
        "; ".join(d.by for d in latest.decisions),
        "; ".join(d.comment for d in latest.decisions if d.comment),
    ]


def _message(rule: Mapping[str, Any]) -> str:
    label = str(rule.get("label") or "")
    message = str(rule.get("message") or "")
    return without_label(message, label) if label else message
