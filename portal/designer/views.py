"""The designer's blueprint: return types, their policies, workflows, versions, simulation.

Only admins reach it (checked once for the blueprint). This module holds the overview and
the return types; the workflow editor, versions and simulation live in ``views_*`` modules
imported at the bottom, which register their routes on the same blueprint.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import Role
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.designer import operations, queries
from portal.designer.forms import RESOLUTION_LABELS, ConfirmForm, ReturnTypeForm
from portal.designer.operations import DesignerError, ReturnTypeData
from portal.security import CONTENT_SECURITY_POLICY
from workflow_designer.engine.workspace import action_words, guard_words, role_words

bp = Blueprint("designer", __name__)
restrict_blueprint(bp, Role.ADMIN)

# Mermaid writes a <style> element into each diagram it draws; only designer pages draw
# diagrams, so only their responses allow inline styles. Scripts stay 'self' only.
DESIGNER_CSP = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


def _state_label(name: str, ws) -> str:
    return ws.label(name)


for _name, _filter in {
    "action_words": action_words,
    "guard_words": guard_words,
    "role_words": role_words,
    "state_label": _state_label,
}.items():
    bp.add_app_template_filter(_filter, _name)


@bp.after_request
def _allow_diagram_styles(response):
    response.headers["Content-Security-Policy"] = DESIGNER_CSP
    return response


@bp.route("/")
def home():
    session = get_session()
    return render_template(
        "designer/home.html",
        return_types=queries.return_types(session),
        workflows=queries.workflow_summaries(session),
        resolution_labels=RESOLUTION_LABELS,
    )


def _return_type_form(return_type=None) -> ReturnTypeForm:
    workflows = queries.workflow_choices(get_session())
    form = ReturnTypeForm(obj=return_type, workflows=workflows)
    if request.method == "GET" and return_type is not None:
        form.reasons.data = "\n".join(return_type.reasons or [])
        form.workflow.data = str(return_type.workflow_id)
    return form


def _form_data(form: ReturnTypeForm) -> ReturnTypeData:
    return ReturnTypeData(
        name=form.name.data,
        code=form.code.data,
        description=form.description.data or "",
        reasons=form.reason_list(),
        resolutions=list(form.resolutions.data or []),
        requires_photos=bool(form.requires_photos.data),
        requires_description=bool(form.requires_description.data),
        workflow=form.workflow.data or "",
    )


@bp.route("/return-types/new", methods=["GET", "POST"])
def return_type_create():
    form = _return_type_form()
    if form.validate_on_submit():
        session = get_session()
        try:
            return_type = operations.create_return_type(session, current_user, _form_data(form))
        except DesignerError as error:
            session.rollback()
            getattr(form, error.field or "name").errors.append(str(error))
        else:
            session.commit()
            flash(f"Return type “{return_type.name}” created.", "success")
            return redirect(
                url_for("designer.return_type_edit", return_type_id=return_type.id), 303
            )
    return render_template("designer/return_type_form.html", form=form, return_type=None), (
        422 if form.errors else 200
    )


@bp.route("/return-types/<id:return_type_id>", methods=["GET", "POST"])
def return_type_edit(return_type_id: int):
    session = get_session()
    return_type = queries.load_return_type(session, return_type_id)
    form = _return_type_form(return_type)
    if form.validate_on_submit():
        try:
            operations.update_return_type(session, current_user, return_type, _form_data(form))
        except DesignerError as error:
            session.rollback()
            getattr(form, error.field or "name").errors.append(str(error))
        else:
            session.commit()
            flash(f"Return type “{return_type.name}” saved.", "success")
            return redirect(
                url_for("designer.return_type_edit", return_type_id=return_type.id), 303
            )
    # What the saved return type offers but its workflow cannot carry out (once a refused
    # save shows its own errors, they say it already).
    problems = [] if form.errors else operations.return_type_problems(session, return_type)
    return render_template(
        "designer/return_type_form.html",
        form=form,
        return_type=return_type,
        confirm=ConfirmForm(),
        problems=[problem.message for problem in problems],
    ), (422 if form.errors else 200)


@bp.route("/return-types/<id:return_type_id>/archive", methods=["POST"])
def return_type_archive(return_type_id: int):
    session = get_session()
    return_type = queries.load_return_type(session, return_type_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    archived = request.form.get("archived") == "1"
    operations.set_archived(return_type, archived)
    session.commit()
    if archived:
        flash(
            f"“{return_type.name}” archived: retailers no longer see it. Returns already "
            "requested carry on.",
            "success",
        )
    else:
        flash(f"“{return_type.name}” is offered to retailers again.", "success")
    return redirect(url_for("designer.home"), 303)


# Importing registers the other designer routes on ``bp``.
from portal.designer import (  # noqa: E402, F401 (see above)
    views_editor,
    views_policy,
    views_simulation,
    views_versions,
)
