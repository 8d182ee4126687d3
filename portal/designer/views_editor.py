"""The workflow editor: every edit saves the draft and re-renders the workspace.

An HTMX edit gets the workspace fragment back (problems, lists and diagram all fresh); a
plain form post is redirected to the editor (303). A refused edit re-renders with the
form left open and its errors (422); an edit made on a stale page gets the latest draft
and an explanation (409). Nothing is saved unless the whole edit is valid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from models import Workflow
from portal.db import get_session
from portal.designer import operations, queries
from portal.designer.editor_forms import (
    EditorForms,
    Failed,
    Swap,
    editor_context,
    frame_from_form,
    state_choices,
    state_prefix,
    step_from_form,
    transition_prefix,
    users,
)
from portal.designer.forms import (
    ChainForm,
    DraftForm,
    StateForm,
    TransitionForm,
    translations_of,
)
from portal.designer.refs import RefRow, describe, new_key, parse_rows
from portal.i18n import translation_languages
from portal.inputs.numbers import parse_int
from portal.inputs.text import text_arg
from portal.web import render, wants_fragment
from workflow_designer.engine import editing
from workflow_designer.engine.chain import Chain, new_step, read_chain
from workflow_designer.engine.chain_editing import RebuildRewrites, edit_chain, hand_made
from workflow_designer.engine.diff import Change as DocChange
from workflow_designer.engine.editing import EditError, StateEdit, TransitionEdit
from workflow_designer.engine.workspace import build_workspace

Change = Callable[[dict[str, Any]], dict[str, Any]]
ASK_FIRST = _l("nothing was removed yet. Read what goes with it, then confirm.")
REWRITE = "rewrite:"


def render_editor(
    workflow: Workflow, http_status: int = 200, failed: Swap | None = None, **extra: Any
) -> Response:
    """The editor page (or its workspace fragment); ``failed`` swaps in a refused form."""
    return render(
        "designer/editor.html",
        fragment="designer/_workspace.html",
        http_status=http_status,
        **editor_context(get_session(), workflow, failed),
        **extra,
    )


def _saved(workflow: Workflow, anchor: str = "") -> ResponseReturnValue:
    if wants_fragment():
        return render_editor(workflow, saved=True)
    target = url_for("designer.editor", workflow_id=workflow.id)
    return redirect(f"{target}#{anchor}" if anchor else target, 303)


def _edit(
    workflow: Workflow, base: str, change: Change, failed: Failed, anchor: str = ""
) -> ResponseReturnValue:
    """Apply ``change`` to the draft, or re-render with the reason it was refused."""
    try:
        operations.edit_draft(get_session(), workflow, current_user, base, change)
    except operations.StaleDraft as error:
        return render_editor(workflow, error.status, error=str(error))
    except (EditError, operations.DesignerError) as error:
        refused = error
        return render_editor(workflow, 422, failed=lambda forms: failed(forms, refused))
    return _saved(workflow, anchor)


def editor(workflow_id: int) -> ResponseReturnValue:
    return render_editor(queries.load_workflow(get_session(), workflow_id))


def ref_row() -> ResponseReturnValue:
    """One guard or action row, for "Add a guard" and for switching a row's entry."""
    prefix = request.args.get("prefix", "")
    if prefix not in ("guards", "actions", "on_enter"):
        return "", 400
    key = request.args.get("key") or new_key()
    if not key.isalnum():
        return "", 400
    kind = "guard" if prefix == "guards" else "action"
    row = RefRow(key, text_arg(f"{prefix}-{key}-name", max_length=100))
    return render(
        "designer/_ref_row.html", prefix=prefix, kind=kind, row=row, entries=describe(kind)
    )


# --- states --------------------------------------------------------------------------------


def _state_edit(form: StateForm, on_enter: list[dict[str, Any]]) -> StateEdit:
    return StateEdit(
        label=form.label.data or "",
        description=form.description.data or "",
        final=bool(form.final.data),
        name=(form.name.data or "").strip(),
        on_enter=on_enter,
        translations=translations_of(form, translation_languages()),
    )


def _state_failed(key: str, form: StateForm, rows: list[RefRow], new: bool) -> Failed:
    def swap(forms: EditorForms, error: Exception | None = None) -> None:
        if error is not None:
            getattr(form, getattr(error, "field", "") or "label").errors.append(str(error))
        if new:
            forms.new_state = form
        else:
            forms.states[key] = form
        forms.rows[f"on_enter:{form._prefix.rstrip('-')}"] = rows
        forms.open = f"state:{key}"

    return swap


def state_add(workflow_id: int) -> ResponseReturnValue:
    workflow = queries.load_workflow(get_session(), workflow_id)
    form = StateForm(prefix="new-state")
    on_enter, rows, refs_ok = parse_rows(request.form, "on_enter")
    failed = _state_failed("", form, rows, new=True)
    if not (form.validate_on_submit() and refs_ok):
        return render_editor(workflow, 422, failed=failed)
    edit = _state_edit(form, on_enter)
    return _edit(workflow, form.base.data, lambda doc: editing.add_state(doc, edit)[0], failed)


def state_update(workflow_id: int, name: str) -> ResponseReturnValue:
    workflow = queries.load_workflow(get_session(), workflow_id)
    form = StateForm(prefix=state_prefix(name))
    on_enter, rows, refs_ok = parse_rows(request.form, "on_enter")
    failed = _state_failed(name, form, rows, new=False)
    if not (form.validate_on_submit() and refs_ok):
        return render_editor(workflow, 422, failed=failed)
    edit = _state_edit(form, on_enter)
    change = lambda doc: editing.update_state(doc, name, edit)  # noqa: E731
    return _edit(workflow, form.base.data, change, failed, anchor=f"state-{name}")


def _simple(workflow_id: int, change: Change, anchor: str = "") -> ResponseReturnValue:
    """Remove, move, make initial: one button, no fields besides the draft's digest."""
    workflow = queries.load_workflow(get_session(), workflow_id)
    form = DraftForm()
    if not form.validate_on_submit():
        return render_editor(workflow, 400, error=_("The form expired. Reload the page."))
    try:
        operations.edit_draft(get_session(), workflow, current_user, form.base.data, change)
    except operations.StaleDraft as error:
        return render_editor(workflow, error.status, error=str(error))
    except (EditError, operations.DesignerError) as error:
        return render_editor(workflow, 422, error=str(error))
    return _saved(workflow, anchor)


def _ask_first(key: str) -> Swap:
    def swap(forms: EditorForms) -> None:
        forms.open = key

    return swap


def state_remove(workflow_id: int, name: str) -> ResponseReturnValue:
    """Removing a state takes its transitions along: only once the admin has seen the list."""
    if request.form.get("confirmed") != "yes":
        workflow = queries.load_workflow(get_session(), workflow_id)
        return render_editor(workflow, 422, failed=_ask_first(f"remove:{name}"), error=ASK_FIRST)
    return _simple(workflow_id, lambda doc: editing.remove_state(doc, name))


def state_initial(workflow_id: int, name: str) -> ResponseReturnValue:
    return _simple(workflow_id, lambda doc: editing.set_initial(doc, name), f"state-{name}")


# --- transitions ---------------------------------------------------------------------------


def _transition_failed(
    index: int | None,
    form: TransitionForm,
    guard_rows: list[RefRow],
    action_rows: list[RefRow],
) -> Failed:
    prefix = "new-transition" if index is None else transition_prefix(index)

    def swap(forms: EditorForms, error: Exception | None = None) -> None:
        if error is not None:
            field = getattr(error, "field", "") or "label"
            getattr(form, field if hasattr(form, field) else "label").errors.append(str(error))
        if index is None:
            forms.new_transition = form
        else:
            forms.transitions[index] = form
        forms.rows[f"guards:{prefix}"] = guard_rows
        forms.rows[f"actions:{prefix}"] = action_rows
        forms.open = f"transition:{'' if index is None else index}"

    return swap


def _transition_request(
    workflow: Workflow, index: int | None
) -> tuple[TransitionForm, TransitionEdit, Failed, bool]:
    _, doc = operations.working_config(get_session(), workflow, lock=False)
    choices = state_choices(build_workspace(doc))
    prefix = "new-transition" if index is None else transition_prefix(index)
    form = TransitionForm(prefix=prefix, state_choices=choices)
    guards, guard_rows, guards_ok = parse_rows(request.form, "guards")
    actions, action_rows, actions_ok = parse_rows(request.form, "actions")
    failed = _transition_failed(index, form, guard_rows, action_rows)
    valid = form.validate_on_submit() and guards_ok and actions_ok
    edit = TransitionEdit(
        label=form.label.data or "",
        sources=list(form.sources.data or []),
        dest=form.dest.data or "",
        roles=list(form.roles.data or []),
        trigger=(form.trigger.data or "").strip(),
        requires_comment=bool(form.requires_comment.data),
        guards=guards,
        actions=actions,
        translations=translations_of(form, translation_languages()),
    )
    return form, edit, failed, valid


def transition_add(workflow_id: int) -> ResponseReturnValue:
    workflow = queries.load_workflow(get_session(), workflow_id)
    form, edit, failed, valid = _transition_request(workflow, None)
    if not valid:
        return render_editor(workflow, 422, failed=failed)
    change = lambda doc: editing.add_transition(doc, edit)[0]  # noqa: E731
    return _edit(workflow, form.base.data, change, failed)


def transition_update(workflow_id: int, index: int) -> ResponseReturnValue:
    workflow = queries.load_workflow(get_session(), workflow_id)
    form, edit, failed, valid = _transition_request(workflow, index)
    if not valid:
        return render_editor(workflow, 422, failed=failed)
    change = lambda doc: editing.update_transition(doc, index, edit)  # noqa: E731
    return _edit(workflow, form.base.data, change, failed, anchor=f"transition-{index}")


def transition_remove(workflow_id: int, index: int) -> ResponseReturnValue:
    return _simple(workflow_id, lambda doc: editing.remove_transition(doc, index))


def transition_move(workflow_id: int, index: int) -> ResponseReturnValue:
    offset = -1 if request.form.get("direction") == "up" else 1
    change = lambda doc: editing.move_transition(doc, index, offset)  # noqa: E731
    return _simple(workflow_id, change, f"transition-{index + offset}")


# --- the approval chain --------------------------------------------------------------------


def _chain_op(value: str | None) -> tuple[str, int, bool]:
    """``up-2`` → ("up", 2, False); a plain save (or change) is ("save", -1, False).
    ``remove-2`` asks what removing step 3 takes along; ``delete-2`` is the answer "yes,
    remove it". A ``rewrite:`` prefix confirms an edit that rebuilds hand-made routing."""
    value = value or "save"
    rewrite = value.startswith(REWRITE)
    op, _, index = value.removeprefix(REWRITE).partition("-")
    if op not in ("save", "add", "remove", "delete", "up", "down"):
        return "save", -1, False
    position = parse_int(index)
    return op, -1 if position is None else position, rewrite


def _reorder(entries: list[Any], op: str, index: int) -> list[Any]:
    entries = list(entries)
    if op == "delete" and 0 <= index < len(entries):
        del entries[index]
    elif op in ("up", "down"):
        target = index - 1 if op == "up" else index + 1
        if 0 <= index < len(entries) and 0 <= target < len(entries):
            entries[index], entries[target] = entries[target], entries[index]
    return entries


def _chain_failed(
    form: ChainForm,
    opened: str = "chain",
    op: str = "save",
    rewrites: list[DocChange] | None = None,
) -> Failed:
    """The chain form as submitted; a rebuild that would rewrite hand-made routing opens the
    question whose "Save anyway" repeats ``op``."""

    def swap(forms: EditorForms, error: Exception | None = None) -> None:
        forms.chain = form
        forms.open = opened
        forms.rewrites = list(rewrites or [])
        if isinstance(error, RebuildRewrites):
            forms.open, forms.rewrites = f"chain-rewrite:{op}", error.rewrites
            forms.status = str(error)
        elif error is not None:
            form.skip_to.errors = [*form.skip_to.errors, str(error)]

    return swap


def _chain_form(workflow: Workflow) -> ChainForm:
    _, doc = operations.working_config(get_session(), workflow, lock=False)
    choices = state_choices(build_workspace(doc))
    form = ChainForm(prefix="chain", state_choices=choices, user_choices=users(get_session()))
    form.validate_on_submit()
    return form


def chain_save(workflow_id: int) -> ResponseReturnValue:
    workflow = queries.load_workflow(get_session(), workflow_id)
    form = _chain_form(workflow)
    op, index, rewrite = _chain_op(request.form.get("op"))
    if op == "remove":  # its state and transitions go too: ask first ("delete" confirms)
        _, doc = operations.working_config(get_session(), workflow, lock=False)
        ask = _chain_failed(form, f"chain-remove:{index}", rewrites=hand_made(doc))
        return render_editor(workflow, 200, failed=ask, error=ASK_FIRST)
    entries = _reorder(form.steps.entries, op, index)
    frame_errors = {k: v for k, v in form.errors.items() if k != "steps"}
    failed = _chain_failed(form, op=op if index < 0 else f"{op}-{index}")
    if frame_errors or any(entry.form.errors for entry in entries) or not form.is_submitted():
        return render_editor(workflow, 422, failed=failed)
    steps = [step_from_form(entry.form) for entry in entries]
    if op == "add":
        steps.append(new_step(len(steps) + 1))

    def change(current: dict[str, Any]) -> dict[str, Any]:
        frame = frame_from_form(form, read_chain(current).frame)
        return edit_chain(current, Chain(frame, steps), rewrite=rewrite or op == "delete")

    return _edit(workflow, form.base.data, change, failed, anchor="chain")
