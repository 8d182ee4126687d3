"""``GET /healthz``: 200 when the database answers, 503 when it does not.

Open to anyone (balancers carry no session), touches no session cookie and is not
throttled; its only work is ``SELECT 1``.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.db import describe_database_error, get_session

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


def check() -> Response:
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("health check: the database did not answer: %s", describe_database_error(error))
        response = jsonify(status="unavailable", database="unreachable")
        response.status_code = 503
    else:
        response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


bp.add_url_rule("/healthz", "check", check, methods=["GET"])
