"""Approval chains: an ordered list of steps, read from and compiled into a workflow document.

A chain sits in a *frame*: a trigger (``submit``) fired from some states (Draft, Changes
requested) starts it; when no step applies the RMA goes to ``skip_to``; approving the last
applicable step leads to ``approved_to``; steps can reject or ask for changes.

``chain_compiler.apply_chain`` writes a chain back into a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workflow_designer.engine.editing import sources_of, state_names, states, transitions

CHAIN_TRIGGERS = ("approve", "reject", "request_changes")
POLICY_PASSED = {"guard": "policy_passed"}
EXCEPTION_REQUESTED = {"guard": "exception_requested"}
STEP_ACTIONS = ("assign_approver", "set_due")
DEFAULT_ENTRY_ROLES = ["retailer", "sales_rep"]


@dataclass
class Step:
    label: str
    approver: dict[str, Any]
    when: dict[str, Any]
    sla_hours: int = 48
    escalate_to: str = "admins"
    state: str = ""  # the state it is stored as; empty for a new step
    description: str = ""


@dataclass
class Frame:
    trigger: str = "submit"
    trigger_label: str = "Submit"
    sources: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=lambda: list(DEFAULT_ENTRY_ROLES))
    skip_to: str = ""
    approved_to: str = ""
    reject_to: str = ""
    changes_to: str = ""
    # Whether starting the chain needs the policy passed or an exception requested (true
    # when the trigger is the retailer's submission; false for a later staff decision).
    policy_gate: bool = True


@dataclass
class Chain:
    frame: Frame
    steps: list[Step]


def new_step(number: int) -> Step:
    return Step(
        label=f"Approval {number}",
        approver={"kind": "account_rep"},
        when={"kind": "always"},
    )


# --- reading ---------------------------------------------------------------------------


def approval_states(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The approval states, ordered by step number."""
    found = [s for s in states(doc) if isinstance(s.get("approval"), dict)]
    return sorted(found, key=lambda s: _int(s["approval"].get("step"), 0))


def read_chain(doc: dict[str, Any]) -> Chain:
    """The chain a document describes (a sensible empty one when it has no approvals)."""
    steps_states = approval_states(doc)
    names = {s["name"] for s in steps_states}
    steps = [_read_step(s) for s in steps_states]
    return Chain(_read_frame(doc, names, steps_states), steps)


def _read_step(state: dict[str, Any]) -> Step:
    approval = state["approval"]
    return Step(
        label=str(state.get("label", "")),
        approver=dict(approval.get("approver") or {"kind": "account_rep"}),
        when=dict(approval.get("when") or {"kind": "always"}),
        sla_hours=_int(approval.get("sla_hours"), 48),
        escalate_to=str(approval.get("escalate_to") or "admins"),
        state=state["name"],
        description=str(state.get("description", "")),
    )


def _read_frame(doc: dict[str, Any], names: set[str], ordered: list[dict[str, Any]]) -> Frame:
    everything = transitions(doc)
    entry = next(
        (t for t in everything if t.get("dest") in names and not set(sources_of(t)) & names),
        None,
    ) or _first_from_initial(doc, everything)
    frame = Frame()
    if entry is not None:
        frame.trigger = str(entry.get("trigger") or "submit")
        frame.trigger_label = str(entry.get("label") or "Submit")
        frame.sources = [s for s in sources_of(entry) if isinstance(s, str)]
        frame.roles = [r for r in entry.get("roles") or [] if isinstance(r, str)]
    elif isinstance(doc.get("initial"), str):
        frame.sources = [doc["initial"]]
    routes = [
        t
        for t in everything
        if t.get("trigger") == frame.trigger and set(sources_of(t)) & set(frame.sources)
    ]
    frame.policy_gate = any(POLICY_PASSED in (t.get("guards") or []) for t in routes)
    frame.skip_to = next((t["dest"] for t in reversed(routes) if t.get("dest") not in names), "")
    last = ordered[-1]["name"] if ordered else None
    frame.approved_to = _dest_of(everything, "approve", {last} if last else set(), names)
    authorized = "authorized" if "authorized" in state_names(doc) else ""
    frame.approved_to = frame.approved_to or authorized or frame.skip_to
    frame.reject_to = _dest_of(everything, "reject", names, names) or (
        "rejected" if "rejected" in state_names(doc) else ""
    )
    frame.changes_to = _dest_of(everything, "request_changes", names, names)
    return frame


def _first_from_initial(
    doc: dict[str, Any], everything: list[dict[str, Any]]
) -> dict[str, Any] | None:
    initial = doc.get("initial")
    starting = [t for t in everything if initial in sources_of(t)]
    return next((t for t in starting if t.get("trigger") == "submit"), None) or next(
        iter(starting), None
    )


def _dest_of(
    everything: list[dict[str, Any]], trigger: str, sources: set[str], exclude: set[str]
) -> str:
    for t in everything:
        matches = t.get("trigger") == trigger and set(sources_of(t)) & sources
        if matches and t.get("dest") not in exclude:
            return str(t["dest"])
    return ""


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default
