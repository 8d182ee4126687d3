"""fire() against PostgreSQL: one transaction per trigger, committed.

Two figures: fire() + commit with the RMA and actor already loaded (as a request has them),
and the whole round trip including loading them.

Used by workflow_bench.py. Works in a scratch database it creates and drops, next to the
one named by ROTAFLOW_BENCH_DATABASE_URL (default: the local server's ``postgres``).
"""

from __future__ import annotations

import os
import statistics
import time
from decimal import Decimal

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from models import Rma, Role, User
from portal import migrations as schema
from portal.db import make_engine

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SCRATCH = "rotaflow_bench_workflow"
COMMIT_TARGET_MS = 3.0


def _scratch_url() -> str:
    server = make_url(os.environ.get("ROTAFLOW_BENCH_DATABASE_URL", DEFAULT_SERVER))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{SCRATCH}"'))
    admin.dispose()
    return server.set(database=SCRATCH).render_as_string(hide_password=False)


def _seed(session: Session, count: int) -> tuple[int, list[int]]:
    from tests.factories import make_account, make_published_workflow, make_retailer, make_rma

    account = make_account(session)
    retailer = make_retailer(session, account)
    version = make_published_workflow(session)
    ids = [
        make_rma(session, account, version, state="authorized", total_value=Decimal("100")).id
        for _ in range(count)
    ]
    session.commit()
    return retailer.id, ids


def fire_with_commit_ms(count: int = 500) -> dict[str, tuple[float, float]]:
    """Mean and p95 milliseconds of fire('ship') + commit, and of load + fire + commit."""
    from workflow_designer.runtime.firing import fire

    url = _scratch_url()
    schema.upgrade(url)
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with factory() as session:
            retailer_id, rma_ids = _seed(session, count)
        fire_commit, round_trip = [], []
        for rma_id in rma_ids:
            started = time.perf_counter()
            with factory() as session:
                actor = session.get(User, retailer_id)
                assert actor.role is Role.RETAILER
                rma = session.get(Rma, rma_id)
                loaded = time.perf_counter()
                fire(session, rma, "ship", actor)
                session.commit()
                done = time.perf_counter()
            fire_commit.append((done - loaded) * 1000)
            round_trip.append((done - started) * 1000)
        return {
            "fire + commit": _summary(fire_commit),
            "load + fire + commit": _summary(round_trip),
        }
    finally:
        engine.dispose()


def _summary(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.fmean(timings), timings[int(len(timings) * 0.95)]
