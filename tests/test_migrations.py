"""Models and migrations agree, and migrations run both ways."""

from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

import models
from models import RmaAttachment, RmaLine
from portal import migrations as schema
from tests.support import POSTGRES_URL, skip_or_fail


def test_autogenerate_finds_no_difference(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    differences = compare_metadata(context, models.Base.metadata)
    assert differences == []


@pytest.fixture
def scratch_postgres_url():
    """A throwaway PostgreSQL database beside the test database."""
    if not POSTGRES_URL:
        skip_or_fail("ROTAFLOW_TEST_DATABASE_URL is not set")
    url = make_url(POSTGRES_URL)
    scratch = url.set(database=f"{url.database}_migrations")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}"'))
        connection.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    yield scratch.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres_only
def test_upgrade_downgrade_upgrade_on_postgresql(scratch_postgres_url):
    schema.upgrade(scratch_postgres_url)
    engine = create_engine(scratch_postgres_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(models.Base.metadata.tables) <= tables

        schema.downgrade(scratch_postgres_url, "base")
        inspector = inspect(engine)
        assert set(inspector.get_table_names()) == {"alembic_version"}

        schema.upgrade(scratch_postgres_url)
        assert set(models.Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_form_one_line():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(schema.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, "two migrations branch from one revision: linearise"


# Tables whose rows a migration must carry through, however it rebuilds them.
KEPT = (
    "retailer_accounts",
    "rmas",
    "rma_lines",
    "rma_events",
    "inspection_results",
    "credit_memos",
    "credit_memo_lines",
    "ledger_entries",
    "order_lines",
)


def test_a_sqlite_database_holding_data_migrates_down_and_up_keeping_every_row(tmp_path):
    """SQLite alters a table by copying it and dropping the original, which rows of other
    tables reference; on a database with data (``make run`` keeps one) every migration must
    still run both ways and lose nothing."""
    from sqlalchemy.orm import Session

    from portal.db import make_engine
    from portal.demo import load_demo

    url = f"sqlite:///{tmp_path / 'rotaflow.sqlite3'}"
    schema.upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            load_demo(session)
            session.commit()
        before = _counts(engine)
        assert before["credit_memo_lines"]  # rows that reference rma_lines

        schema.downgrade(url, "0010_count_indexes")
        assert _counts(engine) == before
        schema.upgrade(url)
        assert _counts(engine) == before
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        engine.dispose()


def _counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in KEPT
        }


def test_the_migrations_create_every_check_constraint_the_models_declare(connection):
    """Autogenerate does not compare CHECK constraints: compare their names with a schema
    the models build (a CHECK declared on one side only would go unnoticed otherwise)."""
    built = create_engine("sqlite://")
    try:
        models.Base.metadata.create_all(built)
        declared = _check_names(inspect(built))
    finally:
        built.dispose()
    assert _check_names(inspect(connection)) == declared


def _check_names(inspector) -> dict[str, set[str]]:
    return {
        table: {check["name"] for check in inspector.get_check_constraints(table)}
        for table in models.Base.metadata.tables
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rotaflow.sqlite3'}"
    return request.getfixturevalue("scratch_postgres_url")


def test_duplicate_lines_are_merged_before_the_unique_constraint(empty_database_url):
    """Lines repeating an order line on one RMA become the earliest of them, holding the
    summed quantities and every photo; other lines and RMAs are left as they were."""
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    from portal.db import make_engine

    schema.upgrade(empty_database_url, "0014_account_address")
    engine = make_engine(empty_database_url)
    try:
        ids = _at_old_revision(engine, _draft_and_order)
        with Session(engine) as session:  # lines and photos are mapped as they were then
            ids.update(_duplicated_lines(session, ids))
            session.commit()
        schema.upgrade(empty_database_url)
        with Session(engine) as session:
            lines = session.execute(
                select(
                    RmaLine.id,
                    RmaLine.order_line_id,
                    RmaLine.quantity_requested,
                    RmaLine.quantity_authorized,
                ).where(RmaLine.rma_id == ids["draft"])
            ).all()
            assert sorted(lines) == [
                (ids["first"], ids["line_a"], 7, 3),
                (ids["single"], ids["line_b"], 5, 0),
            ]
            photos = session.scalars(
                select(RmaAttachment.rma_line_id).where(RmaAttachment.rma_id == ids["draft"])
            ).all()
            assert photos == [ids["first"], ids["first"]]
            other = session.execute(
                select(RmaLine.order_line_id, RmaLine.quantity_requested).where(
                    RmaLine.rma_id == ids["other"]
                )
            ).all()
            assert other == [(ids["line_a"], 2)]

            session.add(RmaLine(rma_id=ids["draft"], order_line_id=ids["line_a"], **ONE))
            with pytest.raises(IntegrityError):
                session.flush()
    finally:
        engine.dispose()


ONE = {"quantity_requested": 1, "reason": "", "condition": ""}


def _at_old_revision(engine, make) -> dict[str, int]:
    """Rows made by ``make`` with today's models, copied into ``engine``'s older schema:
    every table and column it has (columns added since stay behind)."""
    from sqlalchemy import MetaData, insert
    from sqlalchemy.orm import Session

    scratch = create_engine("sqlite://")
    models.Base.metadata.create_all(scratch)
    with Session(scratch) as session:
        ids = make(session)
        session.commit()
    old = MetaData()
    old.reflect(engine)
    with scratch.connect() as source, engine.begin() as target:
        for table in models.Base.metadata.sorted_tables:
            if table.name not in old.tables:
                continue
            columns = old.tables[table.name].c
            rows = [
                {key: value for key, value in row.items() if key in columns}
                for row in source.execute(select(table)).mappings()
            ]
            if rows:
                target.execute(insert(old.tables[table.name]), rows)
    scratch.dispose()
    return ids


def _draft_and_order(session) -> dict[str, int]:
    """A draft with order line A on three lines (1, 2 and 4 requested; photos on the last
    two) and B on one, and another RMA with A once."""
    from tests.factories import (
        make_account,
        make_order,
        make_product,
        make_published_workflow,
        make_rma,
    )

    account = make_account(session)
    order = make_order(session, account, [(make_product(session), 10, "5.00")] * 2)
    line_a, line_b = (line.id for line in order.lines)
    version = make_published_workflow(session)
    draft, other = make_rma(session, account, version), make_rma(session, account, version)
    return {"draft": draft.id, "other": other.id, "line_a": line_a, "line_b": line_b}


def _duplicated_lines(session, ids: dict[str, int]) -> dict[str, int]:
    draft, other, line_a, line_b = ids["draft"], ids["other"], ids["line_a"], ids["line_b"]
    rows = [
        RmaLine(rma_id=draft, order_line_id=line_a, **{**ONE, "quantity_authorized": 1}),
        RmaLine(rma_id=draft, order_line_id=line_b, **{**ONE, "quantity_requested": 5}),
        RmaLine(rma_id=draft, order_line_id=line_a, **{**ONE, "quantity_requested": 2}),
        RmaLine(
            rma_id=draft,
            order_line_id=line_a,
            **{**ONE, "quantity_requested": 4, "quantity_authorized": 2},
        ),
        RmaLine(rma_id=other, order_line_id=line_a, **{**ONE, "quantity_requested": 2}),
    ]
    session.add_all(rows)
    session.flush()
    session.add_all(
        RmaAttachment(
            rma_id=draft,
            rma_line_id=line.id,
            stored_name=f"photo-{line.id}.png",
            original_name="photo.png",
            content_type="image/png",
            size_bytes=10,
        )
        for line in rows[2:4]
    )
    session.flush()
    return {"first": rows[0].id, "single": rows[1].id}


def test_every_return_type_gets_its_stored_policy_as_version_1(empty_database_url):
    """The policy each return type holds becomes its version 1 (no author: it predates
    versions); a return type with no policy yet gets an empty version 1. Down again drops
    the versions and leaves the return types as they were."""
    from portal.db import make_engine

    schema.upgrade(empty_database_url, "0021_vocabulary_checks")
    engine = make_engine(empty_database_url)
    policy = {"allowance": {"enabled": True, "percent": "10", "period_days": 365}}
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO workflows (id, code, name, description) "
                    "VALUES (1, 'flow', 'Flow', '')"
                )
            )
            for id_, document in ((1, json.dumps(policy)), (2, "{}")):
                connection.execute(
                    text(
                        "INSERT INTO return_types (id, code, name, description, workflow_id, "
                        "reasons, resolutions, policy, requires_photos, requires_description, "
                        "is_archived) VALUES (:id, :code, 'Type', '', 1, '[]', '[]', :policy, "
                        "false, false, false)"
                    ),
                    {"id": id_, "code": f"RT{id_}", "policy": document},
                )
        schema.upgrade(empty_database_url)
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT return_type_id, number, params, note, created_by_id, created_at "
                    "FROM policy_versions ORDER BY return_type_id"
                )
            ).all()
        params = [
            row.params if isinstance(row.params, dict) else json.loads(row.params) for row in rows
        ]
        assert [(r.return_type_id, r.number, r.created_by_id) for r in rows] == [
            (1, 1, None),
            (2, 1, None),
        ]
        assert params == [policy, {}]
        assert all(r.note and r.created_at is not None for r in rows)

        schema.downgrade(empty_database_url, "0021_vocabulary_checks")
        assert "policy_versions" not in inspect(engine).get_table_names()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM return_types")).scalar_one() == 2
    finally:
        engine.dispose()
