"""Database wiring: one engine per app, one session per request.

Nothing here connects at start-up; the engine opens connections on first use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, has_app_context, has_request_context, request
from sqlalchemy import (
    Engine,
    create_engine,
    event,
)
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

EXTENSION_KEY = "rotaflow.db"
log = logging.getLogger(__name__)

# SQLSTATE classes that mean the server is gone or turning work away, not that the request
# was wrong: 08 connection exception, 53 insufficient resources (too many connections),
# 57 operator intervention (shutdown, a terminated backend, a cancelled statement).
UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57")
# SQLite's counterparts: another writer holds the file, or the file cannot be used.
UNAVAILABLE_SQLITE_ERRORS = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR")

# Execution option of the connections whose transactions only read (see ``reads_only``).
READ_ONLY = "rotaflow_read_only"

View = TypeVar("View", bound=Callable[..., Any])


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        return _make_sqlite_engine(url, **kwargs)
    # Test each pooled connection before lending it out: after PostgreSQL restarts (or a
    # backend is terminated) the next request reconnects instead of failing.
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "begin")
    def _read_only(connection):
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")

    # No parallel query: a request's queries are short, and starting Gather workers cost
    # more than they saved (an account's order lines summed in 19 ms with one worker,
    # 9.5 ms without), besides taking the cores other requests are waiting for. A SET per
    # new connection, not a startup option, which poolers such as PgBouncer refuse.
    @event.listens_for(engine, "connect")
    def _no_parallel_query(dbapi_connection, _record):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        dbapi_connection.commit()

    return engine


def _make_sqlite_engine(url: str, **kwargs: Any) -> Engine:
    engine = create_engine(url, **kwargs)

    # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; take over so
    # SQLite gets real transactions (the SQLAlchemy docs' recipe), and enforce foreign keys.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    # Take the write lock when the transaction starts: two writers then queue on
    # busy_timeout rather than one failing mid-transaction with "database is locked".
    # A transaction that only reads takes no lock: in WAL mode it reads a snapshot while
    # writers go on. Only transactions that are known to read only may skip the lock; a
    # deferred one that wrote after another writer committed would fail, not wait.
    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        read_only = connection.get_execution_options().get(READ_ONLY)
        connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")

    return engine


class Database:
    """Holds the app's engine and its session factories: one for requests that may write,
    one for requests whose views are marked ``reads_only``."""

    def __init__(self, engine: Engine, **session_options: Any) -> None:
        self.engine = engine
        self.session_factory = _session_factory(engine, **session_options)
        self.read_only_factory = _session_factory(
            engine.execution_options(**{READ_ONLY: True}), **session_options
        )


def _session_factory(bind: Any, **session_options: Any) -> sessionmaker:
    factory = sessionmaker(bind=bind, expire_on_commit=False, **session_options)
    event.listen(factory, "after_flush", _forget_reads)
    event.listen(factory, "do_orm_execute", _forget_reads_on_write)
    return factory


def init_app(app: Flask, bind: Any = None) -> None:
    """Wire the database. ``bind`` (an Engine or Connection) is how tests inject theirs."""
    if bind is None:
        engine = make_engine(app.config["DATABASE_URL"], echo=app.config["DATABASE_ECHO"])
        app.extensions[EXTENSION_KEY] = Database(engine)
    else:
        database = Database(bind.engine if hasattr(bind, "engine") else bind)
        for factory in (database.session_factory, database.read_only_factory):
            factory.configure(bind=bind, join_transaction_mode="create_savepoint")
        app.extensions[EXTENSION_KEY] = database
    app.teardown_appcontext(_close_session)


def get_database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions[EXTENSION_KEY]


def reads_only(view: View) -> View:
    """Mark a view that never writes (a download, say). Its request's transaction is then
    read-only: on SQLite it takes no write lock, so other requests' writes go on while it
    reads; on PostgreSQL a write in it fails instead of happening."""
    view.reads_only = True  # type: ignore[attr-defined]
    return view


def _request_reads_only() -> bool:
    if not has_request_context() or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "reads_only", False)


def get_session() -> Session:
    """The request's session, opened on first use and closed when the app context ends."""
    if "db_session" not in g:
        database = get_database()
        factory = database.read_only_factory if _request_reads_only() else database.session_factory
        g.db_session = factory()
    return g.db_session


def finish_request(response: Response) -> None:
    """Commit what the request did when its answer is a success or a redirect, and roll it
    back when it is an error. Views and operations never commit: this is the one place.
    A failing commit raises here, inside the dispatch, so the error handlers answer it."""
    session = g.get("db_session")
    if session is None:
        return
    if response.status_code < 400:
        session.commit()
    else:
        session.rollback()


def discard_failed_work() -> None:
    """Roll back the request's session after an error, so what renders the error page
    (the user's name in the layout, say) can still query. A rollback that fails itself
    (the connection is gone) drops the session: the next use starts a fresh one."""
    session = g.get("db_session")
    if session is None:
        return
    try:
        session.rollback()
    except Exception as error:
        log.warning("rolling back after an error failed: %s", describe_database_error(error))
        g.pop("db_session", None)
        _close_quietly(session)


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database cannot be reached or is turning work away now
    (worth trying again), as opposed to a bug or a refused statement."""
    if isinstance(error, DisconnectionError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    if error.connection_invalidated:
        return True
    sqlite_error = getattr(original, "sqlite_errorname", None)
    if sqlite_error is not None:
        return isinstance(error, OperationalError) and sqlite_error.startswith(
            UNAVAILABLE_SQLITE_ERRORS
        )
    if isinstance(error, InterfaceError):  # psycopg: "the connection is closed"
        return True
    if not isinstance(error, OperationalError):
        return False
    sqlstate = getattr(original, "sqlstate", None)
    # No SQLSTATE: the server never answered (connection refused, timed out, dropped).
    return sqlstate is None or sqlstate[:2] in UNAVAILABLE_SQLSTATE_CLASSES


def describe_database_error(error: BaseException) -> str:
    """The driver's own first line (SQLAlchemy's adds the statement and a docs link)."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def remembered_reads() -> dict[str, Any]:
    """Values this request has read and may reuse until its session writes.

    The first write (a flush, or an UPDATE/DELETE/INSERT statement) empties it, so a page
    rendered after a change reads afresh what the change may have altered.
    """
    return g.setdefault("db_reads", {})


def _forget_reads(*_args: Any) -> None:
    if has_app_context():
        g.pop("db_reads", None)


def _forget_reads_on_write(state: ORMExecuteState) -> None:
    if not state.is_select:
        _forget_reads()


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        _close_quietly(session)


def _close_quietly(session: Session) -> None:
    """Close ``session``; a failure is logged, never raised. By then the response is made,
    and an error from teardown would replace it with an empty 500."""
    try:
        session.close()
    except Exception:
        log.exception("closing the database session failed")
