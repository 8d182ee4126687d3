"""A fair ceiling per page: the SQL a page sends, served by a bare app.

``capture`` asks the app, in this process and with a benchmark login's cookie, for one
warm request of each scenario and records the statements it sends to the database, with
their parameters. ``create_app`` (served by gunicorn like the app, with the same engine
settings) answers ``/pages/<n>`` by sending scenario n's statements in one transaction,
which it rolls back so that a write can be replayed, and rendering every row through a
minimal Jinja template: no login, no layout, no forms. What a page costs beyond its own
ceiling is what this code adds on top of the queries it must make.

Served as ``gunicorn 'bench.page_ceiling:create_app()'`` with ``ROTAFLOW_BENCH_CAPTURES``
naming the file ``capture`` wrote.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask, abort, render_template
from sqlalchemy import event

from bench.load_client import Login, Request
from portal.db import get_database, make_engine

CAPTURES = "ROTAFLOW_BENCH_CAPTURES"
TEMPLATE = """<!doctype html>
<title>Page {{ index }}</title>
{% for rows in results %}
<table>
  {% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}
</table>
{% endfor %}
"""


@dataclass(frozen=True)
class Statement:
    sql: str
    parameters: Any  # as the driver received them: a dict, a tuple, or a list for many
    many: bool


@contextmanager
def recording(engine: Any) -> Iterator[list[Statement]]:
    """The statements ``engine`` sends while the block runs."""
    statements: list[Statement] = []

    def record(_conn, _cursor, sql, parameters, _context, executemany) -> None:
        statements.append(Statement(sql, parameters, executemany))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def capture(
    app: Flask,
    base_url: str,
    pages: list[tuple[Login, Callable[[int], Request]]],
) -> list[list[Statement]]:
    """Each page's statements from one warm request (its second), in order."""
    engine = get_database(app).engine
    client = app.test_client(use_cookies=False)
    # The load client sends no User-Agent; the session's login is bound to it.
    client.environ_base.pop("HTTP_USER_AGENT", None)
    captured = []
    for login, requests in pages:
        _send(client, base_url, login, requests(0))
        with recording(engine) as statements:
            _send(client, base_url, login, requests(1))
        captured.append(statements)
    return captured


def _send(client: Any, base_url: str, login: Login, request: Request) -> None:
    headers = {"Cookie": login.cookie}
    if login.csrf:
        headers["X-CSRFToken"] = login.csrf
    if request.htmx:
        headers["HX-Request"] = "true"
    response = client.open(
        request.path,
        method=request.method,
        data=request.form,
        headers=headers,
        base_url=base_url,
    )
    if response.status_code != request.expect:
        raise SystemExit(f"capturing {request.method} {request.path}: HTTP {response.status_code}")


def save(path: str, captured: list[list[Statement]]) -> None:
    with open(path, "wb") as file:
        pickle.dump(captured, file)


def create_app() -> Flask:
    app = Flask(__name__)
    engine = make_engine(os.environ["ROTAFLOW_DATABASE_URL"])
    # Written by this benchmark's own run a moment before; never a file from elsewhere.
    with open(os.environ[CAPTURES], "rb") as file:
        captured: list[list[Statement]] = pickle.load(file)
    template = app.jinja_env.from_string(TEMPLATE)

    @app.route("/pages/<int:index>")
    def page(index: int):
        if index >= len(captured):
            abort(404)
        results = []
        with engine.connect() as connection:
            for statement in captured[index]:
                result = connection.exec_driver_sql(statement.sql, statement.parameters)
                results.append(result.fetchall() if result.returns_rows else [])
            connection.rollback()
        return render_template(template, index=index, results=results)

    return app
