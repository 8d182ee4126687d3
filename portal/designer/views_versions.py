"""Workflows as a whole: create, publish, discard, history, restore, diff, import, export."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from models import Workflow
from portal.db import discard_failed_work, get_session
from portal.designer import operations, publishing, queries
from portal.designer.forms import ConfirmForm, ImportForm, NewWorkflowForm, PublishForm
from portal.designer.views_editor import render_editor
from portal.inputs.files import content_disposition
from portal.inputs.numbers import JsonRefused, load_json, parse_id
from portal.web import render, wants_fragment
from workflow_designer.engine.diff import diff_docs
from workflow_designer.engine.errors import InvalidWorkflow
from workflow_designer.engine.templates import load_template
from workflow_designer.engine.workspace import plain_message

MAX_IMPORT_BYTES = 500_000


def _to_editor(workflow: Workflow) -> ResponseReturnValue:
    return redirect(url_for("designer.editor", workflow_id=workflow.id), 303)


def workflow_create() -> ResponseReturnValue:
    form = NewWorkflowForm()
    if form.validate_on_submit():
        version = operations.new_workflow(
            get_session(), current_user, form.name.data, load_template(form.template.data)
        )
        flash(_("Workflow created from the template. Adapt it, then publish it."), "success")
        return _to_editor(version.workflow)
    return render("designer/workflow_new.html", form=form, http_status=422 if form.errors else 200)


def _go(url: str) -> ResponseReturnValue:
    if wants_fragment():
        return Response(status=204, headers={"HX-Redirect": url})
    return redirect(url, 303)


def publish_page(workflow_id: int) -> ResponseReturnValue:
    """GET: the confirmation page; POST: the editor's button or the confirmation."""
    if request.method == "GET":
        return publish_confirm(workflow_id)
    return publish(workflow_id)


def publish_confirm(workflow_id: int) -> ResponseReturnValue:
    """Before publishing: what changes, and how many open returns stay where they are."""
    session = get_session()
    workflow = queries.load_workflow(session, workflow_id)
    preview = publishing.publish_preview(session, workflow)
    if preview is None:
        flash(_("There is no draft to publish: every change is already published."), "info")
        return _to_editor(workflow)
    return render("designer/publish.html", workflow=workflow, preview=preview)


def _publish_refused(
    workflow: Workflow, error: operations.DesignerError, confirmed: bool
) -> ResponseReturnValue:
    """The editor shows a refusal of its button; the confirmation page, of its own."""
    discard_failed_work()  # nothing the refused request did is kept
    preview = publishing.publish_preview(get_session(), workflow) if confirmed else None
    if preview is None:
        return render_editor(workflow, error.status, error=str(error))
    return render(
        "designer/publish.html",
        workflow=workflow,
        preview=preview,
        error=str(error),
        http_status=error.status,
    )


def publish(workflow_id: int) -> ResponseReturnValue:
    """The editor's button leads to the confirmation; only the confirmed post publishes."""
    session = get_session()
    workflow = queries.load_workflow(session, workflow_id)
    form = PublishForm()
    confirmed, seen = form.confirmed.data == "yes", form.seen_number()
    if not form.validate_on_submit() or (confirmed and seen is None):
        abort(400)
    try:
        if not confirmed:
            operations.publishable_draft(session, workflow, form.base.data, lock=False)
            return _go(url_for("designer.publish", workflow_id=workflow.id))
        version = operations.publish_confirmed(
            session, workflow, current_user, form.base.data, seen or 0
        )
    except operations.DesignerError as error:
        return _publish_refused(workflow, error, confirmed)
    flash(
        _(
            "Version %(number)s published. New returns use it; returns already under way "
            "keep the version they started with.",
            number=version.number,
        ),
        "success",
    )
    return _go(url_for("designer.history", workflow_id=workflow.id))


def discard(workflow_id: int) -> ResponseReturnValue:
    session = get_session()
    workflow = queries.load_workflow(session, workflow_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        operations.discard_draft(session, workflow)
    except operations.DesignerError as error:  # refused before it changed anything
        flash(str(error), "error")
    else:
        flash(_("Draft discarded: the workflow is back to its published version."), "success")
    return _to_editor(workflow)


def history(workflow_id: int) -> ResponseReturnValue:
    session = get_session()
    workflow = queries.load_workflow(session, workflow_id)
    rows = queries.version_history(session, workflow)
    return render(
        "designer/history.html",
        workflow=workflow,
        rows=rows,
        confirm=ConfirmForm(),
        has_draft=any(row.version.is_editable for row in rows),
    )


def restore(workflow_id: int, number: int) -> ResponseReturnValue:
    session = get_session()
    workflow = queries.load_workflow(session, workflow_id)
    version = queries.load_version(session, workflow, number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        draft = operations.restore_version(session, workflow, version, current_user)
    except operations.DesignerError as error:  # refused before it changed anything
        flash(str(error), "error")
        return redirect(url_for("designer.history", workflow_id=workflow.id), 303)
    flash(
        _(
            "Version %(number)s restored as draft %(draft)s. Check it, then publish it.",
            number=number,
            draft=draft.number,
        ),
        "success",
    )
    return _to_editor(workflow)


def diff(workflow_id: int) -> ResponseReturnValue:
    session = get_session()
    workflow = queries.load_workflow(session, workflow_id)
    rows = queries.version_history(session, workflow)
    numbers = [row.version.number for row in rows]
    if not numbers:
        abort(404)
    first = request.args.get("a", type=parse_id) or (numbers[1] if len(numbers) > 1 else numbers[0])
    second = request.args.get("b", type=parse_id) or numbers[0]
    before = queries.load_version(session, workflow, first)
    after = queries.load_version(session, workflow, second)
    return render(
        "designer/diff.html",
        workflow=workflow,
        numbers=numbers,
        before=before,
        after=after,
        changes=diff_docs(before.config, after.config, queries.approver_names(session)),
    )


def export(workflow_id: int) -> ResponseReturnValue:
    session = get_session()
    workflow = queries.load_workflow(session, workflow_id)
    number = request.args.get("version", type=parse_id)
    if number:
        version = queries.load_version(session, workflow, number)
    else:
        version, _ = operations.working_config(session, workflow, lock=False)
        if version is None:
            abort(404)
    body = json.dumps(version.config, indent=2, ensure_ascii=False) + "\n"
    response = Response(body, mimetype="application/json")
    filename = f"{workflow.code}-v{version.number}.json"
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response


def _read_upload(form: ImportForm) -> str:
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        raw = upload.read(MAX_IMPORT_BYTES + 1)
        if len(raw) > MAX_IMPORT_BYTES:
            raise ValueError(_("The file is too large for a workflow (500 KB at most)."))
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError(
                _("The file is not UTF-8 text. Export it again from Rotaflow.")
            ) from None
    return form.text.data or ""


def _import(workflow: Workflow, form: ImportForm) -> list[str]:
    """Import the posted workflow into the draft; the problems that refused it, if any."""
    try:
        text = _read_upload(form)
        if not text.strip():
            raise ValueError(_("Choose a file or paste a workflow."))
        config = load_json(text, max_chars=MAX_IMPORT_BYTES)
        operations.import_config(get_session(), workflow, current_user, config)
    except JsonRefused as error:
        return [str(error)]
    except (ValueError, operations.DesignerError) as error:  # InvalidWorkflow is a ValueError
        return _problem_lines(error)
    return []


def import_workflow(workflow_id: int) -> ResponseReturnValue:
    workflow = queries.load_workflow(get_session(), workflow_id)
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        problems = _import(workflow, form)
        if not problems:
            flash(_("Workflow imported into the draft. Check it, then publish it."), "success")
            return _to_editor(workflow)
    return render(
        "designer/import.html",
        workflow=workflow,
        form=form,
        problems=problems,
        http_status=422 if problems or form.errors else 200,
    )


def _problem_lines(error: Exception) -> list[str]:
    if isinstance(error, InvalidWorkflow):
        return [f"{p.path or 'workflow'}: {plain_message(p.message, {})}" for p in error.problems]
    return [str(error)]
