"""Downloads never hold the database: after each export (read in part, then in full) another
connection writes at once.

The app runs on a real database here, not on the rolled-back test connection: a SQLite
file (what ``make run`` uses) or the PostgreSQL test database. The other connection does
not wait: on SQLite it has no busy timeout, so a write lock still held fails it with
"database is locked" at once; on PostgreSQL it asks for every table with LOCK … NOWAIT,
which fails at once while any transaction still holds a table it read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import models
from models import Rma
from portal import create_app
from portal import migrations as schema
from portal.db import get_database, get_session, make_engine
from tests.security.helpers import build_world
from tests.support import POSTGRES_URL, TEST_CONFIG, sign_in


@dataclass
class Site:
    backend: str
    url: str
    app: object
    users: dict[str, int]
    account_id: int

    def write_at_once(self) -> None:
        """A write from another connection that fails instead of waiting for a lock."""
        if self.backend == "sqlite":
            _write_sqlite(make_url(self.url).database)
        else:
            _write_postgres(self.url)


def _write_sqlite(path: str) -> None:
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE retailer_accounts SET name = name")
        connection.execute("COMMIT")
    finally:
        connection.close()


def _write_postgres(url: str) -> None:
    tables = ", ".join(table.name for table in models.Base.metadata.sorted_tables)
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain) as connection:
        connection.execute(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE NOWAIT")
        connection.execute("UPDATE retailer_accounts SET name = name")


@pytest.fixture
def site(backend, tmp_path, request) -> Iterator[Site]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'rotaflow.sqlite3'}"
        schema.upgrade(url)
    else:
        request.getfixturevalue("committed_sessions")  # empties every table afterwards
        url = POSTGRES_URL
    app_url = url
    if backend == "postgresql":
        # Should a regression leave the app's transaction open, the server ends it, so the
        # tables can be emptied afterwards instead of the run hanging.
        options = "-c idle_in_transaction_session_timeout=3000"
        app_url = make_url(url).update_query_dict({"options": options}).render_as_string(False)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            world = build_world(session, tmp_path)  # its credited RMA restocked B-stock
            session.commit()
            users = {name: user.id for name, user in world.users.items() if user is not None}
            account_id = world.account.id
    finally:
        engine.dispose()
    app = create_app({**TEST_CONFIG, "DATABASE_URL": app_url, "UPLOAD_FOLDER": str(tmp_path)})
    yield Site(backend, url, app, users, account_id)
    get_database(app).engine.dispose()


EXPORTS = {
    "rmas": ("admin", "GET", "/admin/rmas.csv", "RMA number,"),
    "rma lines": ("admin", "GET", "/admin/rma_lines.csv?headers=codes", "rma_number,"),
    "b-stock": ("warehouse", "GET", "/warehouse/b-stock.csv", "SKU,"),
    "ledger": ("admin", "GET", "/credits/accounts/{account}/ledger.csv", ""),
    "replacement orders": ("admin", "POST", "/admin/replacement-orders/export", ""),
    "feedback": ("admin", "GET", "/analytics/feedback/month.csv", "Month,"),
}


@pytest.mark.parametrize("export", EXPORTS.values(), ids=EXPORTS.keys())
def test_an_export_read_in_part_then_in_full_leaves_the_database_free(site, export):
    role, method, path, header = export
    client = sign_in(site.app.test_client(), site.users[role])
    response = client.open(path.format(account=site.account_id), method=method, buffered=False)
    try:
        assert response.status_code == 200, response.status_code
        assert response.mimetype == "text/csv"
        chunks = iter(response.response)
        first = next(chunks, b"")
        site.write_at_once()  # while the download is under way
        body = (first + b"".join(chunks)).decode()
    finally:
        response.close()
    site.write_at_once()  # and after it
    assert body.startswith(header)
    assert len(body.splitlines()) > 1 or method == "POST"


def test_a_request_that_only_reads_lets_others_write_while_it_reads(site):
    """The export's own transaction, mid-read: on SQLite it holds no write lock, on
    PostgreSQL it is read-only. A page that may write still takes the lock up front."""
    with site.app.test_request_context("/admin/rmas.csv"):
        session = get_session()
        assert session.scalars(select(Rma.id)).first() is not None
        if site.backend == "sqlite":
            _write_sqlite(make_url(site.url).database)
        else:
            with pytest.raises(Exception, match="read-only transaction"):
                session.execute(Rma.__table__.update().values(state=Rma.state))
            session.rollback()


def test_a_request_that_may_write_holds_the_sqlite_write_lock(site):
    if site.backend != "sqlite":
        pytest.skip("PostgreSQL takes row locks as it writes; there is no database lock")
    with site.app.test_request_context("/admin/rmas"):
        get_session().scalars(select(Rma.id)).first()
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            _write_sqlite(make_url(site.url).database)


def test_a_large_export_is_sent_from_a_temporary_file(monkeypatch, site):
    from portal import csv_export

    client = sign_in(site.app.test_client(), site.users["admin"])
    in_memory = client.get("/admin/rma_lines.csv").get_data(as_text=True)
    spilled = []
    monkeypatch.setattr(csv_export, "SPOOL_IN_MEMORY", 64)
    monkeypatch.setattr(
        csv_export, "_spilled", lambda *a, spill=csv_export._spilled: spilled.append(1) or spill(*a)
    )
    with client.get("/admin/rma_lines.csv") as response:  # closing it closes the file
        from_file = response.get_data(as_text=True)
        assert response.content_length == len(from_file.encode())
    assert spilled and len(in_memory) > 64
    assert from_file == in_memory
