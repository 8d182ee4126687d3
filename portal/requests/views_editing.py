"""Editing a draft: the line picker, lines, the replacement order and the exception
request (photos are in ``portal.requests.views_photos``). Each view answers an HTMX
request with the parts it changed plus the policy panel (out of band), and a plain form
post with a redirect to the draft page. Routes: the URL table in ``portal.requests.views``.

A refusal shown in place first discards what the operation began, as the one error
handler does for the others: the page must show the draft as stored.
"""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from models import Rma
from portal.db import discard_failed_work, get_session
from portal.requests import operations, replacements
from portal.requests.errors import LineGone, RequestError
from portal.requests.files import discard_once_committed
from portal.requests.forms import (
    AddLinesForm,
    ConfirmForm,
    ExceptionForm,
    ReplacementSearchForm,
    checked_replacement_quantities,
    parse_picks,
    posted_answers,
)
from portal.requests.queries import load_draft, load_line
from portal.requests.rendering import (
    LINE_PARTS,
    back_to_draft,
    draft_context,
    history_form,
    history_page,
    line_form,
    render_draft_page,
    render_parts,
    with_line,
)
from portal.web import carried_query, render, wants_fragment

# --- picking lines -----------------------------------------------------------------------


def history(number: str) -> ResponseReturnValue:
    """The picker's results (HTMX); without JavaScript the search goes to the draft page."""
    session = get_session()
    rma = load_draft(session, current_user, number)
    if not wants_fragment():
        return redirect(url_for(".draft", number=number, **carried_query("number")), 303)
    form = history_form()
    return render_template(
        "requests/_history.html",
        rma=rma,
        history_form=form,
        history=history_page(session, rma, form),
    )


def lines_add(number: str) -> ResponseReturnValue:
    session = get_session()
    rma = load_draft(session, current_user, number)
    form = AddLinesForm()
    if not form.validate_on_submit():
        abort(400)
    picks = parse_picks(request.form, request.form.getlist)
    try:
        operations.add_lines(session, current_user, rma, picks.checked(), **form.line_choices())
    except RequestError as error:
        discard_failed_work()
        return _pick_error(rma, error.message)
    return _lines_changed(rma, "#lines")


def _lines_changed(rma: Rma, anchor: str) -> Response:
    if not wants_fragment():
        return back_to_draft(rma, anchor)
    return render_parts(
        "requests/_lines.html", draft_context(get_session(), rma), trigger="lines-changed"
    )


def _pick_error(rma: Rma, message: str) -> Response:
    if not wants_fragment():
        return render_draft_page(get_session(), rma, 422, pick_error=message)
    response = render("requests/_message.html", http_status=422, message=message)
    response.headers["HX-Retarget"] = "#pick-errors"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


# --- lines ---------------------------------------------------------------------------------


def line_update(number: str, line_id: int) -> ResponseReturnValue:
    session = get_session()
    rma = load_draft(session, current_user, number)
    line = load_line(session, rma, line_id)
    form = line_form(rma, line, formdata=request.form)
    error = None
    if not form.validate_on_submit():
        error = next(iter(form.errors.values()))[0]
    else:
        try:
            answers = posted_answers(request.form, line_id)
            operations.update_line(
                session, current_user, rma, line, **form.changes(), answers=answers
            )
        except LineGone:
            raise  # a conflict: the one handler answers 409
        except RequestError as exc:
            discard_failed_work()
            error = exc.message
    return _line_result(rma, line_id, error)


def _line_result(rma: Rma, line_id: int, error: str | None) -> Response:
    session = get_session()
    errors = {line_id: error} if error else {}
    if not wants_fragment():
        if error:
            return render_draft_page(session, rma, 422, line_errors=errors)
        return back_to_draft(rma, f"#line-{line_id}")
    context = draft_context(session, rma, suggestions=False, line_errors=errors)
    status = 422 if error else 200
    return render_parts(None, with_line(context, line_id), status=status, oob=LINE_PARTS)


def line_remove(number: str, line_id: int) -> ResponseReturnValue:
    session = get_session()
    rma = load_draft(session, current_user, number)
    line = load_line(session, rma, line_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    discard_once_committed(operations.remove_line(session, current_user, rma, line))
    return _lines_changed(rma, "#lines")


# --- replacement order ------------------------------------------------------------------


def replacement_search(number: str) -> ResponseReturnValue:
    session = get_session()
    rma = load_draft(session, current_user, number)
    form = ReplacementSearchForm(request.args)
    text = form.q.data or "" if form.validate() else ""
    taken = [line.product_id for line in rma.replacement_lines]
    found = replacements.unused(replacements.search_offers(session, text), taken)
    return render_template("requests/_offers.html", rma=rma, offers=found, searched=text)


def replacements_set(number: str) -> ResponseReturnValue:
    session = get_session()
    rma = load_draft(session, current_user, number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    current = {line.product_id: line.quantity for line in rma.replacement_lines}
    error = None
    try:
        quantities = checked_replacement_quantities(request.form, current)
        operations.set_replacement_quantities(session, current_user, rma, quantities)
    except RequestError as exc:
        discard_failed_work()
        error = exc.message
    return _replacements_result(rma, error)


def _replacements_result(rma: Rma, error: str | None) -> Response:
    session = get_session()
    if not wants_fragment():
        if error:
            return render_draft_page(session, rma, 422, replacement_error=error)
        return back_to_draft(rma, "#replacements")
    context = draft_context(session, rma, replacement_error=error)
    status = 422 if error else 200
    oob = ("requests/_panel.html",)
    return render_parts("requests/_replacements.html", context, status=status, oob=oob)


# --- exception request ------------------------------------------------------------------


def exception_request(number: str) -> ResponseReturnValue:
    session = get_session()
    rma = load_draft(session, current_user, number)
    form = ExceptionForm()
    if form.validate_on_submit():
        try:
            operations.request_exception(session, current_user, rma, form.justification.data)
        except RequestError as error:
            discard_failed_work()
            form.justification.errors = [error.message]
    return _panel_result(rma, form)


def exception_withdraw(number: str) -> ResponseReturnValue:
    session = get_session()
    rma = load_draft(session, current_user, number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.withdraw_exception(session, current_user, rma)
    return _panel_result(rma, ExceptionForm(formdata=None))


def _panel_result(rma: Rma, form: ExceptionForm) -> Response:
    session = get_session()
    status = 422 if form.errors else 200
    if not wants_fragment():
        if form.errors:
            return render_draft_page(session, rma, 422, exception_form=form)
        return back_to_draft(rma, "#policy-panel")
    context = draft_context(session, rma, suggestions=False, exception_form=form)
    return render_parts("requests/_panel.html", context, status=status, oob=())
