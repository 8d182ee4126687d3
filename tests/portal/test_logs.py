"""ROTAFLOW_LOG_FORMAT=json: one JSON object per line from the app and the worker."""

from __future__ import annotations

import json
import logging
import re
import sys

import pytest

from portal import create_app
from portal.config import ConfigurationError
from portal.logs import JsonFormatter
from portal.notifications.cli import worker
from tests.support import TEST_CONFIG

JSON_CONFIG = {**TEST_CONFIG, "LOG_FORMAT": "json"}
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/rotaflow"


@pytest.fixture(autouse=True)
def _restore_logging():
    """The factory configures the root logger; later tests get back what they had."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def json_lines(text: str) -> list[dict]:
    """Every line parsed: a line that is not one JSON object fails the test."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def request_lines(text: str) -> list[dict]:
    return [line for line in json_lines(text) if line["logger"] == "rotaflow.request"]


def test_a_record_is_one_json_object_with_its_extras():
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.getLogger("rotaflow.test").makeRecord(
        "rotaflow.test",
        logging.WARNING,
        __file__,
        1,
        "parked %d of %s",
        (3, "a\nb"),
        exc_info,
        extra={"rma_number": "RMA-2026-000001"},
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "rotaflow.test"
    assert entry["message"] == "parked 3 of a\nb"
    assert entry["rma_number"] == "RMA-2026-000001"
    assert entry["exception"].startswith("Traceback") and "ValueError: boom" in entry["exception"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["timestamp"])


def test_each_request_is_one_json_line_with_its_id(connection, capsys):
    client = create_app(JSON_CONFIG, db_bind=connection).test_client()
    capsys.readouterr()
    response = client.get("/login", headers={"X-Request-ID": "edge-42"})
    assert response.headers["X-Request-ID"] == "edge-42"
    (line,) = request_lines(capsys.readouterr().err)
    assert line["level"] == "INFO"
    assert line["message"] == "GET /login 200"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/login", 200)
    assert line["request_id"] == "edge-42"
    assert line["remote_addr"] == "127.0.0.1"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_the_query_string_stays_out_of_the_log(connection, capsys):
    client = create_app(JSON_CONFIG, db_bind=connection).test_client()
    capsys.readouterr()
    client.get("/login?next=/rmas/RMA-2026-000123&email=olga@example.com")
    (line,) = request_lines(capsys.readouterr().err)
    assert line["path"] == "/login"
    assert "olga" not in json.dumps(line)


@pytest.mark.parametrize("offered", [None, "", "has spaces", "x" * 200, "<script>"])
def test_a_missing_or_odd_request_id_is_replaced(connection, offered):
    client = create_app(JSON_CONFIG, db_bind=connection).test_client()
    headers = {"X-Request-ID": offered} if offered is not None else {}
    response = client.get("/login", headers=headers)
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_records_logged_during_a_request_carry_its_id(capsys):
    client = create_app({**JSON_CONFIG, "DATABASE_URL": UNREACHABLE}).test_client()
    capsys.readouterr()
    response = client.get("/healthz")
    assert response.status_code == 503
    lines = json_lines(capsys.readouterr().err)
    warning = next(line for line in lines if line["logger"] == "portal.health.views")
    assert warning["level"] == "WARNING"
    assert "database did not answer" in warning["message"]
    assert warning["request_id"] == response.headers["X-Request-ID"]
    (line,) = [line for line in lines if line["logger"] == "rotaflow.request"]
    assert line["status"] == 503 and line["level"] == "INFO"


def test_passing_health_checks_stay_out_of_the_log(connection, capsys):
    client = create_app(JSON_CONFIG, db_bind=connection).test_client()
    capsys.readouterr()
    assert client.get("/healthz").status_code == 200
    assert request_lines(capsys.readouterr().err) == []


def test_the_worker_logs_json_lines(connection, tmp_path):
    app = create_app(JSON_CONFIG, db_bind=connection)
    app.instance_path = str(tmp_path)
    result = app.test_cli_runner().invoke(worker, ["--once"])
    assert result.exit_code == 0, result.output
    (line,) = json_lines(result.output)
    assert line["logger"] == "rotaflow.worker"
    assert line["message"] == "Escalated 0. Sent 0, retrying 0, parked 0 (sink)."
    assert (line["escalated"], line["sent"], line["retrying"], line["parked"]) == ([], 0, 0, 0)


def test_plain_text_is_the_default(connection, tmp_path):
    app = create_app(TEST_CONFIG, db_bind=connection)
    assert app.config["LOG_FORMAT"] == "plain"
    app.instance_path = str(tmp_path)
    output = app.test_cli_runner().invoke(worker, ["--once"]).output
    assert re.fullmatch(r"\S+ \S+ INFO rotaflow\.worker Escalated 0\. Sent 0.*\n", output)


@pytest.mark.parametrize(
    ("variable", "value"), [("ROTAFLOW_LOG_FORMAT", "xml"), ("ROTAFLOW_LOG_LEVEL", "LOUD")]
)
def test_an_unknown_format_or_level_stops_start_up(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=variable):
        create_app(TEST_CONFIG)
