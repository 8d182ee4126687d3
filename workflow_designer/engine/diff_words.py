"""The words of a workflow diff: states by their labels, approvals, roles, guards, actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workflow_designer.engine.diff_normal import Approval, Ref, State, Transition
from workflow_designer.engine.workspace import action_words, guard_words, role_words

ROLE_APPROVERS = {"admin": "an admin", "sales_rep": "a sales rep", "warehouse": "the warehouse"}
ESCALATIONS = {"next": "the next step's approver", "admins": "the admins"}
WHEN = {
    "always": "always",
    "exception_requested": "when an exception is requested",
    "value_at_least": "when the value is at least {amount}",
    "value_below": "when the value is below {amount}",
}

# (what, before, after, the compared values behind the words)
FieldChange = tuple[str, str, str, tuple[Any, Any]]


@dataclass(frozen=True)
class Words:
    labels: Mapping[str, str]
    user_names: Mapping[int, str]

    def state(self, name: Any) -> str:
        if not isinstance(name, str) or not name:
            return "none"
        return self.labels.get(name, name)

    # --- states ---

    @staticmethod
    def new_state(state: State) -> str:
        return "New step" if state.approval else "New state"

    @staticmethod
    def removed_state(state: State) -> str:
        return "Removed step" if state.approval else "Removed state"

    def state_summary(self, state: State) -> str:
        parts = [state.label]
        if state.approval:
            parts.append(self.approval_summary(state.approval))
        if state.final:
            parts.append("ends the return")
        if state.description:
            parts.append(state.description)
        if state.on_enter:
            parts.append(f"on arrival: {self.actions(state.on_enter)}")
        return " · ".join(parts)

    # --- approvals ---

    def approver(self, approval: Approval) -> str:
        kind, who = approval.approver
        if kind == "role":
            return ROLE_APPROVERS.get(who, who or "a role")
        if kind == "user":
            number = int(who) if who.isdigit() else None
            return self.user_names.get(number, f"user #{who}") if number is not None else "a user"
        return "the account's sales rep"

    @staticmethod
    def when(approval: Approval) -> str:
        kind, amount = approval.when
        return WHEN.get(kind, kind).format(amount=amount)

    @staticmethod
    def escalation(approval: Approval) -> str:
        return ESCALATIONS.get(approval.escalate_to, approval.escalate_to or "nobody")

    def approval_summary(self, approval: Approval) -> str:
        return (
            f"approval step {approval.step} by {self.approver(approval)}, {self.when(approval)}, "
            f"SLA {approval.sla_hours} h, escalates to {self.escalation(approval)}"
        )

    def approval_changes(self, old: Approval | None, new: Approval | None) -> list[FieldChange]:
        if old is None or new is None:
            before = self.approval_summary(old) if old else "no"
            after = self.approval_summary(new) if new else "no"
            return [("approval step", before, after, (old, new))]
        found: list[FieldChange] = []
        for what, key, show in (
            ("step number", "step", lambda a: a.step),
            ("approver", "approver", self.approver),
            ("applies", "when", self.when),
            ("SLA", "sla_hours", lambda a: f"{a.sla_hours} h"),
            ("escalates to", "escalate_to", self.escalation),
        ):
            was, now = getattr(old, key), getattr(new, key)
            if was != now:
                found.append((what, show(old), show(new), (was, now)))
        return found

    # --- transitions ---

    @staticmethod
    def roles(roles: Iterable[str]) -> str:
        return role_words(list(roles)) or "nobody"

    @staticmethod
    def guards(refs: Iterable[Ref]) -> str:
        return " and ".join(guard_words(r.raw) for r in refs)

    @staticmethod
    def actions(refs: Iterable[Ref]) -> str:
        return ", ".join(action_words(r.raw) for r in refs)

    def transition(self, t: Transition, routes: Mapping[tuple[str, str], set[str]]) -> str:
        subject = f"{t.label} from {self.state(t.source)}"
        if len(routes.get((t.trigger, t.source), ())) > 1:
            subject += f" to {self.state(t.dest)}"
        return subject

    def transition_summary(self, t: Transition) -> str:
        parts = [f"{self.state(t.source)} → {self.state(t.dest)}", f"by {self.roles(t.roles)}"]
        if t.guards:
            parts.append(f"only if {self.guards(t.guards)}")
        if t.actions:
            parts.append(f"then {self.actions(t.actions)}")
        if t.requires_comment:
            parts.append("comment required")
        return " · ".join(parts)

    def order(self, tried: list[Transition]) -> str:
        return ", then ".join(
            f"{self.state(t.dest)} ({self.guards(t.guards) or 'no condition'})" for t in tried
        )
