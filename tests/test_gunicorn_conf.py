"""deploy/gunicorn.conf.py starts the app, or refuses to without production settings; its
logs are JSON lines or a plain access log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.error import URLError

import pytest

from portal import ROOT
from tests.portal.notifications.helpers import free_port
from tests.processes import stop_process

CONF = os.path.join(ROOT, "deploy", "gunicorn.conf.py")


class Gunicorn:
    def __init__(self, folder: Path, log_format: str) -> None:
        self.port = free_port()
        self.out, self.err = folder / "stdout.log", folder / "stderr.log"
        env = {
            **os.environ,
            "ROTAFLOW_ENV": "production",
            "ROTAFLOW_SECRET_KEY": "a-long-random-production-secret-for-this-test",
            "ROTAFLOW_DATABASE_URL": f"sqlite:///{folder}/rotaflow.sqlite3",
            "ROTAFLOW_MAIL_SERVER": "smtp.rotaflow.test",
            "ROTAFLOW_BASE_URL": "https://rotaflow.test",
            "ROTAFLOW_INSTANCE_PATH": str(folder),
            "ROTAFLOW_LOG_FORMAT": log_format,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "1",
        }
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", CONF],
                cwd=folder,  # not the repository: the settings come from -c alone
                env=env,
                stdout=out,
                stderr=err,
            )

    def get(self, path: str, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, self.err.read_text()
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5)
            except URLError:
                assert time.monotonic() < deadline, "gunicorn never answered"
                time.sleep(0.1)

    def stop(self) -> int:
        return stop_process(self.process)


@pytest.fixture
def gunicorn(tmp_path):
    started: list[Gunicorn] = []

    def start(log_format: str) -> Gunicorn:
        started.append(Gunicorn(tmp_path, log_format))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def test_json_logs_from_gunicorn_and_the_app(gunicorn):
    server = gunicorn("json")
    with server.get("/healthz") as health:
        assert (health.status, json.load(health)) == (200, {"status": "ok"})
    with server.get("/login") as login:
        request_id = login.headers["X-Request-ID"]
    assert server.stop() == 0

    lines = [json.loads(line) for line in server.err.read_text().splitlines()]
    assert {"gunicorn.error", "rotaflow.request"} <= {line["logger"] for line in lines}
    assert any(line["message"].startswith("Listening at") for line in lines)
    requests = [line for line in lines if line["logger"] == "rotaflow.request"]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [("GET", "/login", 200)]
    assert requests[0]["request_id"] == request_id
    assert server.out.read_text() == ""  # no second, plain access log


def test_a_plain_access_log_carries_the_request_id(gunicorn):
    server = gunicorn("plain")
    with server.get("/login") as login:
        request_id = login.headers["X-Request-ID"]
    assert server.stop() == 0
    (line,) = [line for line in server.out.read_text().splitlines() if "/login" in line]
    assert f'127.0.0.1 {request_id} "GET /login HTTP/1.1" 200 ' in line


def test_without_settings_gunicorn_refuses_to_start_and_says_why(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith("ROTAFLOW_")}
    started = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", CONF],
        cwd=tmp_path,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{free_port()}", "WEB_CONCURRENCY": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 1
    assert "Error: Rotaflow refuses to start in production" in started.stderr
    for name in ("SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "BASE_URL"):
        assert f"ROTAFLOW_{name} is not set" in started.stderr
    assert "Traceback" not in started.stderr
    assert "Booting worker" not in started.stderr  # refused before any worker started
