"""The RMA page: state, timeline, lines, photos, actions, messages, return label.

Open to every role; what each user sees is decided by the scoped loader (load_rma: out of
scope is 404) and what they may do by the workflow (options_for) and portal.rmas.permissions.
"""

from __future__ import annotations

import os

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user

from models import Rma, Role
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.extensions import htmx
from portal.inputs.files import content_disposition
from portal.requests.display import figure_rows, without_label
from portal.rmas import labels, operations, queries
from portal.rmas.forms import ActionForm, LabelFormatForm, MessageForm
from portal.rmas.page import INLINE_IMAGE_TYPES, build_page
from portal.rmas.permissions import can_download_label
from portal.rmas.queries import load_rma
from portal.web import render
from workflow_designer.engine.firing import FORBIDDEN, UNAVAILABLE
from workflow_designer.runtime.firing import (
    NOT_THE_APPROVER,
    TransitionConflict,
    TransitionRefused,
    compiled_for,
)

bp = Blueprint("rmas", __name__)
restrict_blueprint(bp, *Role)


@bp.context_processor
def _helpers() -> dict:
    # The exception section writes a finding's figures as the request form's panel does.
    return {"figure_rows": figure_rows, "without_label": without_label}


FORBIDDEN_REFUSALS = (FORBIDDEN, NOT_THE_APPROVER, operations.USE_REQUEST_FORM)


def _draft_url(rma: Rma) -> str | None:
    """Where a draft is edited and submitted: the request form (portal.requests), for the
    roles that may submit."""
    if rma.submitted_at is not None or current_user.role not in (Role.RETAILER, Role.SALES_REP):
        return None
    if rma.state != compiled_for(get_session(), rma).initial:
        return None  # a draft that was discarded or cancelled is not edited any more
    if "requests.draft" not in current_app.view_functions:
        return None
    return url_for("requests.draft", number=rma.number)


def _context(rma: Rma, **extra) -> dict:
    message_form = extra.pop("message_form", None)
    return {
        "page": build_page(get_session(), current_user, rma),
        "message_form": message_form if message_form is not None else MessageForm(formdata=None),
        "draft_url": _draft_url(rma),
        **extra,
    }


def _render(rma: Rma, status: int = 200, fragment: str = "rmas/_main.html", **extra):
    """The page (or, for htmx, ``fragment`` of it) with ``status``."""
    context = _context(rma, **extra)
    if htmx:
        return render_template(fragment, **context), status
    return render_template("rmas/detail.html", **context), status


@bp.route("/<number:number>")
def detail(number: str):
    rma = load_rma(get_session(), current_user, number)
    return render("rmas/detail.html", fragment="rmas/_main.html", **_context(rma))


@bp.route("/<number:number>/actions", methods=["POST"])
def action(number: str):
    session = get_session()
    rma = load_rma(session, current_user, number)
    form = ActionForm()
    if not form.validate_on_submit():
        errors = [e for field in form for e in field.errors]
        return _render(rma, 422, action_error=" ".join(errors), failed=form)
    try:
        outcome = operations.fire_action(
            session,
            rma,
            current_user,
            form.trigger.data,
            form.comment.data or "",
            form.version.data,
        )
    except TransitionConflict as conflict:
        session.rollback()
        rma = load_rma(session, current_user, number)  # as it is now
        return _render(rma, 409, action_error=str(conflict))
    except TransitionRefused as refused:
        session.rollback()
        status = 403 if refused.refusal in FORBIDDEN_REFUSALS else 422
        return _render(rma, status, action_error=_refusal_message(rma, refused), failed=form)
    session.commit()
    label = outcome.transition.label if outcome.transition else form.trigger.data
    notice = f"{label}: done."
    if htmx:
        return _render(rma, 200, notice=notice)
    flash(notice, "success")
    return redirect(url_for(".detail", number=rma.number), 303)


def _refusal_message(rma: Rma, refused: TransitionRefused) -> str:
    # The engine's words for these name internal triggers and states; say it plainly.
    if refused.refusal == FORBIDDEN:
        return f"You may not do that on {rma.number}."
    if refused.refusal == UNAVAILABLE:
        label = compiled_for(get_session(), rma).state(rma.state).label
        return f"That is not possible while {rma.number} is {label.lower()}."
    return refused.reason


@bp.route("/<number:number>/messages", methods=["POST"])
def message_post(number: str):
    session = get_session()
    rma = load_rma(session, current_user, number)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            operations.post_message(session, rma, current_user, form.body.data)
        except operations.MessageRefused as refused:
            session.rollback()
            form.body.errors = [*form.body.errors, str(refused)]
        else:
            session.commit()
            if htmx:
                return _render(rma, 200, fragment="rmas/_messages.html")
            flash("Message sent.", "success")
            return redirect(url_for(".detail", number=rma.number, _anchor="messages"), 303)
    return _render(rma, 422, fragment="rmas/_messages.html", message_form=form)


@bp.route("/<number:number>/attachments/<id:attachment_id>")
def attachment(number: str, attachment_id: int):
    """A photo or document, checked against the same scope as the RMA itself."""
    session = get_session()
    rma = load_rma(session, current_user, number)
    item = queries.load_attachment(session, rma, attachment_id)
    folder = current_app.config.get("UPLOAD_FOLDER") or os.path.join(
        current_app.instance_path, "uploads"
    )
    response = send_from_directory(
        folder,
        item.stored_name,
        mimetype=item.content_type,
        max_age=0,
    )
    # The stored original name may hold anything a browser sent: never put it in a header raw.
    response.headers["Content-Disposition"] = content_disposition(
        item.original_name, inline=item.content_type in INLINE_IMAGE_TYPES
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/<number:number>/label.pdf")
def label(number: str):
    """The return label as a PDF: ``?format=a4`` (default) or ``?format=4x6``."""
    session = get_session()
    rma = load_rma(session, current_user, number)
    if not can_download_label(current_user, rma):
        message = (
            f"{rma.number} has no return label: the label is issued when the return is "
            "authorized, and withdrawn when the return ends."
        )
        return render_template("error.html", code=404, message=message), 404
    form = LabelFormatForm(request.args)
    if not form.validate():
        message = " ".join(form.format.errors)
        return render_template("error.html", code=400, message=message), 400
    address = queries.return_address(session, rma.account)
    if address is None:
        message = (
            f"No return address is set up for region {rma.account.region}, so the label "
            "cannot be printed yet. Your distributor has to add one; try again later."
        )
        return render_template("error.html", code=409, message=message), 409
    label_format = labels.LabelFormat(form.format.data)
    rendered = labels.render_label(rma, queries.rma_lines(session, rma), address, label_format)
    suffix = "" if label_format is labels.LabelFormat.A4 else f"-{label_format.value}"
    response = make_response(rendered.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = content_disposition(
        f"{rma.number}-label{suffix}.pdf", inline=True
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response
