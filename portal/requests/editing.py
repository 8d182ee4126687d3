"""Editing a draft: the line picker, lines, the replacement order and the exception
request (photos are in ``portal.requests.photos``). Each endpoint answers an HTMX request
with the parts it changed plus the policy panel (out of band), and a plain form post with
a redirect to the draft page.
"""

from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from portal.db import get_session
from portal.extensions import htmx
from portal.requests import operations, replacements, uploads
from portal.requests.blueprint import back_to_draft, bp, load_draft, load_line, with_line
from portal.requests.errors import LineGone, RequestError
from portal.requests.forms import (
    AddLinesForm,
    ConfirmForm,
    ExceptionForm,
    ReplacementSearchForm,
    parse_picks,
    parse_replacement_quantities,
)
from portal.requests.rendering import (
    LINE_PARTS,
    draft_context,
    history_form,
    history_page,
    line_form,
    render_draft_page,
    render_parts,
)
from portal.web import carried_query

# --- picking lines -----------------------------------------------------------------------


@bp.route("/<number:number>/history")
def history(number: str):
    """The picker's results (HTMX); without JavaScript the search goes to the draft page."""
    session = get_session()
    rma = load_draft(number)
    if not htmx:
        return redirect(url_for(".draft", number=number, **carried_query("number")), 303)
    form = history_form()
    return render_template(
        "requests/_history.html",
        rma=rma,
        history_form=form,
        history=history_page(session, rma, form),
    )


@bp.route("/<number:number>/lines", methods=["POST"])
def lines_add(number: str):
    session = get_session()
    rma = load_draft(number)
    form = AddLinesForm()
    if not form.validate_on_submit():
        abort(400)
    picks = parse_picks(request.form, request.form.getlist)
    try:
        if picks.errors:
            raise RequestError(picks.errors[0])
        operations.add_lines(
            session,
            current_user,
            rma,
            picks.quantities,
            reason=form.reason.data or "",
            condition=form.condition.data or "",
        )
    except RequestError as error:
        session.rollback()
        return _pick_error(rma, str(error))
    session.commit()
    if not htmx:
        return back_to_draft(rma, "#lines")
    return render_parts(
        "requests/_lines.html", draft_context(session, rma), trigger="lines-changed"
    )


def _pick_error(rma, message: str):
    if not htmx:
        return render_draft_page(get_session(), rma, 422, pick_error=message)
    response = make_response(render_template("requests/_message.html", message=message), 422)
    response.headers["HX-Retarget"] = "#pick-errors"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


# --- lines ---------------------------------------------------------------------------------


@bp.route("/<number:number>/lines/<id:line_id>", methods=["POST"])
def line_update(number: str, line_id: int):
    session = get_session()
    rma = load_draft(number)
    line = load_line(rma, line_id)
    form = line_form(rma, line, formdata=request.form)
    error = None
    if not form.validate_on_submit():
        error = next(iter(form.errors.values()))[0]
    else:
        try:
            operations.update_line(
                session,
                current_user,
                rma,
                line,
                quantity=form.quantity.data,
                reason=form.reason.data or "",
                condition=form.condition.data or "",
                description=form.description.data or "",
            )
        except LineGone as exc:
            session.rollback()
            abort(409, str(exc))
        except RequestError as exc:
            error = str(exc)
    if error:
        session.rollback()
    else:
        session.commit()
    status = 422 if error else 200
    errors = {line_id: error} if error else {}
    if not htmx:
        if error:
            return render_draft_page(session, rma, 422, line_errors=errors)
        return back_to_draft(rma, f"#line-{line_id}")
    context = draft_context(session, rma, suggestions=False, line_errors=errors)
    return render_parts(None, with_line(context, line_id), status=status, oob=LINE_PARTS)


@bp.route("/<number:number>/lines/<id:line_id>/delete", methods=["POST"])
def line_remove(number: str, line_id: int):
    session = get_session()
    rma = load_draft(number)
    line = load_line(rma, line_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    stored = operations.remove_line(session, current_user, rma, line)
    session.commit()
    uploads.discard(current_app.config["UPLOAD_FOLDER"], stored)
    if not htmx:
        return back_to_draft(rma, "#lines")
    return render_parts(
        "requests/_lines.html", draft_context(session, rma), trigger="lines-changed"
    )


# --- replacement order ------------------------------------------------------------------


@bp.route("/<number:number>/replacements/search")
def replacement_search(number: str):
    session = get_session()
    rma = load_draft(number)
    form = ReplacementSearchForm(request.args)
    text = form.q.data or "" if form.validate() else ""
    taken = [line.product_id for line in rma.replacement_lines]
    found = replacements.unused(replacements.search_offers(session, text), taken)
    return render_template("requests/_offers.html", rma=rma, offers=found, searched=text)


@bp.route("/<number:number>/replacements", methods=["POST"])
def replacements_set(number: str):
    session = get_session()
    rma = load_draft(number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    current = {line.product_id: line.quantity for line in rma.replacement_lines}
    quantities, errors = parse_replacement_quantities(request.form, current)
    try:
        if errors:
            raise RequestError(errors[0])
        operations.set_replacement_quantities(session, current_user, rma, quantities)
        session.commit()
        error = None
    except RequestError as exc:
        session.rollback()
        error = str(exc)
    if not htmx:
        if error:
            return render_draft_page(session, rma, 422, replacement_error=error)
        return back_to_draft(rma, "#replacements")
    context = draft_context(session, rma, replacement_error=error)
    return render_parts(
        "requests/_replacements.html",
        context,
        status=422 if error else 200,
        oob=("requests/_panel.html",),
    )


# --- exception request ------------------------------------------------------------------


@bp.route("/<number:number>/exception", methods=["POST"])
def exception_request(number: str):
    session = get_session()
    rma = load_draft(number)
    form = ExceptionForm()
    if form.validate_on_submit():
        try:
            operations.request_exception(session, current_user, rma, form.justification.data)
            session.commit()
        except RequestError as error:
            session.rollback()
            form.justification.errors = [str(error)]
    return _panel_result(rma, form)


@bp.route("/<number:number>/exception/withdraw", methods=["POST"])
def exception_withdraw(number: str):
    session = get_session()
    rma = load_draft(number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.withdraw_exception(session, current_user, rma)
    session.commit()
    return _panel_result(rma, ExceptionForm(formdata=None))


def _panel_result(rma, form: ExceptionForm):
    session = get_session()
    status = 422 if form.errors else 200
    if not htmx:
        if form.errors:
            return render_draft_page(session, rma, 422, exception_form=form)
        return back_to_draft(rma, "#policy-panel")
    context = draft_context(session, rma, suggestions=False, exception_form=form)
    return render_parts("requests/_panel.html", context, status=status, oob=())
