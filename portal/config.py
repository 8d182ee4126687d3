"""Configuration: defaults, then ``ROTAFLOW_*`` environment variables, then explicit overrides."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

ENV_PREFIX = "ROTAFLOW_"
DEV_SECRET_KEY = "dev-only-insecure-secret-key"

DEFAULTS: dict[str, Any] = {
    "ENV": "development",  # development | production | testing
    "SECRET_KEY": DEV_SECRET_KEY,
    "DATABASE_URL": None,  # None: SQLite file in the instance folder
    "DATABASE_ECHO": False,
    "MAIL_SERVER": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": False,
    "MAIL_FROM": "Rotaflow <returns@rotaflow.invalid>",
    "PAGE_SIZE": 25,
    "IMPORT_MAX_BYTES": 50 * 1024 * 1024,
    # Designer pages stay open for a working day; one-hour tokens would expire under them.
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
    # Login throttling (Flask-Limiter): per client address, and failed attempts per e-mail.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "LOGIN_LIMIT_PER_ADDRESS": "30 per minute",
    "LOGIN_FAILURES_PER_EMAIL": "10 per 15 minutes",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
}


class ConfigurationError(RuntimeError):
    pass


def load_config(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    app.config.update(DEFAULTS)
    app.config.update(_from_environment(os.environ))
    if overrides:
        app.config.update(overrides)
    _derive(app)
    _refuse_unsafe(app)


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


def _derive(app: Flask) -> None:
    if not app.config["DATABASE_URL"]:
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "rotaflow.sqlite3")
        app.config["DATABASE_URL"] = f"sqlite:///{path}"
    production = app.config["ENV"] == "production"
    app.config["SESSION_COOKIE_SECURE"] = production
    app.config["REMEMBER_COOKIE_SECURE"] = production
    app.config["TESTING"] = app.config["ENV"] == "testing" or app.config.get("TESTING", False)


def _refuse_unsafe(app: Flask) -> None:
    if app.config["ENV"] == "production" and app.config["SECRET_KEY"] in ("", DEV_SECRET_KEY):
        raise ConfigurationError(
            "ROTAFLOW_SECRET_KEY must be set to a long random value in production"
        )
