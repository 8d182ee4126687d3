"""The designer's blueprint: return types, their policies, workflows, versions, simulation.

Only admins reach it (checked once for the blueprint). This module holds the overview and
the return types, and the URL table at the end registers every designer page: the workflow
editor, the versions, the policy editor and the simulation are plain view functions in the
``views_*`` modules.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from models import ReturnType, Role
from portal.auth.access import restrict_blueprint
from portal.db import discard_failed_work, get_session
from portal.designer import (
    operations,
    queries,
    translations,
    views_editor,
    views_policy,
    views_policy_versions,
    views_simulation,
    views_versions,
)
from portal.designer.forms import (
    RESOLUTION_LABELS,
    ConfirmForm,
    ReturnTypeForm,
    return_type_data,
    return_type_form,
)
from portal.designer.operations import DesignerError
from portal.i18n import translation_languages
from portal.security import CONTENT_SECURITY_POLICY
from portal.web import render
from workflow_designer.engine.workspace import (
    Workspace,
    action_words,
    choice_words,
    guard_words,
    role_words,
)

bp = Blueprint("designer", __name__)
restrict_blueprint(bp, Role.ADMIN)

# Mermaid writes a <style> element into each diagram it draws; only designer pages draw
# diagrams, so only their responses allow inline styles. Scripts stay 'self' only.
DESIGNER_CSP = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


def _state_label(name: str, ws: Workspace) -> str:
    return ws.label(name)


TEMPLATE_FILTERS: dict[str, Callable[..., str]] = {
    "action_words": action_words,
    "choice_words": choice_words,
    "guard_words": guard_words,
    "role_words": role_words,
    "state_label": _state_label,
}
for _name, _filter in TEMPLATE_FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


@bp.after_request
def _allow_diagram_styles(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = DESIGNER_CSP
    return response


def home() -> ResponseReturnValue:
    session = get_session()
    return_types = queries.return_types(session)
    languages = translation_languages()
    return render(
        "designer/home.html",
        return_types=return_types,
        missing={rt.id: translations.missing_translations(rt, languages) for rt in return_types},
        workflows=queries.workflow_summaries(session),
        resolution_labels=RESOLUTION_LABELS,
    )


def _show_refusal(form: ReturnTypeForm, error: DesignerError) -> None:
    """Show a refused save beside its field. What it changed is dropped first, so the page
    shows the return type as it is stored."""
    discard_failed_work()
    getattr(form, error.field or "name").errors.append(str(error))


def _to_return_type(return_type: ReturnType) -> ResponseReturnValue:
    return redirect(url_for("designer.return_type_edit", return_type_id=return_type.id), 303)


def _form_page(form: ReturnTypeForm, return_type: ReturnType | None, **extra) -> Response:
    """The return type form, with its translations into ``languages`` and, for a stored
    return type, what is still missing of them."""
    languages = translation_languages()
    missing = translations.missing_translations(return_type, languages) if return_type else []
    return render(
        "designer/return_type_form.html",
        form=form,
        return_type=return_type,
        translation_languages=languages,
        missing=missing,
        http_status=422 if form.errors else 200,
        **extra,
    )


def return_type_create() -> ResponseReturnValue:
    session = get_session()
    form = return_type_form(queries.workflow_choices(session))
    if form.validate_on_submit():
        data = return_type_data(form, translation_languages())
        try:
            return_type = operations.create_return_type(session, current_user, data)
        except DesignerError as error:
            _show_refusal(form, error)
        else:
            flash(_("Return type “%(name)s” created.", name=return_type.name), "success")
            return _to_return_type(return_type)
    return _form_page(form, None)


def return_type_edit(return_type_id: int) -> ResponseReturnValue:
    session = get_session()
    return_type = queries.load_return_type(session, return_type_id)
    form = return_type_form(queries.workflow_choices(session), return_type)
    if form.validate_on_submit():
        data = return_type_data(form, translation_languages())
        try:
            operations.update_return_type(session, current_user, return_type, data)
        except DesignerError as error:
            _show_refusal(form, error)
        else:
            flash(_("Return type “%(name)s” saved.", name=return_type.name), "success")
            return _to_return_type(return_type)
    # What the saved return type offers but its workflow cannot carry out (once a refused
    # save shows its own errors, they say it already).
    problems = [] if form.errors else operations.return_type_problems(session, return_type)
    messages = [problem.message for problem in problems]
    return _form_page(form, return_type, confirm=ConfirmForm(), problems=messages)


def return_type_archive(return_type_id: int) -> ResponseReturnValue:
    return_type = queries.load_return_type(get_session(), return_type_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    archived = request.form.get("archived") == "1"
    operations.set_archived(return_type, archived)
    if archived:
        message = _(
            "“%(name)s” archived: retailers no longer see it. Returns already requested carry on.",
            name=return_type.name,
        )
    else:
        message = _("“%(name)s” is offered to retailers again.", name=return_type.name)
    flash(message, "success")
    return redirect(url_for("designer.home"), 303)


# --- the URL table: every designer page ----------------------------------------------

WORKFLOW = "/workflows/<id:workflow_id>"
STATE = f"{WORKFLOW}/states/<name>"
TRANSITION = f"{WORKFLOW}/transitions/<position:index>"
RETURN_TYPE = "/return-types/<id:return_type_id>"
POST = ["POST"]
GET_POST = ["GET", "POST"]

bp.add_url_rule("/", "home", home)
bp.add_url_rule("/return-types/new", "return_type_create", return_type_create, methods=GET_POST)
bp.add_url_rule(RETURN_TYPE, "return_type_edit", return_type_edit, methods=GET_POST)
bp.add_url_rule(f"{RETURN_TYPE}/archive", "return_type_archive", return_type_archive, methods=POST)
bp.add_url_rule(f"{RETURN_TYPE}/policy", "policy", views_policy.policy, methods=GET_POST)
bp.add_url_rule(
    f"{RETURN_TYPE}/policy/check", "policy_check", views_policy.policy_check, methods=POST
)
bp.add_url_rule(
    f"{RETURN_TYPE}/policy/history", "policy_history", views_policy_versions.policy_history
)
bp.add_url_rule(f"{RETURN_TYPE}/policy/diff", "policy_diff", views_policy_versions.policy_diff)
bp.add_url_rule(
    f"{RETURN_TYPE}/policy/versions/<id:number>/restore",
    "policy_restore",
    views_policy_versions.policy_restore,
    methods=POST,
)
bp.add_url_rule(
    "/workflows/new", "workflow_create", views_versions.workflow_create, methods=GET_POST
)
bp.add_url_rule(WORKFLOW, "editor", views_editor.editor)
bp.add_url_rule("/ref-row", "ref_row", views_editor.ref_row)
bp.add_url_rule(f"{WORKFLOW}/states", "state_add", views_editor.state_add, methods=POST)
bp.add_url_rule(STATE, "state_update", views_editor.state_update, methods=POST)
bp.add_url_rule(f"{STATE}/remove", "state_remove", views_editor.state_remove, methods=POST)
bp.add_url_rule(f"{STATE}/initial", "state_initial", views_editor.state_initial, methods=POST)
bp.add_url_rule(
    f"{WORKFLOW}/transitions", "transition_add", views_editor.transition_add, methods=POST
)
bp.add_url_rule(TRANSITION, "transition_update", views_editor.transition_update, methods=POST)
bp.add_url_rule(
    f"{TRANSITION}/remove", "transition_remove", views_editor.transition_remove, methods=POST
)
bp.add_url_rule(f"{TRANSITION}/move", "transition_move", views_editor.transition_move, methods=POST)
bp.add_url_rule(f"{WORKFLOW}/chain", "chain_save", views_editor.chain_save, methods=POST)
# One rule for the page and its post: two rules on one path would answer an unmatched id
# with 405 (the other rule's method) instead of 404.
bp.add_url_rule(
    f"{WORKFLOW}/publish", "publish", views_versions.publish_page, methods=["GET", "POST"]
)
bp.add_url_rule(f"{WORKFLOW}/discard", "discard", views_versions.discard, methods=POST)
bp.add_url_rule(f"{WORKFLOW}/history", "history", views_versions.history)
bp.add_url_rule(
    f"{WORKFLOW}/versions/<position:number>/restore",
    "restore",
    views_versions.restore,
    methods=POST,
)
bp.add_url_rule(f"{WORKFLOW}/diff", "diff", views_versions.diff)
bp.add_url_rule(f"{WORKFLOW}/export", "export", views_versions.export)
bp.add_url_rule(
    f"{WORKFLOW}/import", "import_workflow", views_versions.import_workflow, methods=GET_POST
)
bp.add_url_rule("/simulate", "simulate_page", views_simulation.simulate_page, methods=GET_POST)
