"""The words of a workflow diff: states by their labels, approvals, roles, guards, actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError

from workflow_designer.engine.diff_normal import Approval, Ref, State, Transition
from workflow_designer.engine.workspace import action_words, guard_words, role_words
from workflow_designer.policy import words as reader
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l

ROLE_APPROVERS = {
    "admin": _l("an admin"),
    "sales_rep": _l("a sales rep"),
    "warehouse": _l("the warehouse"),
}
ESCALATIONS = {"next": _l("the next step's approver"), "admins": _l("the admins")}
WHEN = {
    "always": _l("always"),
    "exception_requested": _l("when an exception is requested"),
    "value_at_least": _l("when the value is at least %(amount)s"),
    "value_below": _l("when the value is below %(amount)s"),
}

TRANSLATED = "translation:"

# (what, before, after, the compared values behind the words)
FieldChange = tuple[str, str, str, tuple[Any, Any]]


def translation_key(language: str, key: str) -> str:
    """``Change.what`` of a translated text: ``translation:label:de``."""
    return f"{TRANSLATED}{key}:{language}"


def translation_what(what: str) -> str | None:
    """``translation:label:de`` in words, "label in German" (None for other changes)."""
    if not what.startswith(TRANSLATED):
        return None
    key, _sep, language = what.removeprefix(TRANSLATED).partition(":")
    name = language_name(language)
    if key == "description":
        return _("explanation in %(language)s", language=name)
    return _("label in %(language)s", language=name)


def language_name(code: str) -> str:
    """A language's name in the reader's language: "German", "Deutsch", "allemand"."""
    try:
        return Locale.parse(code).get_display_name(reader.language()) or code
    except (ValueError, UnknownLocaleError):
        return code


@dataclass(frozen=True)
class Words:
    labels: Mapping[str, str]
    user_names: Mapping[int, str]

    def state(self, name: Any) -> str:
        if not isinstance(name, str) or not name:
            return _("none")
        return self.labels.get(name, name)

    # --- states ---

    @staticmethod
    def new_state(state: State) -> str:
        return "New step" if state.approval else "New state"  # keys of diff.WHAT

    @staticmethod
    def removed_state(state: State) -> str:
        return "Removed step" if state.approval else "Removed state"

    def state_summary(self, state: State) -> str:
        parts = [state.label]
        if state.approval:
            parts.append(self.approval_summary(state.approval))
        if state.final:
            parts.append(_("ends the return"))
        if state.description:
            parts.append(state.description)
        if state.on_enter:
            parts.append(_("on arrival: %(actions)s", actions=self.actions(state.on_enter)))
        return " · ".join(parts)

    # --- approvals ---

    def approver(self, approval: Approval) -> str:
        kind, who = approval.approver
        if kind == "role":
            return str(ROLE_APPROVERS.get(who, who or _("a role")))
        if kind == "user":
            number = int(who) if who.isdigit() else None
            if number is None:
                return _("a user")
            return self.user_names.get(number, _("user #%(id)s", id=who))
        return _("the account's sales rep")

    @staticmethod
    def when(approval: Approval) -> str:
        kind, amount = approval.when
        when = WHEN.get(kind)
        return str(when) % {"amount": amount} if when is not None else kind

    @staticmethod
    def escalation(approval: Approval) -> str:
        return str(ESCALATIONS.get(approval.escalate_to, approval.escalate_to or _("nobody")))

    def approval_summary(self, approval: Approval) -> str:
        return _(
            "approval step %(step)s by %(approver)s, %(when)s, SLA %(hours)s h, "
            "escalates to %(escalation)s",
            step=approval.step,
            approver=self.approver(approval),
            when=self.when(approval),
            hours=approval.sla_hours,
            escalation=self.escalation(approval),
        )

    def approval_changes(self, old: Approval | None, new: Approval | None) -> list[FieldChange]:
        if old is None or new is None:
            before = self.approval_summary(old) if old else _("no")
            after = self.approval_summary(new) if new else _("no")
            return [("approval step", before, after, (old, new))]
        found: list[FieldChange] = []
        for what, key, show in (
            ("step number", "step", lambda a: a.step),
            ("approver", "approver", self.approver),
            ("applies", "when", self.when),
            ("SLA", "sla_hours", lambda a: _("%(hours)s h", hours=a.sla_hours)),
            ("escalates to", "escalate_to", self.escalation),
        ):
            was, now = getattr(old, key), getattr(new, key)
            if was != now:
                found.append((what, show(old), show(new), (was, now)))
        return found

    # --- transitions ---

    @staticmethod
    def roles(roles: Iterable[str]) -> str:
        return role_words(list(roles)) or _("nobody")

    @staticmethod
    def guards(refs: Iterable[Ref]) -> str:
        return _(" and ").join(guard_words(r.raw) for r in refs)

    @staticmethod
    def actions(refs: Iterable[Ref]) -> str:
        return ", ".join(action_words(r.raw) for r in refs)

    def transition(self, t: Transition, routes: Mapping[tuple[str, str], set[str]]) -> str:
        if len(routes.get((t.trigger, t.source), ())) > 1:
            return _(
                "%(button)s from %(source)s to %(dest)s",
                button=t.label,
                source=self.state(t.source),
                dest=self.state(t.dest),
            )
        return _("%(button)s from %(source)s", button=t.label, source=self.state(t.source))

    def transition_summary(self, t: Transition) -> str:
        parts = [
            f"{self.state(t.source)} → {self.state(t.dest)}",
            _("by %(roles)s", roles=self.roles(t.roles)),
        ]
        if t.guards:
            parts.append(_("only if %(conditions)s", conditions=self.guards(t.guards)))
        if t.actions:
            parts.append(_("then %(actions)s", actions=self.actions(t.actions)))
        if t.requires_comment:
            parts.append(_("comment required"))
        return " · ".join(parts)

    def order(self, tried: list[Transition]) -> str:
        return _(", then ").join(
            f"{self.state(t.dest)} ({self.guards(t.guards) or _('no condition')})" for t in tried
        )
