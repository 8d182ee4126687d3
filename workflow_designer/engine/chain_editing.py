"""Saving an edited approval chain into a document, changing only what the edit changed.

``apply_chain`` rebuilds every approval state and routing transition from the chain; that
is right when steps are added, removed, reordered or their conditions change, but a save
that only renames a step, changes its approver, its hours or where a decision leads must
leave the rest of the document as it was: texts written by hand, guards, the order of
transitions. So a save is compared with the chain the document holds: nothing changed
leaves the document as it is, a change of step fields or destinations is patched in place,
and only a change of the chain's shape is compiled again.

Compiling again writes every routing transition afresh, so what was written by hand there
(a guard, a label, a transition's order) would be lost. Before that happens the admin is
told what would be rewritten (``RebuildRewrites``) and the save waits for a confirmation.
"""

from __future__ import annotations

import contextlib
import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from workflow_designer.engine.chain import CHAIN_TRIGGERS, Chain, Frame, Step, read_chain
from workflow_designer.engine.chain_compiler import apply_chain, approver_roles
from workflow_designer.engine.diff import Change, diff_docs
from workflow_designer.engine.editing import EditError, sources_of, states, transitions
from workflow_designer.engine.translations import kept_for, with_translations
from workflow_designer.policy.words import gettext as _


class RebuildRewrites(EditError):
    """Saving would compile the chain again and rewrite ``rewrites``, none of which the
    admin changed in this edit; nothing is saved until they confirm."""

    def __init__(self, rewrites: list[Change]) -> None:
        super().__init__(
            _(
                "this change rebuilds the approval routing, which would also rewrite what was "
                "edited by hand. Read the list, then save anyway or undo the change."
            )
        )
        self.rewrites = rewrites


def edit_chain(doc: dict[str, Any], chain: Chain, *, rewrite: bool = False) -> dict[str, Any]:
    """A copy of ``doc`` holding ``chain``, with nothing else changed that need not be.

    A change of shape is compiled again; if that rewrites hand-made changes, it raises
    RebuildRewrites unless ``rewrite`` says the admin has seen them and agreed.
    """
    old = read_chain(doc)
    chain = _carry_over(old, chain)
    if chain == old:
        return copy.deepcopy(doc)
    patched = _patch(doc, old, chain)
    if patched is not None:
        return patched
    if not rewrite:
        rewrites = hand_made(doc)
        if rewrites:
            raise RebuildRewrites(rewrites)
    return apply_chain(doc, chain)


def hand_made(doc: dict[str, Any]) -> list[Change]:
    """What compiling the document's own chain again would change: the edits made by hand
    to what the chain generates (a compiled document is its own compilation)."""
    return diff_docs(doc, apply_chain(doc, read_chain(doc)))


def _carry_over(old: Chain, chain: Chain) -> Chain:
    """Keep what the chain form does not show (a step's text for retailers)."""
    by_state = {step.state: step for step in old.steps}
    steps = []
    for step in chain.steps:
        known = by_state.get(step.state)
        if known is not None and not step.description:
            step = copy.copy(step)
            step.description = known.description
        steps.append(step)
    return Chain(chain.frame, steps)


def _when_key(when: dict[str, Any]) -> tuple[Any, Any]:
    amount = when.get("amount")
    with contextlib.suppress(InvalidOperation):
        amount = Decimal(str(amount)).normalize() if amount is not None else None
    return when.get("kind"), amount


def _same_shape(old: Chain, new: Chain) -> bool:
    if [s.state for s in old.steps] != [s.state for s in new.steps]:
        return False
    if any(
        _when_key(a.when) != _when_key(b.when) for a, b in zip(old.steps, new.steps, strict=True)
    ):
        return False
    o, n = old.frame, new.frame
    kept = ("trigger", "trigger_label", "sources", "roles", "policy_gate")
    return all(getattr(o, k) == getattr(n, k) for k in kept) and bool(o.changes_to) == bool(
        n.changes_to
    )


def _patch(doc: dict[str, Any], old: Chain, new: Chain) -> dict[str, Any] | None:
    """``doc`` with the changed fields written in place; None when the shape changed."""
    if not _same_shape(old, new):
        return None
    result = copy.deepcopy(doc)
    step_states = [s.state for s in new.steps]
    for before, after in zip(old.steps, new.steps, strict=True):
        if before != after and not _patch_step(result, before, after):
            return None
    if not _patch_frame(result, old.frame, new.frame, step_states):
        return None
    return result


def _patch_step(doc: dict[str, Any], before: Step, after: Step) -> bool:
    state = next(s for s in states(doc) if s.get("name") == after.state)
    label = after.label.strip() or before.label
    if label != state.get("label"):  # its translations said the old name
        with_translations(state, kept_for(dict(state), {**state, "label": label}, ("description",)))
    state["label"] = label
    approval = state["approval"]
    approval.update(
        approver=dict(after.approver), sla_hours=after.sla_hours, escalate_to=after.escalate_to
    )
    for ref in state.get("on_enter") or []:
        if isinstance(ref, dict) and ref.get("action") == "set_due":
            ref["params"] = {**(ref.get("params") or {}), "hours": after.sla_hours}
    roles = approver_roles(after.approver)
    if roles == approver_roles(before.approver):
        return True
    for t in transitions(doc):
        if t.get("trigger") in CHAIN_TRIGGERS and after.state in sources_of(t):
            if sources_of(t) != [after.state]:
                return False  # shared with other states: only a full rebuild can split it
            t["roles"] = list(roles)
    return True


def _patch_frame(doc: dict[str, Any], old: Frame, new: Frame, step_states: list[str]) -> bool:
    routes = [
        ("skip_to", {old.trigger}, set(old.sources)),
        ("approved_to", {"approve"}, set(step_states)),
        ("reject_to", {"reject"}, set(step_states)),
        ("changes_to", {"request_changes"}, set(step_states)),
    ]
    for name, triggers, sources in routes:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        for t in transitions(doc):
            if t.get("trigger") not in triggers or t.get("dest") != before:
                continue
            starts = set(sources_of(t))
            if starts <= sources:
                t["dest"] = after
            elif starts & sources:
                return False
    return True
