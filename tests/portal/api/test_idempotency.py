"""Idempotency-Key on POST: the same key answers what the first request got, without
acting again; another request under the same key is refused; keys last a day."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from models import ApiIdempotencyKey, Rma, RmaLine
from models.base import utcnow
from tests.portal.api.conftest import bearer


def _headers(world, identity: str = "retailer_a", key: str = "order-4711") -> dict:
    return {**bearer(world.api_tokens[identity]), "Idempotency-Key": key}


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _create(world) -> dict:
    return {"account": world.account.id, "return_type": world.return_type.code}


def test_a_repeated_key_answers_the_first_response(client, db_session, world):
    first = client.post("/api/v1/rmas", headers=_headers(world), json=_create(world))
    assert first.status_code == 201
    rmas = _count(db_session, Rma)
    # The same body in another order and spacing is the same request.
    body = {"return_type": world.return_type.code, "account": world.account.id}
    again = client.post("/api/v1/rmas", headers=_headers(world), json=body)
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(db_session, Rma) == rmas


def test_the_key_with_another_body_or_path_is_422(client, db_session, world):
    assert (
        client.post("/api/v1/rmas", headers=_headers(world), json=_create(world)).status_code == 201
    )
    rmas = _count(db_session, Rma)
    other = {**_create(world), "account": world.account.id + 1000}
    refused = client.post("/api/v1/rmas", headers=_headers(world), json=other)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert "Idempotency-Key" in refused.get_json()["detail"]
    draft = world.rmas["draft"].number
    lines = {"lines": [{"order_line": world.order.lines[0].id, "quantity": 1}]}
    elsewhere = client.post(f"/api/v1/rmas/{draft}/lines", headers=_headers(world), json=lines)
    assert elsewhere.status_code == 422
    assert _count(db_session, Rma) == rmas


def test_keys_belong_to_their_token(client, db_session, world):
    client.post("/api/v1/rmas", headers=_headers(world), json=_create(world))
    rep = client.post("/api/v1/rmas", headers=_headers(world, "rep_a"), json=_create(world))
    assert rep.status_code == 201 and "Idempotent-Replayed" not in rep.headers


def test_adding_lines_twice_with_one_key_adds_once(client, db_session, world):
    url = f"/api/v1/rmas/{world.rmas['draft'].number}/lines"
    line = world.order.lines[0]
    body = {"lines": [{"order_line": line.id, "quantity": 2}]}
    first = client.post(url, headers=_headers(world), json=body)
    again = client.post(url, headers=_headers(world), json=body)
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json()
    db_session.expire_all()
    stored = db_session.scalar(select(RmaLine).where(RmaLine.order_line_id == line.id))
    assert stored.quantity_requested == 4 + 2  # the draft had 4


def test_a_refused_request_keeps_no_key(client, db_session, world):
    url = f"/api/v1/rmas/{world.rmas['draft'].number}/lines"
    too_many = {"lines": [{"order_line": world.order.lines[0].id, "quantity": 999}]}
    assert client.post(url, headers=_headers(world), json=too_many).status_code == 422
    assert _count(db_session, ApiIdempotencyKey) == 0
    fixed = {"lines": [{"order_line": world.order.lines[0].id, "quantity": 1}]}
    # Nothing was done under the key, so the corrected request acts under it.
    done = client.post(url, headers=_headers(world), json=fixed)
    assert done.status_code == 200 and "Idempotent-Replayed" not in done.headers
    assert _count(db_session, ApiIdempotencyKey) == 1


def test_keys_are_forgotten_after_a_day(client, db_session, world):
    client.post("/api/v1/rmas", headers=_headers(world), json=_create(world))
    rmas = _count(db_session, Rma)
    db_session.execute(update(ApiIdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
    db_session.commit()
    fresh = client.post("/api/v1/rmas", headers=_headers(world), json=_create(world))
    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh.headers
    assert _count(db_session, Rma) == rmas + 1
    assert _count(db_session, ApiIdempotencyKey) == 1


def test_a_bad_key_is_400(client, db_session, world):
    for key in ("", "x" * 256, "caf\u00e9"):
        headers = {**bearer(world.api_tokens["retailer_a"]), "Idempotency-Key": key}
        response = client.post("/api/v1/rmas", headers=headers, json=_create(world))
        assert response.status_code == 400, key
        assert response.mimetype == "application/problem+json"
    assert _count(db_session, ApiIdempotencyKey) == 0
