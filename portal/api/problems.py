"""Every error of the API as RFC 9457 ``application/problem+json``.

Titles are the HTTP status phrases in English: the API is read by programs, whose
authors look the status up rather than read a translation. ``detail`` says what was
wrong with this request; a validation error lists each field and what is wrong with it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Response, json, request
from sqlalchemy.exc import DBAPIError, DisconnectionError
from werkzeug.exceptions import HTTPException

from portal.db import database_unavailable, describe_database_error, discard_failed_work
from portal.logs import request_id
from workflow_designer.engine.errors import Refusal

log = logging.getLogger(__name__)

PREFIX = "/api/"
MEDIA_TYPE = "application/problem+json"
# Statuses the API answers with a problem; each gets its own handler, since Flask asks a
# status's handlers (the pages' HTML ones among them) before any by exception class.
STATUSES = (400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 428, 429, 500, 503)
RETRY_AFTER_SECONDS = 5

DETAILS = {
    400: "The request could not be understood.",
    401: "A valid API token is required (Authorization: Bearer <token>).",
    403: "This token may not do this.",
    404: "There is nothing here, or this token may not see it.",
    405: "This method is not allowed on this resource.",
    409: "The resource changed meanwhile.",
    412: "The resource changed since it was read (If-Match).",
    413: "The request body is too large.",
    415: "The request body must be application/json.",
    422: "The request is not valid.",
    429: "Too many requests. Wait and try again.",
    500: "Something went wrong on our side. Nothing was saved.",
    503: "The database is not reachable right now. Nothing was saved; try again shortly.",
}


class Problem(Exception):
    """An API refusal: the status, a detail, and members of its own (field errors, the
    missing scope)."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        **members: Any,
    ) -> None:
        super().__init__(detail or DETAILS.get(status, ""))
        self.status = status
        self.detail = detail or DETAILS.get(status, "")
        self.headers = dict(headers or {})
        self.members = members


class ValidationProblem(Problem):
    def __init__(self, errors: Sequence[Mapping[str, str]]) -> None:
        super().__init__(422, "The request is not valid; see errors.", errors=list(errors))


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def problem_response(
    status: int,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
    **members: Any,
) -> Response:
    body = {
        "type": "about:blank",
        "title": _title(status),
        "status": status,
        "detail": detail or DETAILS.get(status, ""),
        "instance": request.path,
        **members,
    }
    if status >= 500:
        body["request_id"] = request_id()
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def from_problem(error: Problem) -> Response:
    if error.status >= 400:
        discard_failed_work()
    return problem_response(error.status, error.detail, error.headers, **error.members)


def from_http_error(error: HTTPException) -> Response:
    """Werkzeug's errors (routing, bodies, ``abort``): the status, and the description
    only where the code wrote one of its own."""
    status = error.code or 500
    discard_failed_work()
    if status >= 500 and error.code is None:
        log.error("an API request failed", exc_info=error)
    detail = DETAILS.get(status)
    headers = {}
    if status == 405 and error.get_headers():
        headers = {k: v for k, v in error.get_headers() if k == "Allow"}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return problem_response(status, detail, headers)


def from_refusal(error: Refusal) -> Response:
    discard_failed_work()
    return problem_response(error.status, str(error) or None)


def from_database_error(error: Exception) -> Response:
    if not database_unavailable(error):
        raise error
    log.warning("the database is unavailable: %s", describe_database_error(error))
    discard_failed_work()
    return problem_response(503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def from_unexpected(error: Exception) -> Response:
    """Anything else raised in a view: logged with its trace, answered 500."""
    if isinstance(error, HTTPException):
        return from_http_error(error)
    log.exception("an API request failed", exc_info=error)
    discard_failed_work()
    return problem_response(500)


def init_blueprint(bp: Blueprint) -> None:
    for status in STATUSES:
        bp.register_error_handler(status, _for_status)
    bp.register_error_handler(Problem, from_problem)
    bp.register_error_handler(Refusal, from_refusal)
    bp.register_error_handler(DBAPIError, from_database_error)
    bp.register_error_handler(DisconnectionError, from_database_error)


def _for_status(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        original = getattr(error, "original_exception", None)
        if error.code == 500 and original is not None:
            return from_unexpected(original)
        return from_http_error(error)
    return from_unexpected(error)


def answer_outside_blueprint(error: Exception) -> Response | None:
    """A problem for an API path's error raised before a blueprint is known (no route
    matched, a wrong method), which ``portal.web``'s handlers ask first; None outside
    the API."""
    if not is_api_request():
        return None
    return _for_status(error)
