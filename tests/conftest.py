"""Test fixtures: every test runs on SQLite, and on PostgreSQL when it is configured.

``ROTAFLOW_TEST_DATABASE_URL`` names a PostgreSQL database the suite may wipe. Its schema
is rebuilt by running the migrations; each test then runs inside one connection-level
transaction that is rolled back, the app's sessions joining it through savepoints.
With ``CI=true`` a database or browser that is missing fails the run instead of skipping.

The app starts in production unless told otherwise, so the suite says ``testing`` for
every app it builds, and every process it starts, that names no environment itself.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

import models
from portal import create_app
from portal import migrations as schema
from portal.db import make_engine
from tests.support import NAMED_POSTGRES_URL, POSTGRES_URL, TEST_CONFIG, sign_in, skip_or_fail

os.environ["ROTAFLOW_ENV"] = "testing"


# The longest tests start first, spread over the parallel workers, instead of leaving one
# worker running a ten-minute test at the end while the others wait.
SLOWEST_FIRST = ("tests/security/test_fuzz.py", "tests/browser/test_every_page.py")


def pytest_collection_modifyitems(items) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(SLOWEST_FIRST))


def pytest_configure(config) -> None:
    """A parallel worker's PostgreSQL database is made beside the named one on first use."""
    if POSTGRES_URL and POSTGRES_URL != NAMED_POSTGRES_URL:
        _create_database(NAMED_POSTGRES_URL, make_url(POSTGRES_URL).database)


def _create_database(server_url: str, name: str) -> None:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def _share_url_builders() -> None:
    """Every test builds its own app, and most of that time (0.1 s an app, some 14 minutes
    of a run) went on Werkzeug compiling each URL rule's builder from a syntax tree. The
    builder depends only on the rule's text, parsed parts and defaults (the rule itself is
    passed in when called), so apps built from the same rules can share them."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    built: dict[tuple, Any] = {}

    def shared(rule: Rule, append_unknown: bool = True) -> Any:
        defaults = repr(sorted((rule.defaults or {}).items()))
        key = (rule.rule, rule.subdomain, rule.host, rule.merge_slashes, defaults)
        key += (tuple(rule._trace), append_unknown)
        if key not in built:
            built[key] = compile_builder(rule, append_unknown)
        return built[key]

    Rule._compile_builder = shared  # type: ignore[method-assign]


_share_url_builders()


def build_sqlite_engine() -> Engine:
    engine = make_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    with engine.connect() as connection:
        schema.upgrade("sqlite://", connection=connection)
        connection.commit()
    return engine


def build_postgres_engine(url: str) -> Engine:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    schema.upgrade(url)
    return engine


@pytest.fixture(scope="session")
def engines():
    """Engines built on first use, once per test session, keyed by backend."""
    built: dict[str, Engine] = {}
    yield built
    for engine in built.values():
        engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request) -> str:
    if request.param == "postgresql" and not POSTGRES_URL:
        skip_or_fail("ROTAFLOW_TEST_DATABASE_URL is not set")
    return request.param


@pytest.fixture(scope="session")
def engine(backend: str, engines) -> Engine:
    if backend not in engines:
        is_postgres = backend == "postgresql"
        engines[backend] = (
            build_postgres_engine(POSTGRES_URL) if is_postgres else build_sqlite_engine()
        )
    return engines[backend]


@pytest.fixture(scope="session")
def postgres_engine(engines) -> Engine:
    """The PostgreSQL engine alone, for tests only PostgreSQL can run (real concurrency)."""
    if not POSTGRES_URL:
        skip_or_fail("ROTAFLOW_TEST_DATABASE_URL is not set")
    if "postgresql" not in engines:
        engines["postgresql"] = build_postgres_engine(POSTGRES_URL)
    return engines["postgresql"]


@pytest.fixture
def committed_sessions(postgres_engine):
    """A session factory whose commits are real (visible to other connections).

    Every table is emptied afterwards; TRUNCATE also passes the append-only triggers,
    which guard rows against UPDATE and DELETE only.
    """
    factory = sessionmaker(bind=postgres_engine, expire_on_commit=False)
    yield factory
    tables = ", ".join(t.name for t in models.Base.metadata.sorted_tables)
    with postgres_engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def connection(engine: Engine):
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def db_session(connection) -> Session:
    """A session inside the test's transaction; ``commit()`` only releases a savepoint."""
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield session
    session.close()


@pytest.fixture
def app(connection):
    # No app context is held open here: each request gets its own, hence its own session.
    return create_app(TEST_CONFIG, db_bind=connection)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(client):
    """Log ``client`` in as a user (see ``sign_in``)."""
    return lambda user: sign_in(client, user.id)


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(connection):
    """Counts SQL statements sent on the test connection while the fixture is active."""
    counter = QueryCounter()

    def before_execute(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            counter.statements.append(statement)

    event.listen(connection, "before_cursor_execute", before_execute)
    yield counter
    event.remove(connection, "before_cursor_execute", before_execute)


@pytest.fixture(autouse=True)
def _fresh_workflow_cache():
    """Each test starts with no compiled workflows: rolled-back tests reuse version ids
    (in production a version id is never reused and published configs never change)."""
    from workflow_designer.runtime.firing import MACHINES

    MACHINES.clear()
    yield
