"""What the editor shows: states, transitions and the chain in plain words, each with the
validator's problems that concern it, plus the diagram source.

Problems are attached by their path (``states[3]…``, ``transitions[5]…``), and machine
names in their messages are replaced by the labels admins gave, so the page never says
``rep_review`` where the admin wrote "Sales rep review".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from workflow_designer.engine.chain import Chain, read_chain
from workflow_designer.engine.editing import sources_of, states, transitions
from workflow_designer.engine.mermaid import to_mermaid
from workflow_designer.engine.problems import Problem
from workflow_designer.engine.registry import REGISTRY
from workflow_designer.engine.translations import translated
from workflow_designer.engine.validation import validate
from workflow_designer.policy.words import lazy_gettext as _l

ROLE_LABELS = {
    "admin": _l("Admin"),
    "sales_rep": _l("Sales rep"),
    "warehouse": _l("Warehouse"),
    "retailer": _l("Retailer"),
}
# The values a guard's or action's choice parameter takes, in words (recipients,
# resolutions, notification templates); anything else reads as its name.
CHOICE_WORDS = {
    "retailer": _l("retailer"),
    "account_rep": _l("account rep"),
    "approver": _l("approver"),
    "admins": _l("admins"),
    "warehouse": _l("warehouse"),
    "credit": _l("credit"),
    "refund": _l("refund"),
    "exchange": _l("exchange"),
    "replacement_order": _l("replacement order"),
    "rma_submitted": _l("rma submitted"),
    "approval_requested": _l("approval requested"),
    "approval_escalated": _l("approval escalated"),
    "rma_authorized": _l("rma authorized"),
    "rma_rejected": _l("rma rejected"),
    "changes_requested": _l("changes requested"),
    "rma_cancelled": _l("rma cancelled"),
    "rma_shipped": _l("rma shipped"),
    "rma_received": _l("rma received"),
    "rma_inspected": _l("rma inspected"),
    "rma_credited": _l("rma credited"),
    "rma_exchanged": _l("rma exchanged"),
    "rma_to_be_returned": _l("rma to be returned"),
    "rma_shipped_back": _l("rma shipped back"),
    "rma_closed": _l("rma closed"),
}
_PATH = re.compile(r"^(states|transitions)\[(\d+)\](\.approval)?")


@dataclass
class StateRow:
    index: int
    name: str
    label: str
    description: str
    final: bool
    initial: bool
    approval: bool
    on_enter: list[dict[str, Any]]
    problems: list[str] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class TransitionRow:
    index: int
    trigger: str
    label: str
    sources: list[str]
    dest: str
    roles: list[str]
    guards: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    requires_comment: bool
    problems: list[str] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Workspace:
    doc: dict[str, Any]
    labels: dict[str, str]
    states: list[StateRow]
    transitions: list[TransitionRow]
    chain: Chain
    step_problems: dict[str, list[str]]
    general_problems: list[str]
    problem_count: int
    mermaid: str

    def label(self, name: str) -> str:
        return self.labels.get(name, name)


def build_workspace(doc: Any, users: Sequence[Problem] = ()) -> Workspace:
    """``users`` are the problems of the return types running on this workflow with
    ``doc`` (resolutions it cannot carry out); they block publishing like the others."""
    doc = doc if isinstance(doc, dict) else {}
    labels = {
        s["name"]: str(s.get("label") or s["name"])
        for s in states(doc)
        if isinstance(s.get("name"), str)
    }
    problems = validate(doc) + list(users)
    by_state, by_transition, by_step, general = _attach(problems, doc, labels)
    return Workspace(
        doc=doc,
        labels=labels,
        states=[_state_row(i, s, doc, by_state) for i, s in enumerate(states(doc))],
        transitions=[_transition_row(i, t, by_transition) for i, t in enumerate(transitions(doc))],
        chain=read_chain(doc),
        step_problems=by_step,
        general_problems=general,
        problem_count=len(problems),
        mermaid=to_mermaid(doc),
    )


def _state_row(
    index: int, raw: dict[str, Any], doc: dict[str, Any], problems: dict[int, list[str]]
) -> StateRow:
    name = str(raw.get("name", ""))
    return StateRow(
        index=index,
        name=name,
        label=str(raw.get("label") or name),
        description=str(raw.get("description") or ""),
        final=raw.get("final") is True,
        initial=doc.get("initial") == name,
        approval=isinstance(raw.get("approval"), dict),
        on_enter=[r for r in raw.get("on_enter") or [] if isinstance(r, dict)],
        problems=problems.get(index, []),
        translations=translated(raw, ("label", "description")),
    )


def _transition_row(
    index: int, raw: dict[str, Any], problems: dict[int, list[str]]
) -> TransitionRow:
    return TransitionRow(
        index=index,
        trigger=str(raw.get("trigger") or ""),
        label=str(raw.get("label") or raw.get("trigger") or ""),
        sources=[s for s in sources_of(raw) if isinstance(s, str)],
        dest=str(raw.get("dest") or ""),
        roles=[r for r in raw.get("roles") or [] if isinstance(r, str)],
        guards=[g for g in raw.get("guards") or [] if isinstance(g, dict)],
        actions=[a for a in raw.get("actions") or [] if isinstance(a, dict)],
        requires_comment=raw.get("requires_comment") is True,
        problems=problems.get(index, []),
        translations=translated(raw, ("label",)),
    )


def _attach(
    problems: list[Problem], doc: dict[str, Any], labels: dict[str, str]
) -> tuple[dict[int, list[str]], dict[int, list[str]], dict[str, list[str]], list[str]]:
    by_state: dict[int, list[str]] = defaultdict(list)
    by_transition: dict[int, list[str]] = defaultdict(list)
    by_step: dict[str, list[str]] = defaultdict(list)
    general: list[str] = []
    states = doc.get("states")
    raw_states: list[Any] = states if isinstance(states, list) else []
    for problem in problems:
        message = plain_message(problem.message, labels)
        match = _PATH.match(problem.path)
        if match is None:
            general.append(message)
        elif match.group(1) == "transitions":
            by_transition[int(match.group(2))].append(message)
        elif match.group(3):
            index = int(match.group(2))
            raw = raw_states[index] if index < len(raw_states) else {}
            by_step[str(raw.get("name") if isinstance(raw, dict) else "")].append(message)
        else:
            by_state[int(match.group(2))].append(message)
    return by_state, by_transition, by_step, general


def plain_message(message: str, labels: dict[str, str]) -> str:
    """``State 'rep_review' …`` → ``State “Sales rep review” …``."""

    def label(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"“{labels[name]}”" if name in labels else match.group(0)

    return re.sub(r"'([a-z][a-z0-9_]*)'", label, message)


def guard_words(ref: dict[str, Any]) -> str:
    return _ref_words(ref, "guard")


def action_words(ref: dict[str, Any]) -> str:
    return _ref_words(ref, "action")


def _ref_words(ref: dict[str, Any], kind: str) -> str:
    name = ref.get(kind)
    lookup = REGISTRY.has_guard if kind == "guard" else REGISTRY.has_action
    entry = (
        (REGISTRY.guard(name) if kind == "guard" else REGISTRY.action(name))
        if lookup(name)
        else None
    )
    label = str(entry.label) if entry else str(name)
    raw_params = ref.get("params")
    params: dict[str, Any] = raw_params if isinstance(raw_params, dict) else {}
    values = [choice_words(v) for v in params.values()]
    return f"{label}: {', '.join(values)}" if values else label


def role_words(roles: list[str]) -> str:
    return ", ".join(str(ROLE_LABELS.get(r, r)) for r in roles)


def choice_words(value: Any) -> str:
    """A parameter's value as the designer shows it: ``rma_submitted`` → ``rma submitted``."""
    words = CHOICE_WORDS.get(value) if isinstance(value, str) else None
    return str(words) if words is not None else str(value).replace("_", " ")
