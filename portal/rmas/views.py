"""The RMA page: state, timeline, lines, photos, actions, messages, return label.

Open to every role; what each user sees is decided by the scoped loader (load_rma: out of
scope is 404) and what they may do by the workflow (options_for) and portal.rmas.permissions.
"""

from __future__ import annotations

import os

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from models import Rma, Role
from portal.auth.access import restrict_blueprint
from portal.db import discard_failed_work, get_session
from portal.i18n.queries import distributor_defaults
from portal.inputs.files import content_disposition
from portal.requests.display import figure_rows, without_label
from portal.rmas import labels, operations, queries, views_feedback
from portal.rmas.forms import ActionForm, MessageForm, label_format
from portal.rmas.page import INLINE_IMAGE_TYPES, build_page
from portal.rmas.permissions import require_label
from portal.rmas.queries import load_rma
from portal.web import render, wants_fragment
from workflow_designer.engine.firing import FORBIDDEN, UNAVAILABLE, FireOutcome
from workflow_designer.policy.words import in_sentence
from workflow_designer.runtime.firing import (
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


MAIN = "rmas/_main.html"
MESSAGES = "rmas/_messages.html"


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


def _render(rma: Rma, fragment: str = MAIN, *, http_status: int = 200, **extra) -> Response:
    """The RMA page (or, for htmx, ``fragment`` of it) as it is now, with ``extra``."""
    message_form = extra.pop("message_form", None)
    if message_form is None:
        message_form = MessageForm(formdata=None)
    page = build_page(get_session(), current_user, rma)
    context = {"page": page, "message_form": message_form, "draft_url": _draft_url(rma)}
    return render("rmas/detail.html", fragment, http_status=http_status, **context, **extra)


def detail(number: str) -> Response:
    return _render(load_rma(get_session(), current_user, number))


def action(number: str) -> Response:
    session = get_session()
    rma = load_rma(session, current_user, number)
    form = ActionForm()
    if not form.validate_on_submit():
        errors = " ".join(str(e) for field in form for e in field.errors)
        return _render(rma, http_status=422, action_error=errors, failed=form)
    trigger, comment, seen = form.trigger.data, form.comment.data or "", form.version.data
    try:
        outcome = operations.fire_action(session, rma, current_user, trigger, comment, seen)
    except TransitionConflict as conflict:
        discard_failed_work()
        rma = load_rma(session, current_user, number)  # as it is now
        return _render(rma, http_status=409, action_error=str(conflict))
    except TransitionRefused as refused:
        discard_failed_work()
        status = 403 if refused.forbidden else 422
        message = _refusal_message(rma, refused)
        return _render(rma, http_status=status, action_error=message, failed=form)
    return _acted(rma, outcome, trigger)


def _acted(rma: Rma, outcome: FireOutcome, trigger: str) -> Response:
    label = outcome.transition.label if outcome.transition else trigger
    notice = _("%(action)s: done.", action=label)
    if wants_fragment():
        return _render(rma, notice=notice)
    flash(notice, "success")
    return redirect(url_for(".detail", number=rma.number), 303)


def _refusal_message(rma: Rma, refused: TransitionRefused) -> str:
    # The engine's words for these name internal triggers and states; say it plainly.
    if refused.refusal == FORBIDDEN:
        return _("You may not do that on %(number)s.", number=rma.number)
    if refused.refusal == UNAVAILABLE:
        label = compiled_for(get_session(), rma).state(rma.state).label
        return _(
            "That is not possible while %(number)s is %(state)s.",
            number=rma.number,
            state=in_sentence(label),
        )
    return refused.reason


def message_post(number: str) -> Response:
    session = get_session()
    rma = load_rma(session, current_user, number)
    form = MessageForm()
    if not form.validate_on_submit():
        return _render(rma, MESSAGES, http_status=422, message_form=form)
    try:
        operations.post_message(session, rma, current_user, form.body.data)
    except operations.MessageRefused as refused:
        discard_failed_work()
        form.body.errors = [*form.body.errors, refused.message]
        return _render(rma, MESSAGES, http_status=422, message_form=form)
    if wants_fragment():
        return _render(rma, MESSAGES)
    flash(_("Message sent."), "success")
    return redirect(url_for(".detail", number=rma.number, _anchor="messages"), 303)


def attachment(number: str, attachment_id: int) -> Response:
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


def label(number: str) -> Response:
    """The return label as a PDF: ``?format=a4`` (default) or ``?format=4x6``."""
    session = get_session()
    rma = load_rma(session, current_user, number)
    require_label(current_user, rma)
    chosen = label_format(request.args)
    address = queries.label_address(session, rma)
    reader = labels.LabelReader.of(rma.account, distributor_defaults(session))
    rendered = labels.render_label(rma, queries.rma_lines(session, rma), address, chosen, reader)
    suffix = "" if chosen is labels.LabelFormat.A4 else f"-{chosen.value}"
    response = make_response(rendered.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = content_disposition(
        f"{rma.number}-label{suffix}.pdf", inline=True
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response


bp.add_url_rule("/<number:number>", "detail", detail)
bp.add_url_rule("/<number:number>/actions", "action", action, methods=["POST"])
bp.add_url_rule("/<number:number>/messages", "message_post", message_post, methods=["POST"])
bp.add_url_rule("/<number:number>/attachments/<id:attachment_id>", "attachment", attachment)
bp.add_url_rule("/<number:number>/label.pdf", "label", label)
bp.add_url_rule(
    "/<number:number>/feedback", "feedback", views_feedback.feedback, methods=["GET", "POST"]
)
