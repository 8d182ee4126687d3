"""Configuration: defaults, then ``ROTAFLOW_*`` environment variables, then explicit overrides."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Flask

from workflow_designer.policy import vocabulary

ENV_PREFIX = "ROTAFLOW_"
DEV_SECRET_KEY = "dev-only-insecure-secret-key"
DEV_BASE_URL = "http://127.0.0.1:5000"
ENVIRONMENTS = ("production", "development", "testing")
# Session cookies are signed with this key: a short one can be brute-forced offline from a
# single cookie, and whoever has the key can sign in as anyone.
MIN_SECRET_KEY_BYTES = 32
MAIL_TRANSPORTS = ("", "smtp", "sink")

DEFAULTS: dict[str, Any] = {
    # production | development | testing. Production unless the environment says otherwise:
    # only development and testing may run on the built-in key, SQLite and the mail sink.
    "ENV": "production",
    "SECRET_KEY": None,  # None: the built-in DEV_SECRET_KEY, outside production only
    "DATABASE_URL": None,  # None: SQLite file in the instance folder, outside production only
    "DATABASE_ECHO": False,
    "MAIL_SERVER": None,  # None: localhost, outside production only
    "MAIL_PORT": 25,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": False,
    "MAIL_FROM": "Rotaflow <returns@rotaflow.invalid>",
    # "smtp" or "sink" (.eml files in instance/mail/); empty: the sink in development and
    # testing, SMTP otherwise.
    "MAIL_TRANSPORT": "",
    "MAIL_TIMEOUT": 30,
    # Links in e-mails point here (mail is rendered outside any request). Production names
    # its own.
    "BASE_URL": DEV_BASE_URL,
    # Outbox worker: a failed e-mail waits OUTBOX_RETRY_SECONDS, doubling after each
    # failure up to OUTBOX_RETRY_MAX_SECONDS, and is parked after OUTBOX_MAX_ATTEMPTS.
    "OUTBOX_MAX_ATTEMPTS": 8,
    "OUTBOX_RETRY_SECONDS": 60,
    "OUTBOX_RETRY_MAX_SECONDS": 6 * 3600,
    "OUTBOX_LEASE_SECONDS": 600,
    "WORKER_POLL_SECONDS": 5,
    # Webhooks: a receiver gets WEBHOOK_TIMEOUT_SECONDS per network step; a failed
    # delivery waits 1 min, 5 min, 30 min, 2 h, then 6 h between attempts, and after
    # WEBHOOK_MAX_ATTEMPTS it is parked and its subscription disabled.
    "WEBHOOK_MAX_ATTEMPTS": 6,
    "WEBHOOK_TIMEOUT_SECONDS": 5,
    # The weekly digest to reps and admins (waiting, overdue, risk signals): the worker
    # queues it from this ISO weekday (1 Monday … 7 Sunday) and hour (0–23) on, in the
    # distributor's time zone, once per recipient and week. `rotaflow digest --now`
    # queues this week's at once.
    "DIGEST_ENABLED": True,
    "DIGEST_WEEKDAY": 1,
    "DIGEST_HOUR": 7,
    "WORKER_BATCH_SIZE": 20,
    # The worker sums the analytics of changed accounts again at most this often.
    "ANALYTICS_REFRESH_SECONDS": 60,
    "PAGE_SIZE": 25,
    # Resale discount (% off list price) of returned stock per grade, for the B-stock list.
    # From the environment: "open_packaging=20,used=35" (grades not named keep these).
    "B_STOCK_DISCOUNTS": {
        "open_packaging": "20",
        "used": "35",
        "lightly_damaged": "50",
        "heavily_damaged": "70",
        "defective": "85",
    },
    "IMPORT_MAX_BYTES": 50 * 1024 * 1024,
    # Whole-request ceiling; it must stay above IMPORT_MAX_BYTES. Photo uploads set their
    # own, lower, limit per request (see portal.requests.photos).
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    "UPLOAD_FOLDER": None,  # None: uploads/ in the instance folder (never under static/)
    "UPLOAD_MAX_FILE_BYTES": 10 * 1024 * 1024,
    "UPLOAD_MAX_FILES_PER_LINE": 5,
    # Checked against the bytes of each file, not its name or the browser's content type.
    "UPLOAD_ALLOWED_TYPES": "image/jpeg,image/png,image/webp",
    # Pixels (width × height) an uploaded image may have: more is refused from its header,
    # which is how a small file that would decode to gigabytes (a decompression bomb) ends.
    "UPLOAD_MAX_PIXELS": 50_000_000,
    # Designer pages stay open for a working day; one-hour tokens would expire under them.
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
    # Login throttling, counted in the database so every process and machine shares it
    # (see portal.auth.throttle). Login and password-change attempts per client address
    # per window; then 429 until the window ends.
    "THROTTLE_ENABLED": True,
    # Empty: the counters live in the database. redis://host:6379/0 keeps them in Redis
    # (needs the redis client: pip install 'rotaflow[redis]').
    "THROTTLE_REDIS_URL": "",
    "LOGIN_ATTEMPTS_PER_ADDRESS": 30,
    "LOGIN_ADDRESS_WINDOW_SECONDS": 60,
    # Failures per (e-mail, address): after the free ones that pair waits
    # LOGIN_DELAY_SECONDS, doubling with each failure up to LOGIN_MAX_DELAY_SECONDS. A
    # success, or LOGIN_FAILURE_MEMORY_SECONDS without failing, forgets them.
    "LOGIN_FREE_FAILURES": 5,
    "LOGIN_DELAY_SECONDS": 1,
    "LOGIN_MAX_DELAY_SECONDS": 300,
    "LOGIN_FAILURE_MEMORY_SECONDS": 24 * 3600,
    # Failures per e-mail from all addresses per window: above it no pair of that e-mail
    # has free failures (each address waits after its first). It slows, never refuses.
    "LOGIN_FAILURES_PER_EMAIL": 50,
    "LOGIN_EMAIL_WINDOW_SECONDS": 3600,
    # Requests per API token per minute (with THROTTLE_ENABLED, in the same counters);
    # more are answered 429 with Retry-After until the minute ends.
    "API_REQUESTS_PER_MINUTE": 300,
    # An Idempotency-Key is kept this many hours (as Stripe keeps them), then forgotten:
    # the worker deletes older keys in batches, and the same key again acts anew.
    "API_IDEMPOTENCY_KEY_HOURS": 24,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # "plain" text, or "json": one object per line, for log collectors (see portal.logs).
    "LOG_FORMAT": "plain",
    "LOG_LEVEL": "INFO",
    # How many proxies in front of the app set X-Forwarded-For and X-Forwarded-Proto; 0
    # trusts none. Behind one reverse proxy: 1. More than there are lets clients forge
    # their address, and with it dodge login throttling.
    "PROXY_FIX": 0,
}


class ConfigurationError(RuntimeError):
    pass


def load_config(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    app.config.update(DEFAULTS)
    app.config.update(_from_environment(os.environ))
    if overrides:
        app.config.update(overrides)
    _check_environment(app)
    _refuse_unsafe(app)
    _derive(app)
    _check_operations(app)


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read ``ROTAFLOW_X`` into ``X``, typed like the default of ``X``."""
    config: dict[str, Any] = {}
    for key, raw in environ.items():
        if not key.startswith(ENV_PREFIX) or key.startswith(ENV_PREFIX + "TEST_"):
            continue
        name = key.removeprefix(ENV_PREFIX)
        config[name] = _coerce(name, raw, DEFAULTS.get(name))
    return config


def _coerce(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off", ""):
            return False
        raise ConfigurationError(f"{ENV_PREFIX}{name} must be true or false, not {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigurationError(f"{ENV_PREFIX}{name} must be a whole number") from None
    return raw


def _check_environment(app: Flask) -> None:
    env = str(app.config["ENV"] or "").strip().lower()
    if env not in ENVIRONMENTS:
        raise ConfigurationError(
            f"{ENV_PREFIX}ENV must be production, development or testing, not {env!r}"
        )
    app.config["ENV"] = env
    app.config["MAIL_TRANSPORT"] = str(app.config["MAIL_TRANSPORT"] or "").strip().lower()
    if app.config["MAIL_TRANSPORT"] not in MAIL_TRANSPORTS:
        raise ConfigurationError(f"{ENV_PREFIX}MAIL_TRANSPORT must be smtp or sink")


def _derive(app: Flask) -> None:
    if app.config["ENV"] != "production":
        # The conveniences production refuses (see _refuse_unsafe).
        app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or DEV_SECRET_KEY
        app.config["MAIL_SERVER"] = app.config["MAIL_SERVER"] or "localhost"
    app.config["LOG_FORMAT"] = str(app.config["LOG_FORMAT"]).strip().lower()
    app.config["LOG_LEVEL"] = str(app.config["LOG_LEVEL"]).strip().upper()
    if not app.config["DATABASE_URL"]:
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "rotaflow.sqlite3")
        app.config["DATABASE_URL"] = f"sqlite:///{path}"
    if not app.config["UPLOAD_FOLDER"]:
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    app.config["B_STOCK_DISCOUNTS"] = _b_stock_discounts(app.config["B_STOCK_DISCOUNTS"])
    production = app.config["ENV"] == "production"
    app.config["SESSION_COOKIE_SECURE"] = production
    app.config["REMEMBER_COOKIE_SECURE"] = production
    app.config["TESTING"] = app.config["ENV"] == "testing" or app.config.get("TESTING", False)


B_STOCK_GRADES = tuple(grade.value for grade in vocabulary.B_STOCK_GRADES)


def _b_stock_discounts(value: Mapping[str, Any] | str) -> dict[str, Decimal]:
    """Percent off list price per B-stock grade; a string is "grade=percent,…" from the
    environment, applied over the defaults. A typo must stop start-up, not price stock."""
    defaults = DEFAULTS["B_STOCK_DISCOUNTS"]
    if isinstance(value, str):
        pairs = [item.partition("=") for item in value.split(",") if item.strip()]
        if any(not sep for _, sep, _ in pairs):
            raise ConfigurationError(
                f"{ENV_PREFIX}B_STOCK_DISCOUNTS must look like open_packaging=20,used=35"
            )
        value = {**defaults, **{k.strip(): v.strip() for k, _, v in pairs}}
    discounts = {}
    for grade, raw in {**defaults, **value}.items():
        if grade not in B_STOCK_GRADES:
            raise ConfigurationError(
                f"B_STOCK_DISCOUNTS: {grade!r} is not a B-stock grade ({', '.join(B_STOCK_GRADES)})"
            )
        try:
            percent = Decimal(str(raw))
        except InvalidOperation:
            percent = Decimal("NaN")
        if not percent.is_finite() or not 0 <= percent <= 100:
            raise ConfigurationError(f"B_STOCK_DISCOUNTS: {grade} must be 0 to 100, not {raw!r}")
        discounts[grade] = percent
    return discounts


def _check_operations(app: Flask) -> None:
    if app.config["LOG_FORMAT"] not in ("plain", "json"):
        raise ConfigurationError(f"{ENV_PREFIX}LOG_FORMAT must be plain or json")
    if app.config["LOG_LEVEL"] not in logging.getLevelNamesMapping():
        raise ConfigurationError(f"{ENV_PREFIX}LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
    if not 1 <= int(app.config["DIGEST_WEEKDAY"]) <= 7:
        raise ConfigurationError(f"{ENV_PREFIX}DIGEST_WEEKDAY must be 1 (Monday) to 7 (Sunday)")
    if not 0 <= int(app.config["DIGEST_HOUR"]) <= 23:
        raise ConfigurationError(f"{ENV_PREFIX}DIGEST_HOUR must be 0 to 23")
    if int(app.config["PROXY_FIX"]) < 0:
        raise ConfigurationError(f"{ENV_PREFIX}PROXY_FIX must be 0 or more")


def _refuse_unsafe(app: Flask) -> None:
    """In production, refuse to start on any development default, naming every setting
    to fix at once (an operator should not find them one failed start at a time)."""
    if app.config["ENV"] != "production":
        return
    problems = list(_production_problems(app.config))
    if problems:
        raise ConfigurationError(
            "Rotaflow refuses to start in production (the default unless ROTAFLOW_ENV is "
            "development or testing):\n" + "\n".join(f"  - {problem}" for problem in problems)
        )


def _production_problems(config: Mapping[str, Any]) -> Iterator[str]:
    secret = config["SECRET_KEY"] or ""
    if not secret:
        yield f"{ENV_PREFIX}SECRET_KEY is not set; {NEW_SECRET_HINT}"
    elif secret == DEV_SECRET_KEY:
        yield f"{ENV_PREFIX}SECRET_KEY is the public development key; {NEW_SECRET_HINT}"
    elif len(_as_bytes(secret)) < MIN_SECRET_KEY_BYTES:
        yield (
            f"{ENV_PREFIX}SECRET_KEY is shorter than {MIN_SECRET_KEY_BYTES} bytes; "
            f"{NEW_SECRET_HINT}"
        )
    if not config["DATABASE_URL"]:
        yield (
            f"{ENV_PREFIX}DATABASE_URL is not set "
            "(e.g. postgresql+psycopg://rotaflow@db.example/rotaflow)"
        )
    if not config["MAIL_SERVER"]:
        yield f"{ENV_PREFIX}MAIL_SERVER is not set (the SMTP server that sends e-mail)"
    if config["MAIL_TRANSPORT"] == "sink":
        yield f"{ENV_PREFIX}MAIL_TRANSPORT is sink, which only files e-mail away; use smtp"
    if not config["BASE_URL"] or config["BASE_URL"] == DEV_BASE_URL:
        yield (
            f"{ENV_PREFIX}BASE_URL is not set (the portal's public address, "
            "e.g. https://returns.example.com, for links in e-mails)"
        )


NEW_SECRET_HINT = (
    f"set a random value of at least {MIN_SECRET_KEY_BYTES} bytes, "
    "e.g. from: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
)


def _as_bytes(secret: str | bytes) -> bytes:
    return secret if isinstance(secret, bytes) else secret.encode()
