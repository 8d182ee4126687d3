"""Building the editor's forms from a workspace: one per state, transition and the chain.

Each form gets a prefix of its own so the page's field ids stay unique and a POST is read
with the same prefix it was rendered with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from models import Workflow
from portal.designer import operations, queries
from portal.designer.forms import ChainForm, StateForm, TransitionForm
from portal.designer.refs import RefRow, describe, rows_from_refs
from portal.i18n import translation_languages
from workflow_designer.engine.chain import Chain, Frame, Step
from workflow_designer.engine.diff import Change
from workflow_designer.engine.editing import removal_effects
from workflow_designer.engine.translations import missing_translations
from workflow_designer.engine.workspace import Workspace, build_workspace


def state_prefix(name: str) -> str:
    return f"state-{name}"


def transition_prefix(index: int) -> str:
    return f"t{index}"


@dataclass
class EditorForms:
    """Every form of the editor page, plus the guard/action rows each one shows."""

    new_state: StateForm
    states: dict[str, StateForm]
    new_transition: TransitionForm
    transitions: dict[int, TransitionForm]
    chain: ChainForm
    rows: dict[str, list[RefRow]] = field(default_factory=dict)
    open: str = ""  # the form left open because it was refused
    status: str = ""  # why it was refused, when the save status should say more than "fix it"
    rewrites: list[Change] = field(default_factory=list)  # a chain rebuild would rewrite these


# Puts a refused form in place of the editor's own (see ``editor_context``).
Swap = Callable[["EditorForms"], None]


class Failed(Protocol):
    """A swap that also shows the refusal, if any, beside the field it concerns."""

    def __call__(self, forms: EditorForms, error: Exception | None = None) -> None: ...


def users(session: Session) -> list[tuple[str, str]]:
    """Who may be named as an approver, as choices."""
    return [(str(u.id), f"{u.name} ({u.role.label})") for u in queries.staff_users(session)]


def editor_context(session: Session, workflow: Workflow, failed: Swap | None) -> dict[str, Any]:
    """What the editor page shows: the working version, its workspace and every form;
    ``failed`` swaps in a refused form."""
    version, doc = operations.working_config(session, workflow, lock=False)
    ws = build_workspace(doc, operations.users_problems(session, workflow, doc))
    digest = operations.config_digest(doc)
    forms = build_forms(ws, digest, users(session))
    if failed is not None:
        failed(forms)
    languages = translation_languages()
    return {
        "workflow": workflow,
        "version": version,
        "ws": ws,
        "forms": forms,
        "digest": digest,
        "registry": {"guard": describe("guard"), "action": describe("action")},
        "removals": {s.name: removal_question(doc, s.name, s.label) for s in ws.states},
        "translating": languages,  # ``languages`` is the page's global: code → name
        "missing": missing_translations(doc, languages),
    }


def removal_question(doc: dict[str, Any], name: str, label: str) -> str:
    """The question asked before removing a state, naming everything that goes with it."""
    removed, narrowed = removal_effects(doc, name)
    if removed and narrowed:
        return ngettext(
            "Deleting “%(label)s” also removes %(num)d transition: %(removed)s; "
            "%(narrowed)s will no longer start from it.",
            "Deleting “%(label)s” also removes %(num)d transitions: %(removed)s; "
            "%(narrowed)s will no longer start from it.",
            len(removed),
            label=label,
            removed=_labels(removed),
            narrowed=_labels(narrowed),
        )
    if removed:
        return ngettext(
            "Deleting “%(label)s” also removes %(num)d transition: %(removed)s.",
            "Deleting “%(label)s” also removes %(num)d transitions: %(removed)s.",
            len(removed),
            label=label,
            removed=_labels(removed),
        )
    if narrowed:
        return _(
            "Deleting “%(label)s” removes no transition; %(narrowed)s will no longer start "
            "from it.",
            label=label,
            narrowed=_labels(narrowed),
        )
    return _("Deleting “%(label)s” removes no transition.", label=label)


def _labels(labels: list[str]) -> str:
    """Distinct labels in order; a button with several routes says how many."""
    counts = Counter(labels)
    return ", ".join(
        label
        if counts[label] == 1
        else _("%(label)s (%(count)s routes)", label=label, count=counts[label])
        for label in dict.fromkeys(labels)
    )


def state_choices(ws: Workspace) -> list[tuple[str, str]]:
    return [(s.name, s.label) for s in ws.states if s.name]


def build_forms(ws: Workspace, digest: str, user_choices: list[tuple[str, str]]) -> EditorForms:
    choices = state_choices(ws)
    forms = EditorForms(
        new_state=StateForm(prefix="new-state", formdata=None, data={"base": digest}),
        states={s.name: _state_form(s, digest) for s in ws.states if s.name},
        new_transition=TransitionForm(
            prefix="new-transition",
            formdata=None,
            data={"base": digest, "roles": ["admin"]},
            state_choices=choices,
        ),
        transitions={t.index: _transition_form(t, digest, choices) for t in ws.transitions},
        chain=ChainForm(
            prefix="chain",
            formdata=None,
            data=chain_data(ws.chain, digest),
            state_choices=choices,
            user_choices=user_choices,
        ),
    )
    for s in ws.states:
        forms.rows[f"on_enter:{state_prefix(s.name)}"] = rows_from_refs(s.on_enter, "action")
    for t in ws.transitions:
        forms.rows[f"guards:{transition_prefix(t.index)}"] = rows_from_refs(t.guards, "guard")
        forms.rows[f"actions:{transition_prefix(t.index)}"] = rows_from_refs(t.actions, "action")
    return forms


def _state_form(row, digest: str) -> StateForm:
    data = {
        "base": digest,
        "label": row.label,
        "description": row.description,
        "final": row.final,
        "name": row.name,
        **_translation_data(row.translations),
    }
    return StateForm(prefix=state_prefix(row.name), formdata=None, data=data)


def _transition_form(row, digest: str, choices) -> TransitionForm:
    data = {
        "base": digest,
        "label": row.label,
        "sources": row.sources,
        "dest": row.dest,
        "roles": row.roles,
        "requires_comment": row.requires_comment,
        "trigger": row.trigger,
        **_translation_data(row.translations),
    }
    return TransitionForm(
        prefix=transition_prefix(row.index), formdata=None, data=data, state_choices=choices
    )


def _translation_data(translations: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The per-language sub-forms' data: ``in_de`` → {"label": …}."""
    return {f"in_{code}": dict(texts) for code, texts in translations.items()}


def chain_data(chain: Chain, digest: str) -> dict[str, Any]:
    frame = chain.frame
    return {
        "base": digest,
        "trigger_label": frame.trigger_label,
        "skip_to": frame.skip_to,
        "approved_to": frame.approved_to,
        "reject_to": frame.reject_to,
        "changes_to": frame.changes_to,
        "steps": [_step_data(step) for step in chain.steps],
    }


def _step_data(step: Step) -> dict[str, Any]:
    return {
        "state": step.state,
        "label": step.label,
        "approver_kind": step.approver.get("kind", "account_rep"),
        "approver_role": step.approver.get("role", "admin"),
        "approver_user": str(step.approver.get("user_id", "")),
        "when_kind": step.when.get("kind", "always"),
        "amount": str(step.when.get("amount", "")),
        "sla_hours": step.sla_hours,
        "escalate_to": step.escalate_to,
    }


def step_from_form(entry) -> Step:
    """A chain step from a validated StepForm."""
    kind = entry.approver_kind.data
    approver: dict[str, Any] = {"kind": kind}
    if kind == "role":
        approver["role"] = entry.approver_role.data
    elif kind == "user":
        approver["user_id"] = int(entry.approver_user.data)
    when: dict[str, Any] = {"kind": entry.when_kind.data}
    if when["kind"] in ("value_at_least", "value_below"):
        when["amount"] = entry.amount.data
    return Step(
        label=entry.label.data.strip(),
        approver=approver,
        when=when,
        sla_hours=entry.sla_hours.data,
        escalate_to=entry.escalate_to.data,
        state=entry.state.data or "",
    )


def frame_from_form(form: ChainForm, frame: Frame) -> Frame:
    """The frame with the destinations the form chose; one left unset keeps its value."""
    frame.skip_to = form.skip_to.data or frame.skip_to
    frame.approved_to = form.approved_to.data or frame.approved_to
    frame.reject_to = form.reject_to.data or frame.reject_to
    frame.changes_to = form.changes_to.data or ""
    return frame
