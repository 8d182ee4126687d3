"""Login throttling whose counts every process and machine serving the app shares: they
live in the database, or in Redis (see portal.auth.counters).

Three counters:

- attempts per client address in a fixed window: above the ceiling, 429 until it ends;
- failures per (e-mail, address): after the free ones, that pair waits 1 s, 2 s, 4 s …
  (capped) before its next try, and a success forgets them. Another address is not
  slowed, so an attacker cannot lock the real user out;
- failures per e-mail from every address in a window: above the ceiling, no pair of that
  e-mail has free failures any more. That slows an attack spread over many addresses
  and never refuses an address that has not failed itself.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Response, current_app, request
from flask_babel import ngettext

from models.base import utcnow
from portal.auth.counters import counters_for
from portal.config import ENV_PREFIX, ConfigurationError
from portal.web import render

EXTENSION_KEY = "rotaflow.throttle"


@dataclass(frozen=True)
class Limits:
    attempts_per_address: int
    address_window: timedelta
    free_failures: int
    first_delay: timedelta
    max_delay: timedelta
    failure_memory: timedelta
    failures_per_email: int
    email_window: timedelta

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Limits:
        def number(name: str, least: int) -> int:
            value = config[name]
            if not isinstance(value, int) or value < least:
                raise ConfigurationError(f"{ENV_PREFIX}{name} must be a whole number ≥ {least}")
            return value

        def seconds(name: str) -> timedelta:
            return timedelta(seconds=number(name, 1))

        return cls(
            attempts_per_address=number("LOGIN_ATTEMPTS_PER_ADDRESS", 1),
            address_window=seconds("LOGIN_ADDRESS_WINDOW_SECONDS"),
            free_failures=number("LOGIN_FREE_FAILURES", 0),
            first_delay=seconds("LOGIN_DELAY_SECONDS"),
            max_delay=seconds("LOGIN_MAX_DELAY_SECONDS"),
            failure_memory=seconds("LOGIN_FAILURE_MEMORY_SECONDS"),
            failures_per_email=number("LOGIN_FAILURES_PER_EMAIL", 1),
            email_window=seconds("LOGIN_EMAIL_WINDOW_SECONDS"),
        )

    def delay_after(self, failures: int, free: int) -> timedelta:
        """How long a pair waits after its ``failures``-th failure."""
        if failures <= free:
            return timedelta(0)
        doublings = min(failures - free - 1, 32)  # 2**32 s is past any cap
        return min(self.first_delay * 2**doublings, self.max_delay)


class Throttle:
    """The app's throttle. ``clock`` is replaceable, so tests move time instead of waiting."""

    def __init__(self, app: Flask, clock: Callable[[], datetime] = utcnow) -> None:
        self.app = app
        self.enabled = bool(app.config["THROTTLE_ENABLED"])
        self.limits = Limits.from_config(app.config)
        self.counters = counters_for(app)
        self.clock = clock

    def count_attempt(self, address: str) -> int | None:
        """Count an attempt from ``address``; the seconds it must wait if over the ceiling."""
        if not self.enabled:
            return None
        now = self.clock()
        self.counters.prune(now)
        key = _key("address", address)
        hits, expires_at = self.counters.count(key, now, self.limits.address_window)
        if hits > self.limits.attempts_per_address:
            return _seconds_until(expires_at, now)
        return None

    def wait_before_trying(self, email: str, address: str) -> int | None:
        """Seconds the (e-mail, address) pair must still wait after its failures, if any."""
        if not self.enabled:
            return None
        now = self.clock()
        pair, per_email = _key("pair", email, address), _key("email", email)
        counts = self.counters.read((pair, per_email), now)
        if pair not in counts:
            return None
        failures, last_failure = counts[pair]
        spread_attack = counts.get(per_email, (0, now))[0] > self.limits.failures_per_email
        free = 0 if spread_attack else self.limits.free_failures
        ready_at = last_failure + self.limits.delay_after(failures, free)
        return _seconds_until(ready_at, now) if ready_at > now else None

    def record_failure(self, email: str, address: str) -> None:
        if not self.enabled:
            return
        now, limits = self.clock(), self.limits
        pair = _key("pair", email, address)
        self.counters.count(pair, now, limits.failure_memory, sliding=True)
        self.counters.count(_key("email", email), now, limits.email_window)

    def forget_failures(self, email: str, address: str) -> None:
        """A success: the pair starts afresh (the e-mail's window count stays)."""
        if self.enabled:
            self.counters.forget(_key("pair", email, address))


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = Throttle(app)


def get_throttle(app: Flask | None = None) -> Throttle:
    return (app or current_app).extensions[EXTENSION_KEY]


def _key(kind: str, *parts: str) -> str:
    # A digest: no e-mail or client address is stored, and any submitted text is a valid key.
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "replace")).hexdigest()
    return f"{kind}:{digest}"


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def client_address() -> str:
    # Behind proxies, PROXY_FIX makes this the client's address, not the proxy's.
    return request.remote_addr or "unknown"


def too_many_attempts(seconds: int) -> Response:
    """The 429 page, with the wait in words and in ``Retry-After``."""
    message = ngettext(
        "Too many attempts. Wait %(num)d second and try again.",
        "Too many attempts. Wait %(num)d seconds and try again.",
        seconds,
    )
    response = render("error.html", http_status=429, code=429, message=message)
    response.headers["Retry-After"] = str(seconds)
    return response
