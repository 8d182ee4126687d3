"""Hostile input for every route of the URL map, and what must hold after each request.

Everything is derived from the app: the rules and their converters, the query arguments
and form fields each page offers (its HTML forms, and the ``request.args``/``request.form``
names its view reads), so that a new route is fuzzed without an edit here. The only
per-route knowledge is how to fill a URL with valid ids (``routes.fill``).

The rule every request must keep:
  * no 5xx and no exception;
  * a safe method (GET) changes nothing, and neither does a refusal (status >= 400);
  * what an accepted unsafe request wrote holds nothing hostile: no control characters,
    strings within their column's length, integers within their column's range, finite
    numbers. (A hostile-looking value can be legitimate — "NaN" is a fine comment — so
    acceptance itself is not a failure; storing what the column can't mean is.)
Each request runs inside a savepoint that is rolled back afterwards, so every request
starts from the same world and its changes are seen alone.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import logging
import re
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from flask import Flask
from hypothesis import strategies as st
from sqlalchemy import BigInteger, Connection, Integer, SmallInteger, String, select
from werkzeug.routing import Rule
from werkzeug.routing.converters import (
    AnyConverter,
    BaseConverter,
    NumberConverter,
    PathConverter,
    UnicodeConverter,
    UUIDConverter,
)

import models
from portal.inputs.converters import DocumentNumberConverter, IdConverter

PROJECT = Path(__file__).resolve().parents[2]
SAFE = ("GET",)

LONG = "x" * 100_000
DEEP_JSON = "[" * 10_000 + "]" * 10_000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Values sent as text: each is refused by some field and must crash none.
HOSTILE = (
    "",
    "\x00",
    "a\x00b",
    "\x01\x07\x1b[31m\x7f",
    "\r\n\t",
    "²",
    "١٢",
    "٣",
    "１２",
    str(2**31),
    str(2**31 - 1),
    str(2**63),
    str(10**100),
    "-1",
    "0",
    "-0",
    "1.5",
    "sNaN",
    "NaN",
    "-Infinity",
    "Infinity",
    "1e-999999999",
    "1e999999999",
    "0E-1000000",
    LONG,
    "²" * 300,
    DEEP_JSON,
    '{"a": ' * 2_000 + "1" + "}" * 2_000,
    "2026-02-30",
    "9999-12-31T23:59:59",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "=cmd|' /C calc'!A0",
    "\u202e\ufeff",
    "\ufffd",
)
# Byte sequences that no text decodes to, sent percent-encoded: invalid UTF-8, a lone
# surrogate (CESU-8) and an over-long encoding of "/".
RAW_ENCODED = ("%FF%FE", "%ED%A0%80", "%C0%AF", "a%00b")

# Hostile path values per converter; a converter not listed (nor a subclass of one
# listed) fails test_every_converter_is_known, so that a new one gets its values here.
INTEGER_PATH = (
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    "-1",
    "²",
    "١٢",
    "1" * 5_000,
)
TEXT_PATH = ("%00", "a%01%1Bb", "²", "١٢", "x" * 5_000, "%FF%FE", "%ED%A0%80")
PATH_VALUES: dict[type[BaseConverter], tuple[str, ...]] = {
    NumberConverter: INTEGER_PATH,
    UUIDConverter: ("%00", "0" * 5_000, "00000000-0000-0000-0000-00000000000g"),
    AnyConverter: ("%00", "lines%00", "x" * 5_000),
    PathConverter: (*TEXT_PATH, "../../etc/passwd", "%2e%2e/%2e%2e"),
    UnicodeConverter: TEXT_PATH,
    # The app's own: ids and positions (digits within the column), document numbers.
    IdConverter: (*INTEGER_PATH, "0", "+1", "0x1f", str(2**31 - 1)),
    DocumentNumberConverter: (*TEXT_PATH, "-RMA-1", "R" * 21, "RMA 1", "RMA-1%2F2"),
}

# Values every query argument takes in turn (each request sends one to every argument).
QUERY_VALUES = (
    "\x00",
    "²",
    str(2**31),
    str(2**63),
    "-1",
    "sNaN",
    "NaN",
    "1e-999999999",
    "1e999999999",
    "2026-02-30",
    LONG,
)

# Query arguments tried on every GET route, besides those its pages and view name.
COMMON_ARGS = (
    "page",
    "per_page",
    "q",
    "status",
    "state",
    "account",
    "from",
    "to",
    "kind",
    "sort",
    "order",
    "next",
    "id",
    "number",
    "version",
    # names url_for keeps for itself, harmful when a view carries the query into a URL
    "endpoint",
    "_external",
    "_scheme",
    "_anchor",
    "_method",
)

# Files sent in every file field (and as a stray upload where there is none).
FILES = (
    ("deep.json", DEEP_JSON.encode()),
    ("bomb.png", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR\x7f\xff\xff\xff\x7f\xff\xff\xff"),
    ("nul.csv", b"number,name\n\x00,\x00\n"),
    ("latin1.csv", "número\nÿ\n".encode("latin-1")),
    ("../../../escape.txt", b"\xff\xfe\x00"),
    ("", b""),
)


def hostile_text() -> st.SearchStrategy[str]:
    """Mostly the list above, otherwise generated text, numbers and decimals."""
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.text(max_size=40),
        st.integers().map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
    )


def converter_values(converter: BaseConverter) -> tuple[str, ...] | None:
    for kind in type(converter).__mro__:
        if kind in PATH_VALUES:
            return PATH_VALUES[kind]
    return None


# --- discovering what each route reads ------------------------------------------------


@dataclass
class Inputs:
    """What one endpoint reads: field names with a valid default, and file fields."""

    fields: dict[str, str] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)

    def add(self, name: str, value: str) -> None:
        if name and name != "csrf_token":
            self.fields.setdefault(name, value)


@dataclass
class _Form:
    targets: list[tuple[str, str]]
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: set[str] = field(default_factory=set)


class FormParser(HTMLParser):
    """Each form (or HTMX element) of a page: where it sends, and the fields it sends."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[_Form] = []
        self._open: _Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def _targets(self, attrs: dict) -> list[tuple[str, str]]:
        found = []
        for verb in ("post", "put", "patch", "delete", "get"):
            if attrs.get(f"hx-{verb}") is not None:
                found.append((verb.upper(), attrs[f"hx-{verb}"] or self.page_url))
        return found

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v or "") for k, v in attrs_list}
        if tag == "form":
            method = attrs.get("method", "get").upper()
            self._open = _Form([(method, attrs.get("action") or self.page_url)])
            self._open.targets += self._targets(attrs)
            self.forms.append(self._open)
            return
        targets = self._targets(attrs)
        if self._open is not None:
            self._open.targets += targets
            form = self._open
        elif targets:
            form = _Form(targets)
            self.forms.append(form)
            vals = attrs.get("hx-vals", "")
            if vals.startswith("{"):
                with contextlib.suppress(ValueError):
                    form.fields += [(k, str(v)) for k, v in json.loads(vals).items()]
        else:
            return
        name = attrs.get("name", "")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind == "file":
                form.files.add(name)
            elif kind not in ("checkbox", "radio") or "checked" in attrs:
                form.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
            else:
                form.fields.append((name, attrs.get("value", "on")))
        elif tag == "button" and name:
            form.fields.append((name, attrs.get("value", "")))
        elif tag == "select":
            self._select = name
            form.fields.append((name, ""))
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if value:
                form.fields.append((self._select, value))
        elif tag == "textarea":
            self._textarea = name
            form.fields.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _view_reads(view) -> tuple[set[str], set[str]]:
    """Names the view's own source reads from ``request.args`` and ``request.form``."""
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        return set(), set()
    pattern = r"request\.{}\.get(?:list)?\(\s*[\"']([^\"']+)|request\.{}\[[\"']([^\"']+)"
    names = {}
    for where in ("args", "form", "files"):
        names[where] = {a or b for a, b in re.findall(pattern.format(where, where), source)}
    return names["args"], names["form"] | names["files"]


class Discovery:
    """Query arguments per GET endpoint, fields per unsafe endpoint, from the pages."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.adapter = app.url_map.bind(app.config.get("SERVER_NAME") or "localhost")
        self.query: dict[str, Inputs] = {}
        self.forms: dict[str, Inputs] = {}

    def endpoint_for(self, url: str, method: str) -> str | None:
        path = urlsplit(url).path
        try:
            endpoint, _args = self.adapter.match(path, method=method)
        except Exception:
            return None
        return endpoint

    def read_page(self, page_url: str, html: str) -> None:
        parser = FormParser(page_url)
        try:
            parser.feed(html)
        except Exception:
            return
        for form in parser.forms:
            for method, url in form.targets:
                endpoint = self.endpoint_for(url, method)
                if endpoint is None:
                    continue
                table = self.query if method == "GET" else self.forms
                inputs = table.setdefault(f"{endpoint} {method}", Inputs())
                for name, value in form.fields:
                    inputs.add(name, value)
                inputs.files |= {name for name in form.files if name}

    def query_args(self, endpoint: str) -> Inputs:
        inputs = Inputs(dict(self.query.get(f"{endpoint} GET", Inputs()).fields))
        args, _form = _view_reads(self.app.view_functions[endpoint])
        for name in (*COMMON_ARGS, *sorted(args)):
            inputs.add(name, "")
        return inputs

    def form_fields(self, endpoint: str, method: str) -> Inputs:
        found = self.forms.get(f"{endpoint} {method}", Inputs())
        inputs = Inputs(dict(found.fields), set(found.files))
        _args, form = _view_reads(self.app.view_functions[endpoint])
        for name in sorted(form):
            inputs.add(name, "")
        return inputs


# --- the database, before and after ---------------------------------------------------


def snapshot(connection: Connection) -> dict[str, set[tuple]]:
    """Every row of every table, as sets of tuples."""
    return {
        table.name: {tuple(map(_hashable, row)) for row in connection.execute(select(table))}
        for table in models.Base.metadata.sorted_tables
    }


def _hashable(value):
    if isinstance(value, dict | list):  # JSON columns
        return json.dumps(value, sort_keys=True, default=str)
    return value


def rows_written(connection: Connection) -> int:
    """A counter of rows written on this connection so far, rolled-back writes included:
    while it stands still nothing can have changed, and the full snapshot is skipped."""
    if connection.dialect.name == "sqlite":
        return connection.exec_driver_sql("SELECT total_changes()").scalar_one()
    return connection.exec_driver_sql(
        "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
    ).scalar_one()


def changed_tables(before: dict, after: dict) -> dict[str, tuple[set, set]]:
    """table → (rows gone, rows new) for the tables that differ."""
    return {
        name: (before[name] - after[name], after[name] - before[name])
        for name in before
        if before[name] != after[name]
    }


def _int_bounds(column) -> tuple[int, int] | None:
    if isinstance(column.type, BigInteger):
        return -(2**63), 2**63 - 1
    if isinstance(column.type, SmallInteger):
        return -(2**15), 2**15 - 1
    if isinstance(column.type, Integer):
        return -(2**31), 2**31 - 1
    return None


def hostile_stored(changes: dict[str, tuple[set, set]]) -> list[str]:
    """What the new rows hold that no column should: the stored-value invariants."""
    problems = []
    for name, (_gone, new) in changes.items():
        columns = list(models.Base.metadata.tables[name].columns)
        for row in new:
            for column, value in zip(columns, row, strict=True):
                problem = _bad_value(column, value)
                if problem:
                    problems.append(f"{name}.{column.name} {problem}: {_short(value)}")
    return problems


def _bad_value(column, value) -> str | None:
    if isinstance(value, str):
        if CONTROL.search(value):
            return "holds a control character"
        length = getattr(column.type, "length", None)
        if isinstance(column.type, String) and length and len(value) > length:
            return f"is longer than {length}"
    if isinstance(value, int) and not isinstance(value, bool):
        bounds = _int_bounds(column)
        if bounds and not bounds[0] <= value <= bounds[1]:
            return "is outside the column's range"
    if isinstance(value, Decimal) and not value.is_finite():
        return "is not a finite number"
    if (isinstance(value, float) and value != value) or value in (float("inf"), float("-inf")):
        return "is not a finite number"
    return None


# --- findings -------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    endpoint: str
    method: str
    role: str
    where: str  # path, query, form, body
    sent: str
    what: str  # "500", "ValueError: ...", "changed the database: ..."
    frame: str = ""

    @property
    def cause(self) -> tuple:
        """Findings with one cause: same endpoint, same failure at the same frame."""
        kind = self.what.split(":", 1)[0]
        return (self.endpoint, self.method, kind, self.frame)

    def __str__(self) -> str:
        at = f" at {self.frame}" if self.frame else ""
        return (
            f"{self.endpoint} {self.method} as {self.role}, {self.where} {self.sent}: "
            f"{self.what}{at}"
        )


def innermost_project_frame(exc: BaseException) -> str:
    """file:line of the deepest frame in the project's own code (not tests, not libraries)."""
    found = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.is_relative_to(PROJECT) and not path.is_relative_to(PROJECT / ".venv"):
            relative = path.relative_to(PROJECT)
            if relative.parts[0] != "tests":
                found = f"{relative}:{frame.lineno}"
    return found


def _one_line(exc: BaseException) -> str:
    """The exception's type and first line (the driver's own message for a DB error)."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).splitlines() or [""]
    return f"{type(exc).__name__}: {lines[0][:150]}"


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}…({len(text)} chars)"


def describe(sent) -> str:
    return _short(sent, 120)


def distinct(findings: list[Finding]) -> Iterator[tuple[Finding, int]]:
    """One example per cause, with how many findings share it."""
    seen: dict[tuple, list[Finding]] = {}
    for finding in findings:
        seen.setdefault(finding.cause, []).append(finding)
    for group in seen.values():
        yield group[0], len(group)


def query_string(pairs: list[tuple[str, str]], raw: tuple[str, ...] = ()) -> str:
    """Encode pairs, and append raw (already percent-encoded) ones untouched."""
    encoded = urlencode(pairs, quote_via=quote, errors="surrogatepass")
    return "&".join(part for part in (encoded, *raw) if part)


# --- sending --------------------------------------------------------------------------

# Tables a refused or read-only request may still write, each with its reason; keep it
# tiny. No refusal and no page view writes a row; an API request that succeeded notes
# when its token was last used (at most once a minute, see portal.api.operations).
MAY_CHANGE_ANYWAY: dict[str, str] = {
    # An API token's last use is written by the request that used it, a GET included.
    "api_tokens": "last_used_at",
}


class _LoggedErrors(logging.Handler):
    """The exceptions logged during a request: where a handled 500 came from."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


class Fuzzer:
    """Sends requests as the world's identities and records every broken rule."""

    def __init__(self, app: Flask, world, connection: Connection) -> None:
        self.app = app
        self.world = world
        self.connection = connection
        self.discovery = Discovery(app)
        self.findings: list[Finding] = []
        self.sent = 0
        self.sent_by: Counter[str] = Counter()
        self.baseline = self._snapshot()
        self._clients: dict[str, object] = {}

    def _snapshot(self) -> dict[str, set[tuple]]:
        rows = snapshot(self.connection)
        for name in MAY_CHANGE_ANYWAY:
            rows.pop(name, None)
        return rows

    def client(self, role: str, endpoint: str):
        """The identity's client; a throwaway one where signing in or out is the point."""
        from tests.support import sign_in

        user = self.world.users[role]
        if endpoint.startswith("auth."):
            return sign_in(self.app.test_client(), user and user.id)
        if endpoint.startswith("api."):
            return self._api_client(role)
        if role not in self._clients:
            self._clients[role] = sign_in(self.app.test_client(), user and user.id)
        return self._clients[role]

    def _api_client(self, role: str):
        """A client sending the identity's API token (the API reads no cookie)."""
        key = f"api:{role}"
        if key not in self._clients:
            client = self.app.test_client()
            if role in self.world.api_tokens:
                secret = self.world.api_tokens[role]
                client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
            self._clients[key] = client
        return self._clients[key]

    def report(self) -> str:
        causes = "\n".join(f"[{count}×] {finding}" for finding, count in distinct(self.findings))
        return (
            f"{len(self.findings)} of {self.sent} requests ({dict(self.sent_by)}) broke the "
            f"rule, one line per endpoint and cause:\n{causes}"
        )

    def send(self, role, endpoint, method, where, sent, **request):
        """One request in a savepoint that is rolled back; returns the response or None."""
        from workflow_designer.runtime.firing import MACHINES

        self.sent += 1
        self.sent_by[where.split(" ")[0]] += 1
        found = []
        # A savepoint of its own, unknown to SQLAlchemy: the app's sessions nest theirs
        # inside it, and whatever they leave behind is undone by rolling back to it.
        self.connection.exec_driver_sql("SAVEPOINT fuzz_request")
        written = rows_written(self.connection)
        client = self.client(role, endpoint)
        response = None
        logged = _LoggedErrors()
        logging.getLogger().addHandler(logged)
        try:
            response = client.open(method=method, **request)
            response.get_data()  # a streamed body runs its queries now
            response.close()
        except Exception as exc:
            found.append((_one_line(exc), innermost_project_frame(exc)))
        else:
            if response.status_code >= 500:
                status = f"answered {response.status_code}"
                found += [
                    (f"{status}, {_one_line(e)}", innermost_project_frame(e)) for e in logged.errors
                ]
                found += [] if logged.errors else [(status, "")]
        finally:
            logging.getLogger().removeHandler(logged)
        try:
            unwritten = rows_written(self.connection) == written
            changes = {} if unwritten else changed_tables(self.baseline, self._snapshot())
        except Exception as exc:
            found.append((f"left the connection unusable: {type(exc).__name__}", ""))
            changes = {}
        if changes:
            refused = response is None or response.status_code >= 400
            if method in SAFE or refused:
                status = "no answer" if response is None else response.status_code
                found.append((f"changed the database ({status}): {sorted(changes)}", ""))
            else:
                found += [(f"stored: {p}", "") for p in hostile_stored(changes)]
        self.connection.exec_driver_sql("ROLLBACK TO SAVEPOINT fuzz_request")
        self.connection.exec_driver_sql("RELEASE SAVEPOINT fuzz_request")
        MACHINES.clear()  # compiled workflows of rolled-back versions must not linger
        for what, frame in found:
            self.findings.append(
                Finding(endpoint, method, role, where, describe(sent), what, frame)
            )
        return response


# --- what is sent to each route -------------------------------------------------------

PLACEHOLDER = re.compile(r"<(?:[^<>]*:)?(\w+)>")


def path_variants(
    adapter, rule: Rule, valid_url: str, every_value: bool = True
) -> Iterator[tuple[str, str]]:
    """(argument, URL) with one argument hostile and the others valid, for every argument;
    with ``every_value`` false, only each converter's first hostile value."""
    _endpoint, valid = adapter.match(valid_url, method=next(iter(rule.methods)))
    valid_text = {name: rule._converters[name].to_url(value) for name, value in valid.items()}
    for target, converter in rule._converters.items():
        values = converter_values(converter) or ()
        for value in values if every_value else values[:1]:
            url = PLACEHOLDER.sub(
                lambda match, target=target, value=value: (
                    value if match.group(1) == target else valid_text[match.group(1)]
                ),
                rule.rule,
            )
            yield target, url


def rotations(names: list[str], values: tuple[str, ...]) -> Iterator[list[tuple[str, str]]]:
    """len(values) assignments in which every name takes every value once."""
    for shift in range(len(values)):
        yield [(name, values[(i + shift) % len(values)]) for i, name in enumerate(names)]


def raw_body(names: list[str], raw: str) -> str:
    return "&".join(f"{quote(name)}={raw}" for name in names)


def form_request(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> dict:
    """Keyword arguments for ``client.open``: urlencoded, or multipart when files go too."""
    if not files:
        body = query_string(list(fields.items()))
        return {"data": body, "content_type": "application/x-www-form-urlencoded"}
    import io

    data: dict = dict(fields)
    for name, (filename, content) in files.items():
        data[name] = (io.BytesIO(content), filename)
    return {"data": data, "content_type": "multipart/form-data"}
