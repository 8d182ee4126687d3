"""When a retailer is asked about an RMA, who answers, and how long an answer may change.

An RMA is asked about once it is *resolved*: staff settled it (a resolution is recorded:
credited, exchanged — the retailer has the outcome even before an admin closes the RMA),
or it reached a final state of its pinned workflow (closed, rejected, shipped back).
A cancelled RMA is not asked about: it was withdrawn, or ended before anything was
decided, so there is no handling to rate. A rejected one is: how a refusal was explained
is worth knowing ("unclear rules"). The state names follow the default templates, as the
policy's facts do (``workflow_designer.runtime.policy_facts``).

The answer may be changed for ``CHANGE_WINDOW`` after it was first given; the first
answer may be given at any time after the RMA is resolved.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from models import FeedbackAnswer, Rma, Role, User
from workflow_designer.engine.compiler import CompiledWorkflow

CHANGE_WINDOW = timedelta(days=14)
NOT_ASKED_STATES: tuple[str, ...] = ("cancelled",)


def asks_feedback(compiled: CompiledWorkflow, rma: Rma) -> bool:
    """Whether the retailer is asked about ``rma`` now (``compiled``: its pinned version)."""
    return is_resolved(compiled, rma.state, rma.resolution)


def is_resolved(compiled: CompiledWorkflow, state: str, resolution: str | None) -> bool:
    """An RMA in ``state`` (of ``compiled``) with ``resolution`` recorded is resolved."""
    if state in NOT_ASKED_STATES:
        return False
    return resolution is not None or compiled.state(state).final


def may_answer(user: User, rma: Rma) -> bool:
    """Only the retailer's own people answer for their account; staff read the answer."""
    return user.role is Role.RETAILER and user.account_id == rma.account_id and user.is_active


def change_deadline(answer: FeedbackAnswer) -> datetime:
    return answer.created_at + CHANGE_WINDOW


def can_change(answer: FeedbackAnswer, now: datetime) -> bool:
    return now < change_deadline(answer)
