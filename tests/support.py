"""Settings and helpers every test may use: the test and production configurations, the
PostgreSQL database to test on, and signing a client in."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import make_url


def _per_worker(url: str | None) -> str | None:
    """The suite runs in parallel processes (pytest-xdist); each wipes and rebuilds its
    database, so each gets its own beside the named one: ``test`` becomes ``test_gw0``."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


NAMED_POSTGRES_URL = os.environ.get("ROTAFLOW_TEST_DATABASE_URL")
POSTGRES_URL = _per_worker(NAMED_POSTGRES_URL)


IN_CI = os.environ.get("CI", "").lower() == "true"


TEST_CONFIG = {
    "ENV": "testing",
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    "THROTTLE_ENABLED": False,  # tests of throttling turn it on (and move its clock)
    # Worker passes would otherwise queue digests on whichever day a test runs; the
    # digest's tests turn it on (and set the clock).
    "DIGEST_ENABLED": False,
    "SERVER_NAME": "rotaflow.test",
}


# What production must name; DATABASE_URL stands in where a test binds its own connection.
PRODUCTION_CONFIG = {
    **TEST_CONFIG,
    "ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-for-tests-0123456789",
    "DATABASE_URL": "sqlite://",
    "MAIL_SERVER": "smtp.rotaflow.test",
    "BASE_URL": "https://rotaflow.test",
}


def skip_or_fail(reason: str) -> None:
    """Skip locally; in CI a missing dependency is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def sign_in(client, user_id: int | None):
    """Log ``client`` in as the user ``user_id`` without the cost of hashing (the login
    form has its tests); None leaves it anonymous. Returns the client."""
    if user_id is not None:
        with client.session_transaction() as session:
            session["_user_id"] = str(user_id)
            session["_fresh"] = True
    return client


def rule(mode: str = "blocking", **params) -> dict:
    """A policy rule switched on, in ``mode``, with ``params``."""
    return {"enabled": True, "mode": mode, **params}
