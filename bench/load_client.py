"""The HTTP side of ``bench/load.py``: logging in, and driving one scenario with N threads.

Standard library only: each thread holds one ``http.client`` connection, kept alive when
the server allows it (gunicorn's sync workers close it after each response; the next
request then reconnects, as a browser would). A role logs in once; its threads share the
session cookie and CSRF token and never store the cookies later responses set, so a
flashed message cannot grow the cookie request after request.
"""

from __future__ import annotations

import http.client
import itertools
import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
SERVER_TIMING = re.compile(r"app;dur=([\d.]+)")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    form: dict[str, str] | None = None
    htmx: bool = False
    expect: int = 200


@dataclass
class Login:
    """A logged-in role: the cookie and CSRF token its threads send."""

    cookie: str = ""
    csrf: str = ""


@dataclass
class Sample:
    latency_ms: float
    server_ms: float | None
    ok: bool


@dataclass
class Result:
    duration: float
    samples: list[Sample] = field(default_factory=list)
    first_error: str = ""

    @property
    def rate(self) -> float:
        return len(self.samples) / self.duration

    @property
    def errors(self) -> int:
        return sum(not s.ok for s in self.samples)

    def latency(self, q: float) -> float:
        return percentile([s.latency_ms for s in self.samples], q)

    def server(self, q: float) -> float | None:
        times = [s.server_ms for s in self.samples if s.server_ms is not None]
        return percentile(times, q) if times else None


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.http = http.client.HTTPConnection(host, port, timeout=60)

    def send(self, request: Request, login: Login) -> http.client.HTTPResponse:
        headers = {"Cookie": login.cookie} if login.cookie else {}
        body = None
        if request.form is not None:
            body = urlencode(request.form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if request.method == "POST" and login.csrf:
            headers["X-CSRFToken"] = login.csrf
        if request.htmx:
            headers["HX-Request"] = "true"
        for attempt in (1, 2):
            try:
                self.http.request(request.method, request.path, body, headers)
                response = self.http.getresponse()
                response.body = response.read()
                return response
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server closed meanwhile: reconnect once.
                self.http.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def _cookies(response: http.client.HTTPResponse, jar: SimpleCookie) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)


def log_in(host: str, port: int, email: str, password: str, landing: str) -> Login:
    """Log in through the login form, then read the CSRF token a page hands to htmx."""
    connection, jar = Connection(host, port), SimpleCookie()
    page = connection.send(Request("GET", "/login"), Login())
    _cookies(page, jar)
    match = CSRF_INPUT.search(page.body.decode())
    if match is None:
        raise SystemExit("no CSRF token on the login page")
    form = {"csrf_token": match.group(1), "email": email, "password": password}
    login = Login(cookie="; ".join(f"{k}={m.value}" for k, m in jar.items()))
    answer = connection.send(Request("POST", "/login", form), login)
    if answer.status != 303:
        raise SystemExit(f"logging in as {email} failed: HTTP {answer.status}")
    _cookies(answer, jar)
    login.cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
    home = connection.send(Request("GET", landing), login)
    _cookies(home, jar)
    token = CSRF_HEADER.search(home.body.decode())
    if home.status != 200 or token is None:
        raise SystemExit(f"{email}: {landing} answered {home.status} without a CSRF token")
    return Login(cookie="; ".join(f"{k}={m.value}" for k, m in jar.items()), csrf=token.group(1))


def drive(
    host: str,
    port: int,
    login: Login,
    requests: Callable[[int], Request],
    *,
    connections: int,
    duration: float,
    warmup: float,
) -> Result:
    """``connections`` threads send ``requests(i)`` for i = 0, 1, … back to back for
    ``warmup`` + ``duration`` seconds; only requests started after the warm-up count."""
    counter = itertools.count()
    started = time.perf_counter()
    measure_from, stop_at = started + warmup, started + warmup + duration
    result = Result(duration)
    lock = threading.Lock()

    def run() -> None:
        connection, mine = Connection(host, port), []
        while (begin := time.perf_counter()) < stop_at:
            try:
                request = requests(next(counter))
            except StopIteration:
                break
            try:
                response = connection.send(request, login)
            except OSError as error:
                mine.append((begin, Sample((time.perf_counter() - begin) * 1000, None, False)))
                _note(result, lock, f"{request.method} {request.path}: {error}")
                connection = Connection(host, port)
                continue
            elapsed = (time.perf_counter() - begin) * 1000
            timing = SERVER_TIMING.search(response.headers.get("Server-Timing", ""))
            ok = response.status == request.expect
            if not ok:
                _note(result, lock, f"{request.method} {request.path}: HTTP {response.status}")
            mine.append((begin, Sample(elapsed, float(timing.group(1)) if timing else None, ok)))
        with lock:
            result.samples += [sample for begin, sample in mine if begin >= measure_from]

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


def _note(result: Result, lock: threading.Lock, message: str) -> None:
    with lock:
        result.first_error = result.first_error or message
