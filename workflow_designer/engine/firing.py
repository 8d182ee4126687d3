"""Firing triggers on a compiled workflow, and asking which triggers a role may fire."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from workflow_designer.engine.callbacks import GuardCheck
from workflow_designer.engine.compiler import CompiledWorkflow
from workflow_designer.engine.context import FireContext
from workflow_designer.engine.specs import Carrier, CommentRequired, TransitionSpec
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import in_sentence

# Why a fire did not happen; views map them to a status (e.g. forbidden → 403).
UNAVAILABLE = "unavailable"
FORBIDDEN = "forbidden"
GUARDS_FAILED = "guards_failed"
COMMENT_REQUIRED = "comment_required"


@dataclass(frozen=True)
class FireOutcome:
    """What firing a trigger did: the new state, the guard checks, the actions that ran."""

    trigger: str
    source: str
    state: str
    transition: TransitionSpec | None = None
    checks: tuple[GuardCheck, ...] = ()
    actions: tuple[str, ...] = ()
    effects: tuple[dict[str, Any], ...] = ()
    refusal: str | None = None
    reason: str = ""

    @property
    def fired(self) -> bool:
        return self.refusal is None


@dataclass(frozen=True)
class TriggerOption:
    """A trigger a role may fire from a state, and whether its guards allow it right now."""

    trigger: str
    label: str
    available: bool
    dest: str | None
    requires_comment: bool
    checks: tuple[GuardCheck, ...] = field(default=())

    @property
    def reasons(self) -> list[str]:
        """Why it is not available, in words (empty when it is)."""
        return [] if self.available else failed_reasons(self.checks)


def failed_reasons(checks: Iterable[GuardCheck]) -> list[str]:
    """The reasons of the failed checks, each once, in order."""
    return list(dict.fromkeys(check.reason for check in checks if not check.passed))


def fire_trigger(
    compiled: CompiledWorkflow, carrier_state: str, trigger: str, ctx: FireContext
) -> FireOutcome:
    """Fire ``trigger`` from ``carrier_state`` as ``ctx.role``; return what happened.

    Nothing is changed unless the fire succeeds: if a guard or an action raises, changes
    made through ``ctx`` are undone and the exception propagates; the caller's state string
    is never touched (the new state is only in the outcome).
    """
    compiled.state(carrier_state)
    candidates = compiled.candidates(carrier_state, trigger)
    if not candidates:
        reason = _(
            "'%(trigger)s' is not possible from '%(state)s'.", trigger=trigger, state=carrier_state
        )
        return FireOutcome(
            trigger, carrier_state, carrier_state, refusal=UNAVAILABLE, reason=reason
        )
    if not any(ctx.role in spec.roles for spec in candidates):
        reason = _(
            "The role '%(role)s' may not '%(trigger)s' from '%(state)s'.",
            role=ctx.role,
            trigger=trigger,
            state=carrier_state,
        )
        return FireOutcome(trigger, carrier_state, carrier_state, refusal=FORBIDDEN, reason=reason)
    return _run(compiled, carrier_state, trigger, ctx)


def _run(compiled: CompiledWorkflow, source: str, trigger: str, ctx: FireContext) -> FireOutcome:
    carrier = Carrier(source, ctx)
    savepoint = ctx.savepoint()
    try:
        fired = compiled.machine.events[trigger].trigger(carrier)
    except CommentRequired as exc:
        ctx.rollback_to(savepoint)
        reason = _("A comment is required to %(action)s.", action=in_sentence(exc.spec.label))
        return _refused(carrier, source, trigger, COMMENT_REQUIRED, reason)
    except BaseException:
        ctx.rollback_to(savepoint)
        raise
    if not fired:
        reason = " ".join(failed_reasons(carrier.checks))
        return _refused(carrier, source, trigger, GUARDS_FAILED, reason)
    return FireOutcome(
        trigger,
        source,
        carrier.state,
        transition=carrier.spec,
        checks=tuple(carrier.checks),
        actions=tuple(carrier.actions),
        effects=tuple(ctx.effects[savepoint.effects :]),
    )


def _refused(carrier: Carrier, source: str, trigger: str, refusal: str, reason: str) -> FireOutcome:
    checks = tuple(carrier.checks)
    return FireOutcome(trigger, source, source, checks=checks, refusal=refusal, reason=reason)


def allowed_transitions(
    compiled: CompiledWorkflow, state: str, role: str | None
) -> tuple[TransitionSpec, ...]:
    """The transitions out of ``state`` that ``role`` may fire, ignoring guards."""
    compiled.state(state)
    return tuple(t for t in compiled.outgoing.get(state, ()) if role in t.roles)


def trigger_options(
    compiled: CompiledWorkflow, state: str, role: str | None, ctx: FireContext
) -> list[TriggerOption]:
    """Every trigger ``role`` may fire from ``state``, each with its current guard checks.

    Guards are evaluated directly (never through ``may_<trigger>``, which would run
    ``prepare`` callbacks), so this has no side effects.
    """
    groups: dict[str, list[TransitionSpec]] = {}
    for spec in allowed_transitions(compiled, state, role):
        groups.setdefault(spec.trigger, []).append(spec)
    return [_option(trigger, specs, ctx) for trigger, specs in groups.items()]


def available_triggers(
    compiled: CompiledWorkflow, state: str, role: str | None, ctx: FireContext
) -> list[TriggerOption]:
    """The triggers ``role`` could fire from ``state`` right now."""
    return [option for option in trigger_options(compiled, state, role, ctx) if option.available]


def _option(trigger: str, specs: list[TransitionSpec], ctx: FireContext) -> TriggerOption:
    checks: list[GuardCheck] = []
    for spec in specs:
        results = [guard.evaluate(ctx) for guard in spec.guards]
        checks += results
        if all(check.passed for check in results):
            return TriggerOption(
                trigger, spec.label, True, spec.dest, spec.requires_comment, tuple(checks)
            )
    first = specs[0]
    return TriggerOption(trigger, first.label, False, None, first.requires_comment, tuple(checks))
