"""The worker forgets Idempotency-Keys past their time (API_IDEMPOTENCY_KEY_HOURS), a
bounded batch per transaction; fresh keys stay, and an old key used again acts anew."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from models import ApiIdempotencyKey, ApiToken, Rma
from models.base import utcnow
from portal.notifications.cli import build_worker, worker
from tests.portal.api.conftest import bearer


def _key(session, token_id: int, key: str, age: timedelta) -> ApiIdempotencyKey:
    row = ApiIdempotencyKey(
        token_id=token_id,
        key=key,
        method="POST",
        path="/api/v1/rmas",
        fingerprint="0" * 64,
        status=201,
        body="{}",
        headers={},
        created_at=utcnow() - age,
    )
    session.add(row)
    return row


def _keys(session) -> set[str]:
    session.expire_all()
    return set(session.scalars(select(ApiIdempotencyKey.key)))


def _token_id(session) -> int:
    return session.scalar(select(ApiToken.id).order_by(ApiToken.id).limit(1))


def test_old_keys_go_in_batches_and_fresh_ones_stay(app, db_session, world):
    token_id = _token_id(db_session)
    for n in range(5):
        _key(db_session, token_id, f"old-{n}", timedelta(hours=24, minutes=n + 1))
    _key(db_session, token_id, "fresh", timedelta(hours=23, minutes=59))
    db_session.commit()
    runner = build_worker(app)
    runner.batch_size = 2  # five old keys: three transactions

    assert runner.forget_idempotency_keys() == 5
    assert _keys(db_session) == {"fresh"}
    assert runner.forget_idempotency_keys() == 0


def test_the_retention_is_a_setting(app, db_session, world):
    token_id = _token_id(db_session)
    _key(db_session, token_id, "two-hours", timedelta(hours=2))
    _key(db_session, token_id, "ten-minutes", timedelta(minutes=10))
    db_session.commit()
    app.config["API_IDEMPOTENCY_KEY_HOURS"] = 1

    assert build_worker(app).forget_idempotency_keys() == 1
    assert _keys(db_session) == {"ten-minutes"}


def test_a_worker_pass_forgets_old_keys(app, db_session, world, tmp_path):
    app.instance_path = str(tmp_path)
    _key(db_session, _token_id(db_session), "old", timedelta(days=3))
    db_session.commit()

    result = app.test_cli_runner().invoke(worker, ["--once"])

    assert result.exit_code == 0, result.output
    assert _keys(db_session) == set()


def test_a_key_used_again_after_the_clean_up_acts_anew(app, client, db_session, world):
    headers = {**bearer(world.api_tokens["retailer_a"]), "Idempotency-Key": "order-4711"}
    body = {"account": world.account.id, "return_type": world.return_type.code}
    first = client.post("/api/v1/rmas", headers=headers, json=body)
    assert first.status_code == 201
    stored = db_session.scalar(select(ApiIdempotencyKey))
    stored.created_at = utcnow() - timedelta(hours=25)
    db_session.commit()
    assert build_worker(app).forget_idempotency_keys() == 1
    rmas = db_session.scalar(select(func.count()).select_from(Rma))

    again = client.post("/api/v1/rmas", headers=headers, json=body)

    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert again.get_json()["number"] != first.get_json()["number"]
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(Rma)) == rmas + 1
