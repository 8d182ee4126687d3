"""Rendering helpers shared by every area: page-or-fragment, template globals, errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask, Response, make_response, render_template, request
from flask_wtf.csrf import CSRFError

from portal.db import discard_failed_work
from portal.extensions import htmx


def wants_fragment() -> bool:
    """Whether this is an HTMX request for part of a page (not a boosted page load)."""
    return bool(htmx) and not htmx.boosted


def page_number() -> int:
    """The ``page`` query argument of a list without a filter form; 1 when it is not one."""
    value = request.args.get("page", "")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1


def render_page(template: str, fragment: str | None = None, **context: Any) -> Response:
    """Render ``template``; for an HTMX request, only its ``fragment`` partial.

    The fragment is a template the page itself includes, so both render the same markup.
    """
    name = fragment if fragment and wants_fragment() else template
    response = make_response(render_template(name, **context))
    response.vary.add("HX-Request")
    return response


def format_money(amount: Decimal | None, currency: str = "EUR") -> str:
    if amount is None:
        return ""
    symbol = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF "}.get(currency, currency + " ")
    return f"{symbol}{amount:,.2f}"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.globals["query_args"] = _query_args
    for code in (400, 403, 404, 405, 409, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _csrf_error)


def carried_query(*taken: str) -> dict[str, str]:
    """The request's query arguments to carry into ``url_for``, without the names it keeps
    for itself (``endpoint``, ``_external``, ``_scheme``…) or the caller's own ``taken``:
    a query argument named like them would make ``url_for`` fail instead of building."""
    return {
        name: value
        for name, value in request.args.items()
        if not name.startswith("_") and name != "endpoint" and name not in taken
    }


def _query_args(**changes: Any) -> dict[str, Any]:
    """The current query string with ``changes`` applied, for pagination links."""
    args = carried_query()
    args.update({k: v for k, v in changes.items() if v is not None})
    return args


ERROR_MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have access to this page.",
    404: "This page does not exist, or you do not have access to it.",
    405: "This action is not allowed here.",
    409: "Someone else changed this at the same time. Reload and try again.",
    413: "The upload is too large.",
    429: "Too many attempts. Wait a moment and try again.",
    500: "Something went wrong on our side. Nothing was saved.",
}


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    if code >= 500:
        discard_failed_work()
    message = getattr(error, "description", None) if code in (400, 409) else None
    body = render_template(
        "error.html", code=code, message=message or ERROR_MESSAGES.get(code, "Error")
    )
    return body, code


def _csrf_error(error: CSRFError):
    body = render_template(
        "error.html",
        code=400,
        message="Your form expired or was sent from elsewhere. Reload the page and try again.",
    )
    return body, 400
