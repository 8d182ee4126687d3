"""An RMA's progress in plain words: where it is, what happens next and who acts, and
what happened so far. Derived from the pinned workflow version, never from hard-coded
state names, so a distributor's own workflow reads just as well as the templates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from models import RetailerAccount, Rma, RmaEvent, Role, User
from portal.rmas import event_words
from workflow_designer.engine.compiler import ApprovalStep, CompiledWorkflow, StateSpec

ROLE_ORDER = ("retailer", "sales_rep", "admin", "warehouse")


@dataclass(frozen=True)
class NextStep:
    """One thing that can happen next: a transition label, where it leads, who does it."""

    label: str
    leads_to: str
    who: str


@dataclass(frozen=True)
class StateSummary:
    label: str
    description: str
    final: bool
    waiting_for: str | None  # the approver, in an approval step
    due_at: datetime | None
    next_steps: tuple[NextStep, ...]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    what: str
    from_label: str | None
    to_label: str
    comment: str
    on_behalf_of: str | None


def humanise(name: str) -> str:
    """``start_inspection`` → ``Start inspection``: for names the workflow does not label."""
    return name.replace("_", " ").capitalize()


def state_label(compiled: CompiledWorkflow, name: str | None) -> str | None:
    if name is None:
        return None
    spec = compiled.states.get(name)
    return spec.label if spec is not None else humanise(name)


class Words:
    """Who does what, said from the viewer's side ("you", "your sales rep", …)."""

    def __init__(self, viewer: User, account: RetailerAccount, users: Mapping[int, User]):
        self.viewer = viewer
        self.account = account
        self.users = users

    def role(self, role: str) -> str:
        viewer_role = self.viewer.role.value
        if role == "sales_rep":
            return self.sales_rep()
        if role == viewer_role:
            return _("you")
        return {
            "retailer": _("the retailer"),
            "admin": _("a returns manager"),
            "warehouse": _("the warehouse"),
        }.get(role, humanise(role).lower())

    def sales_rep(self) -> str:
        rep = self.account.sales_rep
        if rep is not None and rep.id == self.viewer.id:
            return _("you")
        if self.viewer.role is Role.RETAILER:
            if rep is None:
                return _("your sales rep")
            return _("your sales rep %(name)s", name=rep.name)
        if rep is None:
            return _("the account's sales rep")
        return _("the account's sales rep %(name)s", name=rep.name)

    def roles(self, roles: Iterable[str]) -> str:
        return _join(list(dict.fromkeys(self.role(r) for r in _ordered(roles))))

    def approver_role(self, step: ApprovalStep) -> str | None:
        kind = step.approver.get("kind")
        if kind == "account_rep":
            return Role.SALES_REP.value
        if kind == "role":
            return str(step.approver.get("role"))
        user = self.users.get(step.approver.get("user_id"))  # type: ignore[arg-type]
        return user.role.value if user is not None else None

    def waiting_for(self, rma: Rma, step: ApprovalStep) -> str:
        """Who the RMA waits for. Escalation moves the approver, and the approval routing
        stores the current one on the RMA (approver_user_id / approver_role) where it
        exists; otherwise the step's configuration says."""
        user_id = getattr(rma, "approver_user_id", None)
        role = getattr(rma, "approver_role", None)
        if user_id is not None:
            if user_id == self.account.sales_rep_id:
                return self.sales_rep()
            return self.user(user_id)
        if role is not None:
            return self.role(role)
        return self.approver(step)

    def user(self, user_id: int | None) -> str:
        user = self.users.get(user_id)  # type: ignore[arg-type]
        if user is not None and user.id == self.viewer.id:
            return _("you")
        return user.name if user is not None else _("a named approver")

    def approver(self, step: ApprovalStep) -> str:
        kind = step.approver.get("kind")
        if kind == "account_rep":
            return self.sales_rep()
        if kind == "role":
            return self.role(str(step.approver.get("role")))
        return self.user(step.approver.get("user_id"))


def summarise_state(compiled: CompiledWorkflow, rma: Rma, words: Words) -> StateSummary:
    spec = compiled.state(rma.state)
    waiting_for = words.waiting_for(rma, spec.approval) if spec.approval else None
    return StateSummary(
        label=spec.label,
        description=spec.description,
        final=spec.final,
        waiting_for=waiting_for,
        due_at=rma.due_at if not spec.final else None,
        next_steps=tuple(_next_steps(compiled, spec, words)),
    )


def _next_steps(compiled: CompiledWorkflow, spec: StateSpec, words: Words) -> list[NextStep]:
    # Transitions sharing a label and actors (a trigger routed by guards) read as one step
    # leading to either destination.
    grouped: dict[tuple[str, str], list[str]] = {}
    # The way forward first; ways out of the return's life (cancel, reject) after it.
    transitions = sorted(
        compiled.outgoing.get(spec.name, ()), key=lambda t: compiled.state(t.dest).final
    )
    for transition in transitions:
        who = _who(spec, transition.roles, words)
        destinations = grouped.setdefault((transition.label, who), [])
        label = state_label(compiled, transition.dest) or transition.dest
        if label not in destinations:
            destinations.append(label)
    return [
        NextStep(label=label, leads_to=_either(dests), who=who)
        for (label, who), dests in grouped.items()
    ]


def _who(spec: StateSpec, roles: Iterable[str], words: Words) -> str:
    approval = spec.approval
    if approval is None:
        return words.roles(roles)
    # In an approval step the approver decides (admins may always step in); other roles
    # keep what they may do there, such as cancelling.
    deciders = {"admin", words.approver_role(approval)}
    if not deciders & set(roles):
        return words.roles(roles)
    others = [words.role(r) for r in _ordered(roles) if r not in deciders]
    return _join([words.approver(approval), *others])


def _ordered(roles: Iterable[str]) -> list[str]:
    return sorted(set(roles), key=lambda r: (ROLE_ORDER.index(r) if r in ROLE_ORDER else 99, r))


def _either(destinations: list[str]) -> str:
    """ "A or B or C": each destination a transition may lead to."""
    text = destinations[0] if destinations else ""
    for destination in destinations[1:]:
        text = _("%(some)s or %(last)s", some=text, last=destination)
    return text


def _join(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(some)s or %(last)s", some=", ".join(parts[:-1]), last=parts[-1])


def timeline(
    compiled: CompiledWorkflow, rma: Rma, events: Iterable[RmaEvent]
) -> list[TimelineEntry]:
    """The event log as people read it: who, when, what (the transition's label), comment."""
    return [_entry(compiled, rma, event) for event in events]


def _entry(compiled: CompiledWorkflow, rma: Rma, event: RmaEvent) -> TimelineEntry:
    actor = event.actor
    return TimelineEntry(
        at=event.created_at,
        actor=f"{actor.name} ({actor.role.label})" if actor is not None else "Rotaflow",
        what=event_words.what(event.trigger, event.data) or _what(compiled, event),
        from_label=state_label(compiled, event.from_state),
        to_label=state_label(compiled, event.to_state) or event.to_state,
        comment=event_words.comment(event.trigger, event.data) or event.comment,
        on_behalf_of=rma.account.name if event.on_behalf_of_account_id else None,
    )


def _what(compiled: CompiledWorkflow, event: RmaEvent) -> str:
    label = (event.data or {}).get("label")
    if isinstance(label, str) and label:
        return label  # events written outside the workflow may name themselves
    if event.from_state in compiled.states:
        candidates = compiled.candidates(event.from_state, event.trigger)
        exact = [t for t in candidates if t.dest == event.to_state]
        if exact or candidates:
            return (exact or candidates)[0].label
    return humanise(event.trigger)
