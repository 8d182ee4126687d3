"""ROTAFLOW_PROXY_FIX: the client's address and scheme from the trusted proxies only."""

from __future__ import annotations

import pytest
from flask import request

from portal import create_app
from tests.support import TEST_CONFIG


def seen_by_the_app(proxies: int, headers: dict[str, str]) -> str:
    app = create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://", "PROXY_FIX": proxies})
    app.add_url_rule("/_seen", "seen", lambda: f"{request.remote_addr} {request.scheme}")
    return app.test_client().get("/_seen", headers=headers).get_data(as_text=True)


FORWARDED = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}


def test_without_it_forwarded_headers_are_ignored():
    assert seen_by_the_app(0, FORWARDED) == "127.0.0.1 http"


def test_behind_one_proxy_the_client_address_and_scheme_are_used():
    assert seen_by_the_app(1, FORWARDED) == "198.51.100.7 https"


def test_a_client_cannot_forge_its_address_past_the_proxy():
    # The client sent "X-Forwarded-For: 203.0.113.66"; the proxy appended what it saw.
    forged = {"X-Forwarded-For": "203.0.113.66, 198.51.100.7", "X-Forwarded-Proto": "https"}
    assert seen_by_the_app(1, forged) == "198.51.100.7 https"


def test_a_negative_count_stops_start_up(monkeypatch):
    from portal.config import ConfigurationError

    monkeypatch.setenv("ROTAFLOW_PROXY_FIX", "-1")
    with pytest.raises(ConfigurationError, match="ROTAFLOW_PROXY_FIX"):
        create_app(TEST_CONFIG)
