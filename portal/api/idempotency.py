"""``Idempotency-Key`` on the API's POSTs: the same key again answers what the first
request got, without acting again.

The key is claimed first, as a row unique per (token, key), in the request's transaction;
the answer is written into it once the view has acted, and both commit with the change or
neither does. A second request with the key meanwhile waits on that row (PostgreSQL's
unique index; SQLite's writers queue anyway), then finds the answer and replays it, or,
while the first is still unfinished, gets 409. A failed request (4xx, 5xx) keeps no key:
nothing was done, so trying again may act. Keys are kept ``API_IDEMPOTENCY_KEY_HOURS``
(a day): a request's own token's older keys are forgotten when it names a key, and the
worker deletes everyone's in bounded batches (``forget_expired_keys``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, current_app, g, make_response, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import ApiIdempotencyKey, ApiToken
from models.api_token import IDEMPOTENCY_KEY_LENGTH
from models.base import utcnow
from portal.api.problems import Problem
from portal.db import discard_failed_work, get_session

View = TypeVar("View", bound=Callable[..., Any])
HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEPT_HEADERS = ("Content-Type", "ETag", "Location")
UNFINISHED = 0  # the status of a claimed key whose request has not answered yet


def idempotent(view: View) -> View:
    """The POST view honours ``Idempotency-Key``; it runs after ``json_body``."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        _check_key(key)
        session, token, now = get_session(), cast(ApiToken, g.api_token), utcnow()
        fingerprint = _fingerprint(g.get("api_body"))
        stored = _stored(session, token, key, now)
        if stored is None:
            stored = _claim(session, token, key, fingerprint, now)
        if stored.status != UNFINISHED:
            return _replay(stored, fingerprint)
        response = make_response(view(*args, **kwargs))
        if response.status_code < 400:
            _record(session, stored, response)
        return response

    return cast(View, checked)


def _check_key(key: str) -> None:
    if not 0 < len(key) <= IDEMPOTENCY_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise Problem(
            400, f"{HEADER} must be 1 to {IDEMPOTENCY_KEY_LENGTH} printable ASCII characters."
        )


def _fingerprint(body: Any) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(f"{request.method} {request.path} {text}".encode()).hexdigest()


def kept_for(config: Any) -> timedelta:
    """How long a key is kept, from the configuration."""
    return timedelta(hours=int(config["API_IDEMPOTENCY_KEY_HOURS"]))


def forget_expired_keys(session: Session, now: datetime, kept: timedelta, batch_size: int) -> int:
    """Delete up to ``batch_size`` keys older than ``kept``, oldest first; how many went.
    A bounded batch keeps each transaction (and its locks) short."""
    expired = (
        select(ApiIdempotencyKey.id)
        .where(ApiIdempotencyKey.created_at < now - kept)
        .order_by(ApiIdempotencyKey.created_at)
        .limit(batch_size)
    )
    ids = list(session.scalars(expired))
    if ids:
        session.execute(delete(ApiIdempotencyKey).where(ApiIdempotencyKey.id.in_(ids)))
    return len(ids)


def _stored(session: Session, token: ApiToken, key: str, now: datetime) -> ApiIdempotencyKey | None:
    """The token's key, if still kept; its older keys are forgotten first, so a key past
    its time acts anew even before the worker has deleted it."""
    session.execute(
        delete(ApiIdempotencyKey).where(
            ApiIdempotencyKey.token_id == token.id,
            ApiIdempotencyKey.created_at < now - kept_for(current_app.config),
        )
    )
    return session.scalar(
        select(ApiIdempotencyKey)
        .where(ApiIdempotencyKey.token_id == token.id, ApiIdempotencyKey.key == key)
        .execution_options(populate_existing=True)
    )


def _claim(
    session: Session, token: ApiToken, key: str, fingerprint: str, now: datetime
) -> ApiIdempotencyKey:
    """The key, claimed for this request; or, when another request claimed it first and
    has committed since, that request's (its answer is replayed)."""
    claimed = ApiIdempotencyKey(
        token_id=token.id,
        key=key,
        method=request.method,
        path=request.path,
        fingerprint=fingerprint,
        status=UNFINISHED,
        body="",
        headers={},
        created_at=now,
    )
    session.add(claimed)
    try:
        session.flush()
    except IntegrityError:
        discard_failed_work()
        first = _stored(get_session(), token, key, now)
        if first is None or first.status == UNFINISHED:
            raise Problem(
                409, f"A request with this {HEADER} is still being processed; try again."
            ) from None
        return first
    return claimed


def _replay(stored: ApiIdempotencyKey, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        raise Problem(
            422,
            f"This {HEADER} was used for another request (method, path or body); "
            "use a new key for a new request.",
        )
    response = Response(stored.body, status=stored.status)
    response.headers.update(stored.headers)
    response.headers[REPLAYED] = "true"
    return response


def _record(session: Session, stored: ApiIdempotencyKey, response: Response) -> None:
    stored.status = response.status_code
    stored.body = response.get_data(as_text=True)
    stored.headers = {
        name: response.headers[name] for name in KEPT_HEADERS if name in response.headers
    }
    session.flush()
