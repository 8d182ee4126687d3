"""Rendering helpers shared by every area: page-or-fragment, template globals, errors."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, current_app, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, DisconnectionError

from portal.api.problems import answer_outside_blueprint
from portal.db import database_unavailable, describe_database_error, discard_failed_work
from portal.extensions import htmx
from portal.inputs.numbers import parse_page
from portal.logs import request_id
from portal.rmas.words import value_words
from workflow_designer.engine.errors import Refusal
from workflow_designer.policy.words import in_sentence

log = logging.getLogger(__name__)


def wants_fragment() -> bool:
    """Whether this is an HTMX request for part of a page (not a boosted page load)."""
    return bool(htmx) and not htmx.boosted


def page_number() -> int:
    """The ``page`` query argument of a list without a filter form; 1 when it is not one."""
    return parse_page(request.args.get("page"))


def render(
    template: str, fragment: str | None = None, *, http_status: int = 200, **context: Any
) -> Response:
    """Render ``template``; for an HTMX request, only its ``fragment`` partial.

    The fragment is a template the page itself includes, so both render the same markup.
    Every page that has a fragment answers through here, so caches keep the two apart.
    """
    name = fragment if fragment and wants_fragment() else template
    response = make_response(render_template(name, **context), http_status)
    response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["query_args"] = _query_args
    # A stored grade, condition or disposition in the reader's words (rmas/_macros.html).
    app.jinja_env.globals["value_words"] = value_words
    # A label inside a sentence: lower-cased where the language does, never in German.
    app.jinja_env.filters["in_sentence"] = in_sentence
    for code in (400, 403, 404, 405, 409, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(Refusal, _refusal)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(DisconnectionError, _database_error)


def carried_query(*taken: str) -> dict[str, Any]:
    """The request's query arguments to carry into ``url_for``, without the names it keeps
    for itself (``endpoint``, ``_external``, ``_scheme``…), the page's own path arguments
    (``?view=`` on ``/analytics/feedback/<view>``) or the caller's own ``taken``: a query
    argument named like them would make ``url_for`` fail instead of building."""
    path_arguments = request.view_args or {}
    return {
        name: value
        for name, value in request.args.items()
        if not name.startswith("_")
        and name != "endpoint"
        and name not in path_arguments
        and name not in taken
    }


def _query_args(**changes: Any) -> dict[str, Any]:
    """The current query string with ``changes`` applied, for pagination links."""
    args = carried_query()
    args.update({k: v for k, v in changes.items() if v is not None})
    return args


ERROR_MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("You do not have access to this page."),
    404: _l("This page does not exist, or you do not have access to it."),
    405: _l("This action is not allowed here."),
    409: _l("Someone else changed this at the same time. Reload and try again."),
    413: _l("The upload is too large."),
    429: _l("Too many attempts. Wait a moment and try again."),
    500: _l("Something went wrong on our side. Nothing was saved."),
    503: _l("The database is not reachable right now. Nothing was saved; try again in a moment."),
}
# Seconds a client is asked to wait before trying again when the database is unreachable:
# long enough for a pooled connection to be replaced, short enough for a person waiting.
RETRY_AFTER_SECONDS = 5


def _error_page(error):
    api_answer = answer_outside_blueprint(error)
    if api_answer is not None:
        return api_answer
    code = getattr(error, "code", 500) or 500
    if code >= 500:
        discard_failed_work()
    message = getattr(error, "description", None) if code in (400, 409) else None
    message = str(message or ERROR_MESSAGES.get(code) or _("Error"))
    return _render_error(code, message), code, _message_header(message)


def _refusal(error: Refusal):
    """A refusal no view showed in place: nothing it began is kept, and the person reads
    why, as a page, or for an HTMX request in the alert line beside what they did."""
    discard_failed_work()
    message = str(error.message or ERROR_MESSAGES.get(error.status) or _("Error"))
    if wants_fragment():
        body = f'<p class="flash flash-error" role="alert">{escape(message)}</p>'
    else:
        body = _render_error(error.status, message)
    return body, error.status, _message_header(message)


def _database_error(error: Exception):
    """A lost or refusing database is a 503 to try again, not a 500; any other database
    error is a bug, handled (and logged) as every other exception is."""
    if not database_unavailable(error):
        raise error
    log.warning("the database is unavailable: %s", describe_database_error(error))
    discard_failed_work()
    # The reader's language comes from their browser: their user row cannot be read now.
    _render_as_anonymous()
    message = str(ERROR_MESSAGES[503])
    if wants_fragment():
        # Swapped into (or shown next to) the part of the page that asked, not a whole page.
        body = f'<p class="flash flash-error" role="alert">{escape(message)}</p>'
    else:
        body = _render_error(503, message, database_down=True)
    return body, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), **_message_header(message)}


def _render_error(code: int, message: str, database_down: bool = False) -> str:
    """The error page; a server error shows the request id its log lines carry. Should the
    layout fail (it reads the signed-in user), the page renders as to a signed-out visitor."""
    reference = request_id() if code >= 500 else None
    context = {"code": code, "message": message, "reference": reference}
    if not database_down:
        try:
            return render_template("error.html", **context)
        except Exception:
            log.exception("the error page failed; rendering it as to a signed-out visitor")
            discard_failed_work()
    _render_as_anonymous()
    return render_template("error.html", **context)


def _render_as_anonymous() -> None:
    """Show the layout as to a signed-out visitor: Flask-Login would otherwise query the
    database for the user (into g._login_user) while the template renders."""
    g._login_user = current_app.login_manager.anonymous_user()


def _csrf_error(error: CSRFError):
    message = _("Your form expired or was sent from elsewhere. Reload the page and try again.")
    return render_template("error.html", code=400, message=message), 400, _message_header(message)


def _message_header(message: str) -> dict[str, str]:
    """For an HTMX request, the error's message in a header: htmx keeps error answers out
    of the page, and js/htmx-errors.js shows this line instead. Percent-encoded, since a
    header carries only Latin-1 and a message may hold any text."""
    return {"X-Message": quote(str(message))} if htmx else {}
