"""One Idempotency-Key sent by eight clients at once, on PostgreSQL: one acts, the others
wait and replay its answer or get 409, never a 500 (SQLite's writers queue anyway)."""

from __future__ import annotations

import threading
import traceback

import pytest
from sqlalchemy import func, select

from models import Rma, RmaLine
from portal import create_app
from portal.db import get_database
from tests.portal.api.conftest import bearer
from tests.security.helpers import build_world
from tests.support import POSTGRES_URL, TEST_CONFIG

pytestmark = pytest.mark.postgres_only

THREADS = 8
TRIALS = 5


@pytest.fixture
def pg(committed_sessions, tmp_path):
    with committed_sessions() as session:
        world = build_world(session, tmp_path)
        facts = {
            "token": world.api_tokens["retailer_a"],
            "account": world.account.id,
            "return_type": world.return_type.code,
            "draft": world.rmas["draft"].number,
            "draft_id": world.rmas["draft"].id,
            "order_line": world.order.lines[0].id,
        }
    app = create_app({**TEST_CONFIG, "DATABASE_URL": POSTGRES_URL, "UPLOAD_FOLDER": str(tmp_path)})
    yield app, committed_sessions, facts
    get_database(app).engine.dispose()


def _race(app, url: str, headers: dict, body: dict) -> list[tuple[int, str]]:
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, str]] = []

    def press() -> None:
        client = app.test_client()
        barrier.wait()
        try:
            response = client.post(url, headers=headers, json=body)
        except Exception:
            results.append((0, traceback.format_exc()))
        else:
            results.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=press) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == THREADS
    failures = [body for status, body in results if status == 0 or status >= 500]
    assert failures == [], failures[0]
    return results


def test_one_key_at_once_creates_one_draft(pg):
    app, sessions, facts = pg
    body = {"account": facts["account"], "return_type": facts["return_type"]}
    for trial in range(TRIALS):
        headers = {**bearer(facts["token"]), "Idempotency-Key": f"race-{trial}"}
        results = _race(app, "/api/v1/rmas", headers, body)
        assert {status for status, _ in results} <= {201, 409}
        answers = {text for status, text in results if status == 201}
        assert len(answers) == 1  # every 201 is the one draft's answer
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Rma)) == 4 + TRIALS


def test_one_key_at_once_adds_a_line_once(pg):
    app, sessions, facts = pg
    url = f"/api/v1/rmas/{facts['draft']}/lines"
    body = {"lines": [{"order_line": facts["order_line"], "quantity": 1}]}
    headers = {**bearer(facts["token"]), "Idempotency-Key": "lines-once"}
    results = _race(app, url, headers, body)
    assert {status for status, _ in results} <= {200, 409}
    with sessions() as session:
        line = session.scalar(
            select(RmaLine).where(
                RmaLine.rma_id == facts["draft_id"], RmaLine.order_line_id == facts["order_line"]
            )
        )
        assert line.quantity_requested == 4 + 1
