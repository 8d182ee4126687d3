"""Who is calling the API: a bearer token, checked before every API view.

No cookie is read or set under /api: the token alone says who calls, so there is no
session to ride on and no CSRF to guard against. A token is refused (401) when unknown,
revoked, expired or (a personal token) its user deactivated; an integration token belongs
to no person and outlives whoever made it. Requests are throttled per token with the
login throttle's shared counters (database or Redis). The secret is never logged; its id is.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, request
from flask.sessions import SecureCookieSessionInterface

from models import ApiToken, Role, User
from models.base import utcnow
from portal.api.operations import note_use
from portal.api.principal import principal
from portal.api.problems import Problem
from portal.api.scopes import Scope
from portal.api.token_queries import token_by_secret
from portal.auth.throttle import get_throttle
from portal.db import get_session

log = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., Any])
CHALLENGE = {"WWW-Authenticate": "Bearer"}
RATE_WINDOW = timedelta(minutes=1)
API_V1 = "/api/v1/"


def authenticate() -> None:
    """The blueprint's ``before_request``: the token and its user in ``g``, or a 401."""
    secret = _bearer_secret()
    if secret is None:
        raise Problem(401, headers=CHALLENGE)
    token = token_by_secret(get_session(), secret)
    now = utcnow()
    user = None if token is None or not token.is_usable(now) else principal(token)
    if token is None or user is None:
        if token is not None:
            log.info("API token %s refused (revoked, expired or user inactive)", token.id)
        raise Problem(401, "This token is unknown, revoked or expired.", headers=CHALLENGE)
    g.api_token, g.api_user = token, user
    _throttle(token, now)
    note_use(get_session(), token, now)


def _bearer_secret() -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def _throttle(token: ApiToken, now: datetime) -> None:
    throttle = get_throttle()
    if not throttle.enabled:
        return
    key = f"api-token:{token.id}"
    hits, expires_at = throttle.counters.count(key, now, RATE_WINDOW)
    if hits > int(current_app.config["API_REQUESTS_PER_MINUTE"]):
        wait = max(1, math.ceil((expires_at - now).total_seconds()))
        log.info("API token %s throttled for %s s", token.id, wait)
        raise Problem(429, headers={"Retry-After": str(wait)})


def api_user() -> User:
    """The user the request's token acts as (``portal.api.principal``)."""
    return cast(User, g.api_user)


def requires(scope: Scope) -> Callable[[View], View]:
    """The view needs a token holding ``scope``; without it, 403 naming the scope."""

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if scope.value not in g.api_token.scopes:
                raise Problem(
                    403, f"This token lacks the scope {scope.value}.", required_scope=scope.value
                )
            return view(*args, **kwargs)

        checked.required_scope = scope.value  # type: ignore[attr-defined]
        return cast(View, checked)

    return decorate


def for_roles(roles: tuple[Role, ...], detail: str) -> Callable[[View], View]:
    """The view is for users of ``roles`` (as its pages are); others get 403 with ``detail``,
    before their body is read."""

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if api_user().role not in roles:
                raise Problem(403, detail)
            return view(*args, **kwargs)

        return cast(View, checked)

    return decorate


class PortalSessions(SecureCookieSessionInterface):
    """The signed cookie sessions, except under /api/v1: there no cookie is read or set."""

    def open_session(self, app: Flask, request: Any) -> Any:
        if request.path.startswith(API_V1):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        if request.path.startswith(API_V1):
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = PortalSessions()
