"""Resolutions a workflow can carry out: what each one needs from the ``resolve`` step.

A return type offers resolutions (credit memo, refund, exchange, credit against a
replacement order); its workflow settles an RMA by firing ``resolve``. A resolution is
executable when, from every state with a ``resolve`` transition, some ``resolve``
transition lets it through (a ``resolution_is`` guard for it, or none at all) and every
such transition reaches a state that does what the resolution needs. Pure: no Flask, no
SQLAlchemy; the designer (static check) and the resolve page (per RMA) both ask here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from workflow_designer.engine.checker import TransitionInfo
from workflow_designer.engine.compiler import CompiledWorkflow
from workflow_designer.engine.context import FireContext
from workflow_designer.engine.guards import words
from workflow_designer.engine.problems import Problem
from workflow_designer.engine.registry import REGISTRY
from workflow_designer.engine.specs import TransitionSpec
from workflow_designer.engine.validation import read
from workflow_designer.policy.vocabulary import RESOLUTIONS, Resolution

RESOLVE = "resolve"
RESOLUTION_GUARD = "resolution_is"

# What people call each resolution, everywhere it is shown.
RESOLUTION_LABELS: dict[str, str] = {r.value: r.label for r in Resolution}

# The effect actions a resolution needs once ``resolve`` has fired (portal/effects.py).
RESOLUTION_NEEDS: dict[str, tuple[str, ...]] = {
    Resolution.CREDIT: ("issue_credit",),
    Resolution.REFUND: ("issue_credit",),
    Resolution.EXCHANGE: ("create_replacement_order",),
    Resolution.REPLACEMENT_ORDER: ("create_replacement_order", "issue_credit"),
}

MISSING = (
    "{type} offers ‘{resolution}’, but its workflow has no Resolve transition for it: add one "
    "from {source} guarded by ‘{guard}’, or remove that resolution from the return type."
)
NO_RESOLVE = (
    "{type} offers ‘{resolution}’, but its workflow has no Resolve transition at all: add one "
    "from the state where inspection ends, guarded by ‘{guard}’, or choose another workflow."
)
INCOMPLETE = (
    "{type} offers ‘{resolution}’, but its workflow's Resolve transition “{label}” from "
    "{source} leads to {dest}, which does not {missing}: make it lead to a state that runs "
    "{needed}, or remove that resolution from the return type."
)


def resolution_label(resolution: str) -> str:
    return RESOLUTION_LABELS.get(resolution, words(resolution).capitalize())


def resolution_problems(doc: Any, resolutions: Iterable[str], return_type: str) -> list[Problem]:
    """Why ``return_type``'s ``resolutions`` cannot all be carried out by workflow ``doc``.

    An invalid workflow gets none here: its own problems come first (and block publishing).
    """
    checker = read(doc)
    if checker.problems:
        return []
    labels = {s["name"]: s["label"] for s in doc["states"]}
    actions = {s.name: {a.name for a in s.on_enter} for s in checker.states.values()}
    resolves = [t for t in checker.transitions if t.trigger == RESOLVE]
    sources = list(dict.fromkeys(s for t in resolves for s in t.sources))
    problems: list[Problem] = []
    for resolution in dict.fromkeys(resolutions):
        fields = {
            "type": return_type,
            "resolution": resolution_label(resolution),
            "guard": f"resolution is {words(resolution)}",
        }
        if not sources:
            problems.append(Problem("resolution_missing", "", NO_RESOLVE.format(**fields)))
        for source in sources:
            fitting = [t for t in resolves if source in t.sources and _lets_through(t, resolution)]
            if not fitting:
                message = MISSING.format(source=labels[source], **fields)
                problems.append(Problem("resolution_missing", "", message, state=source))
            for transition in fitting:
                assert transition.dest is not None  # the workflow read without problems
                done = actions[transition.dest] | {a.name for a in transition.actions}
                missing = [a for a in RESOLUTION_NEEDS.get(resolution, ()) if a not in done]
                if missing:
                    problems.append(
                        _incomplete(transition, source, labels, doc, missing, resolution, fields)
                    )
    return problems


def _lets_through(transition: TransitionInfo, resolution: str) -> bool:
    kinds = [g.params.get("kind") for g in transition.guards or () if g.name == RESOLUTION_GUARD]
    return all(kind == resolution for kind in kinds)


def _incomplete(
    transition: TransitionInfo,
    source: str,
    labels: Mapping[str, str],
    doc: dict[str, Any],
    missing: list[str],
    resolution: str,
    fields: dict[str, str],
) -> Problem:
    message = INCOMPLETE.format(
        label=doc["transitions"][transition.index]["label"],
        source=labels[source],
        dest=labels[transition.dest or ""],
        missing="run " + " or ".join(f"‘{_action_label(a)}’" for a in missing),
        needed=" and ".join(f"‘{_action_label(a)}’" for a in RESOLUTION_NEEDS[resolution]),
        **fields,
    )
    return Problem(
        "resolution_incomplete",
        f"transitions[{transition.index}]",
        message,
        state=source,
        transition=RESOLVE,
    )


def _action_label(name: str) -> str:
    return str(REGISTRY.action(name).label)


def executable_resolutions(doc: Any) -> list[str]:
    """The resolutions workflow ``doc`` can carry out, in the registry's order."""
    return [r for r in RESOLUTIONS if not resolution_problems(doc, [r], "")]


class _Choosing:
    """An RMA as the guards would see it with ``resolution`` chosen (nothing is changed)."""

    def __init__(self, rma: Any, resolution: str) -> None:
        self._rma = rma
        self.resolution = resolution

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rma, name)


def resolve_transition(
    compiled: CompiledWorkflow, state: str, ctx: FireContext, resolution: str
) -> TransitionSpec | None:
    """The ``resolve`` transition that would fire from ``state`` for ``ctx.role`` with
    ``resolution`` chosen, if it reaches a state that does what the resolution needs."""
    probe = FireContext(
        rma=_Choosing(ctx.rma, resolution), actor=ctx.actor, session=ctx.session, role=ctx.role
    )
    for spec in compiled.candidates(state, RESOLVE):
        if ctx.role not in spec.roles:
            continue
        if all(guard.evaluate(probe).passed for guard in spec.guards):
            return spec if _does(compiled, spec, resolution) else None
    return None


def _does(compiled: CompiledWorkflow, spec: TransitionSpec, resolution: str) -> bool:
    done = {a.name for a in compiled.state(spec.dest).on_enter} | {a.name for a in spec.actions}
    return resolution in RESOLUTION_NEEDS and set(RESOLUTION_NEEDS[resolution]) <= done
