"""Firing workflow triggers on stored RMAs: version, approver, role and state checks, event, outbox.

``fire`` works inside the caller's transaction and never commits. The compiled machine is
shared per workflow version (cached); an RMA is only a row, wrapped in a carrier while a
trigger fires.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models import Rma, RmaEvent, Role, User, VersionStatus, WorkflowVersion
from workflow_designer.engine.compiler import ApprovalStep, CompiledWorkflow
from workflow_designer.engine.context import FireContext, utcnow
from workflow_designer.engine.errors import ActionUnavailable, Conflict, Refusal, WorkflowError
from workflow_designer.engine.firing import (
    FORBIDDEN,
    FireOutcome,
    TriggerOption,
    fire_trigger,
    trigger_options,
)
from workflow_designer.engine.resolutions import resolve_transition
from workflow_designer.policy.words import gettext as _
from workflow_designer.runtime.cache import MachineCache
from workflow_designer.runtime.outbox import write_notifications

MACHINES = MachineCache()
log = logging.getLogger(__name__)

# kind → handler(session, rma, actor, effect, compiled), run inside fire() after the state
# change. The back office registers its handlers (portal/effects.py).
EffectHandler = Callable[[Session, Rma, User, dict[str, Any], CompiledWorkflow], None]
EFFECT_HANDLERS: dict[str, EffectHandler] = {}


def register_effect(kind: str) -> Callable[[EffectHandler], EffectHandler]:
    def register(handler: EffectHandler) -> EffectHandler:
        EFFECT_HANDLERS[kind] = handler
        return handler

    return register


# hook(session, rma, actor, compiled), run inside fire() whenever the RMA entered a new
# state, after its effects: what the back office does on its own account wherever an RMA
# arrives, that no workflow names (the feedback survey's invitation, portal/effects.py).
StateHook = Callable[[Session, Rma, User, CompiledWorkflow], None]
STATE_HOOKS: list[StateHook] = []


def register_state_hook(hook: StateHook) -> StateHook:
    if hook not in STATE_HOOKS:
        STATE_HOOKS.append(hook)
    return hook


@register_effect("notify")
def _notify(session: Session, rma: Rma, actor: User, effect: dict, compiled) -> None:
    write_notifications(session, rma, actor, [effect], compiled)


class TransitionRefused(WorkflowError, Refusal):
    """The trigger cannot fire now; ``refusal`` says why in a word, the message in words."""

    def __init__(self, refusal: str, reason: str, *, forbidden: bool = False) -> None:
        super().__init__(reason)
        self.refusal = refusal
        self.reason = reason
        self._forbidden = forbidden

    @property
    def forbidden(self) -> bool:
        """Not this actor's to do (403), rather than not possible now (422)."""
        return self._forbidden or self.refusal in (FORBIDDEN, NOT_THE_APPROVER)


class TransitionConflict(WorkflowError, Conflict):
    """Someone else changed the RMA at the same time; nothing was done."""


NOT_THE_APPROVER = "not_the_approver"
ROUTED_ATTRIBUTES = (
    "state",
    "updated_at",
    "approval_step",
    "approver_user_id",
    "approver_role",
    "escalated_at",
    "due_at",
)


def _check_handlers(outcome: FireOutcome) -> None:
    missing = {e["kind"] for e in outcome.effects} - set(EFFECT_HANDLERS)
    if missing:
        raise ActionUnavailable(f"no handler can carry out: {', '.join(sorted(missing))}")


def compiled_for(session: Session, rma: Rma) -> CompiledWorkflow:
    """The compiled machine of the RMA's pinned workflow version."""
    version_id = rma.workflow_version_id
    return MACHINES.get(version_id, lambda: _stored_config(session, version_id))


def published_version_ids(session: Session) -> list[int]:
    """The workflow versions RMAs can be on (published now or before)."""
    draft = WorkflowVersion.status == VersionStatus.DRAFT
    return list(session.scalars(select(WorkflowVersion.id).where(~draft)))


def compiled_versions(session: Session, version_ids: list[int]) -> dict[int, CompiledWorkflow]:
    """The compiled machines of ``version_ids``, from the cache where they are.

    The configs of versions not compiled yet come in one query, not one per version: a
    deployment publishing often would otherwise pay a query per new version per process.
    A version that no longer compiles is logged and left out, so that it cannot hide the
    others (a queue, a list's labels)."""
    missing = [v for v in version_ids if v not in MACHINES]
    configs = {}
    if missing:
        query = select(WorkflowVersion.id, WorkflowVersion.config)
        configs = dict(session.execute(query.where(WorkflowVersion.id.in_(missing))).all())
    compiled: dict[int, CompiledWorkflow] = {}
    for version_id in version_ids:
        try:
            # Read with the others, unless evicted from the LRU since (more versions than
            # it holds): then on its own.
            compiled[version_id] = MACHINES.get(
                version_id,
                lambda v=version_id: configs[v] if v in configs else _stored_config(session, v),
            )
        except WorkflowError:
            log.exception("workflow version %s does not compile", version_id)
    return compiled


def _stored_config(session: Session, version_id: int) -> dict[str, Any]:
    version = session.get(WorkflowVersion, version_id)
    if version is None:
        raise WorkflowError(f"workflow version {version_id} does not exist")
    return version.config


def fire(
    session: Session,
    rma: Rma,
    trigger: str,
    actor: User,
    *,
    seen_version: int | None = None,
    comment: str | None = None,
    data: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> FireOutcome:
    """Fire ``trigger`` on ``rma`` as ``actor``; raise TransitionRefused or TransitionConflict.

    The one way every role acts on an RMA. It checks, in this order, the version of the RMA
    the actor looked at (``seen_version``, when the page showed one), the approver, then the
    role and state in the pinned workflow version. On success the RMA's state is changed,
    one event is appended and the outbox rows are written, all flushed in the caller's
    transaction, which it never commits. On failure nothing has changed in the session's
    objects; after a conflict the caller must roll back.
    """
    _check_seen_version(rma, seen_version)
    compiled = compiled_for(session, rma)
    number = rma.number  # for the conflict message: after a failed flush it cannot be read
    _check_approver(compiled, rma, actor)
    ctx = _context(rma, actor, session, comment, data, now)
    snapshot = {name: getattr(rma, name) for name in ROUTED_ATTRIBUTES}
    with session.no_autoflush:  # guards only read: a pending change flushes below, once
        outcome = fire_trigger(compiled, rma.state, trigger, ctx)
    if not outcome.fired:
        raise TransitionRefused(outcome.refusal or "", outcome.reason)
    _check_handlers(outcome)
    # No autoflush until everything is staged: the version check must fail in one place.
    try:
        with session.no_autoflush:
            rma.state = outcome.state
            rma.updated_at = ctx.now  # always an UPDATE: the version check runs on self-loops
            if outcome.state != outcome.source:
                _route_approval(compiled, rma)
            session.add(_event(rma, actor, outcome, comment, data))
            for effect in outcome.effects:
                EFFECT_HANDLERS[effect["kind"]](session, rma, actor, effect, compiled)
            if outcome.state != outcome.source:
                for hook in STATE_HOOKS:
                    hook(session, rma, actor, compiled)
    except StaleDataError:  # an action flushed and met the other change; the caller rolls back
        raise _conflict(number) from None
    except BaseException:
        for name, value in snapshot.items():  # the caller rolls back what was added
            setattr(rma, name, value)
        raise
    try:
        session.flush()
    except StaleDataError:
        raise _conflict(number) from None
    return outcome


def record_event(
    session: Session,
    rma: Rma,
    actor: User,
    trigger: str,
    comment: str = "",
    data: dict[str, Any] | None = None,
    *,
    now: datetime | None = None,
) -> RmaEvent:
    """Append an event that changes no state (a correction, a decision) and bump the RMA's
    version, so that it conflicts with any concurrent change of the same RMA."""
    number = rma.number
    event = RmaEvent(
        rma_id=rma.id,
        actor_id=actor.id,
        trigger=trigger,
        from_state=rma.state,
        to_state=rma.state,
        comment=comment.strip(),
        data=dict(data or {}),
    )
    if now is not None:
        event.created_at = now
    rma.updated_at = now or utcnow()
    session.add(event)
    try:
        session.flush()
    except StaleDataError:
        raise _conflict(number) from None
    return event


def _check_seen_version(rma: Rma, seen_version: int | None) -> None:
    """Acting on an RMA someone changed since the actor looked at it would apply the action
    to a state nobody saw: refuse it, before any check that reads the state."""
    if seen_version is not None and seen_version != rma.version:
        raise TransitionConflict(
            _(
                "%(number)s was changed by someone else since you opened it. "
                "It is shown as it is now: check it and try again.",
                number=rma.number,
            )
        )


def _conflict(number: str) -> TransitionConflict:
    return TransitionConflict(
        _(
            "%(number)s was changed by someone else at the same time. Reload and try again.",
            number=number,
        )
    )


def options_for(session: Session, rma: Rma, actor: User) -> list[TriggerOption]:
    """What ``actor`` may do with ``rma`` now, with the reasons for what is blocked.

    No side effects: guards are evaluated directly, nothing is written.
    """
    compiled = compiled_for(session, rma)
    if not is_approver(compiled, rma, actor):
        return []
    ctx = _context(rma, actor, session, None, None, None)
    return trigger_options(compiled, rma.state, ctx.role, ctx)


def executable_resolutions(session: Session, rma: Rma, actor: User) -> list[str]:
    """The return type's resolutions ``actor`` can settle ``rma`` with from its state now:
    its workflow's ``resolve`` would fire and do what the resolution needs."""
    compiled = compiled_for(session, rma)
    if not is_approver(compiled, rma, actor):
        return []
    ctx = _context(rma, actor, session, None, None, None)
    return [
        resolution
        for resolution in rma.return_type.resolutions or []
        if resolve_transition(compiled, rma.state, ctx, resolution) is not None
    ]


def is_approver(compiled: CompiledWorkflow, rma: Rma, actor: User) -> bool:
    """Whether ``actor`` may act while the RMA waits in an approval step (admins always may).

    The approver stored on the RMA wins over the step's configuration: escalation moves it.
    """
    if _waiting_step(compiled, rma) is None or actor.role is Role.ADMIN:
        return True
    if rma.approver_user_id is not None or rma.approver_role is not None:
        return actor.id == rma.approver_user_id or actor.role.value == rma.approver_role
    user_id, role = resolve_approver(rma, _waiting_step(compiled, rma))
    return actor.id == user_id or actor.role.value == role


def resolve_approver(rma: Rma, step: ApprovalStep) -> tuple[int | None, str | None]:
    """(user id, role) that may act on ``step`` for this RMA."""
    approver = step.approver
    kind = approver.get("kind")
    if kind == "account_rep":
        return rma.account.sales_rep_id, None
    if kind == "role":
        return None, approver.get("role")
    if kind == "user":
        return approver.get("user_id"), None
    return None, None


def _route_approval(compiled: CompiledWorkflow, rma: Rma) -> None:
    """Record who must act on the approval step the RMA just entered (or clear it)."""
    step = _waiting_step(compiled, rma)
    if step is None:
        rma.approver_user_id = rma.approver_role = rma.escalated_at = None
        return
    rma.approval_step = step.step
    rma.approver_user_id, rma.approver_role = resolve_approver(rma, step)
    rma.escalated_at = None


def _check_approver(compiled: CompiledWorkflow, rma: Rma, actor: User) -> None:
    if not is_approver(compiled, rma, actor):
        raise TransitionRefused(
            NOT_THE_APPROVER,
            _("%(number)s is waiting for another approver.", number=rma.number),
        )


def _waiting_step(compiled: CompiledWorkflow, rma: Rma) -> ApprovalStep | None:
    return compiled.state(rma.state).approval


def _context(rma, actor, session, comment, data, now) -> FireContext:
    ctx = FireContext(
        rma=rma, actor=actor, session=session, comment=comment or "", data=dict(data or {})
    )
    if now is not None:
        ctx.now = now
    return ctx


def _event(
    rma: Rma, actor: User, outcome: FireOutcome, comment: str | None, data: dict | None
) -> RmaEvent:
    # Staff firing a transition the retailer could fire themselves act for the retailer.
    acts_for_retailer = actor.role is not Role.RETAILER and Role.RETAILER.value in (
        outcome.transition.roles if outcome.transition else ()
    )
    return RmaEvent(
        rma_id=rma.id,
        actor_id=actor.id,
        on_behalf_of_account_id=rma.account_id if acts_for_retailer else None,
        trigger=outcome.trigger,
        from_state=outcome.source,
        to_state=outcome.state,
        comment=(comment or "").strip(),
        data={
            **(data or {}),
            "guards": [check.as_dict() for check in outcome.checks],
            "actions": list(outcome.actions),
        },
    )
