"""Webhook subscriptions over the API: admins' tokens and the distributor's integration
tokens with ``webhooks:manage``; the admin pages' operations and URL check; ETag and
If-Match on PATCH; Idempotency-Key on POST; bad input refused with nothing changed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import DeliveryState, WebhookDelivery, WebhookSubscription
from portal.api.operations import create_integration_token, create_token
from portal.api.scopes import scopes_for
from tests.portal.api.conftest import bearer

HOOKS = "/api/v1/webhooks"
NEW = {"url": "https://erp.example.test/in", "events": ["rma.submitted", "rma.credited"]}


@pytest.fixture
def admin(world) -> dict[str, str]:
    return bearer(world.api_tokens["admin"])


def _count(session, model=WebhookSubscription) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _state(session) -> list[tuple]:
    session.expire_all()
    rows = session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id))
    return [(r.id, r.url, r.event_types, r.active, r.secret) for r in rows]


@pytest.mark.parametrize(
    "identity", ["retailer_a", "retailer_b", "rep_a", "rep_other", "warehouse"]
)
def test_only_tokens_that_manage_webhooks_reach_them(client, world, identity):
    refused = client.get(HOOKS, headers=bearer(world.api_tokens[identity]))
    assert refused.status_code == 403
    assert refused.get_json()["required_scope"] == "webhooks:manage"


def test_an_admin_token_without_the_scope_is_403(client, db_session, world):
    reads = [s for s in scopes_for(world.admin.role) if s.value != "webhooks:manage"]
    made = create_token(db_session, world.admin, "reads", reads)
    account = create_integration_token(db_session, world.account, "shop", ["rmas:read"])
    db_session.commit()
    for secret in (made.secret, account.secret):
        assert client.get(HOOKS, headers=bearer(secret)).status_code == 403
        assert client.post(HOOKS, headers=bearer(secret), json=NEW).status_code == 403
    assert client.get(HOOKS).status_code == 401


def test_a_distributor_token_manages_them(client, db_session, world):
    made = create_integration_token(db_session, None, "ERP", ["webhooks:manage"])
    db_session.commit()
    created = client.post(HOOKS, headers=bearer(made.secret), json=NEW)
    assert created.status_code == 201
    stored = db_session.get(WebhookSubscription, created.get_json()["id"])
    assert stored.created_by_id is None  # no person made it
    listed = client.get(HOOKS, headers=bearer(made.secret)).get_json()
    assert created.get_json()["id"] in [item["id"] for item in listed["items"]]


def test_create_answers_the_secret_once(client, db_session, world, admin):
    before = _count(db_session)
    created = client.post(HOOKS, headers=admin, json=NEW)
    assert created.status_code == 201
    body = created.get_json()
    assert body["secret"].startswith("whsec_") and body["events"] == NEW["events"]
    assert body["active"] is True and body["created_by"] == world.admin.id
    assert created.headers["Location"].endswith(f"/api/v1/webhooks/{body['id']}")
    assert created.headers["ETag"] and _count(db_session) == before + 1
    shown = client.get(f"{HOOKS}/{body['id']}", headers=admin)
    assert shown.status_code == 200 and "secret" not in shown.get_json()
    assert shown.headers["ETag"] == created.headers["ETag"]
    assert all("secret" not in item for item in client.get(HOOKS, headers=admin).json["items"])


def test_create_with_an_idempotency_key_acts_once(client, db_session, world, admin):
    headers = {**admin, "Idempotency-Key": "hook-1"}
    first = client.post(HOOKS, headers=headers, json=NEW)
    count = _count(db_session)
    again = client.post(HOOKS, headers=headers, json=NEW)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json() and _count(db_session) == count


BAD_BODIES = [
    ({"url": "ftp://erp.example.test/in", "events": ["rma.submitted"]}, "url"),
    ({"url": "https://", "events": ["rma.submitted"]}, "url"),
    ({"url": "https://e.test/" + "x" * 500, "events": ["rma.submitted"]}, "url"),
    ({"url": "https://e.test/a\x00b", "events": ["rma.submitted"]}, "url"),
    ({"url": 42, "events": ["rma.submitted"]}, "url"),
    ({"url": "https://e.test/in", "events": []}, "events"),
    ({"url": "https://e.test/in", "events": ["rma.exploded"]}, "events.0"),
    ({"url": "https://e.test/in", "events": "rma.submitted"}, "events"),
    ({"url": "https://e.test/in"}, "events"),
    ({**NEW, "secret": "whsec_mine"}, "secret"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_bad_bodies_are_422_naming_the_field(client, db_session, world, admin, body, field):
    before = _state(db_session)
    refused = client.post(HOOKS, headers=admin, json=body)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert field in [error["field"] for error in refused.get_json()["errors"]]
    assert _state(db_session) == before


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [("{not json", "application/json", 400), ("url=x", "application/x-www-form-urlencoded", 415)],
)
def test_malformed_bodies_are_refused(client, db_session, world, admin, data, content_type, status):
    before = _state(db_session)
    refused = client.post(HOOKS, headers=admin, data=data, content_type=content_type)
    assert refused.status_code == status and refused.mimetype == "application/problem+json"
    assert _state(db_session) == before


def test_production_refuses_plain_http_as_the_pages_do(client, app, db_session, world, admin):
    app.config["ENV"] = "production"
    refused = client.post(HOOKS, headers=admin, json={**NEW, "url": "http://erp.example.test"})
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [
        {"field": "url", "message": "Enter an https:// address."}
    ]


def test_patch_needs_the_current_etag(client, db_session, world, admin):
    url = f"{HOOKS}/{world.webhook_id}"
    tag = client.get(url, headers=admin).headers["ETag"]
    change = {"url": "https://erp.example.test/new", "events": ["rma.approved"], "active": False}
    before = _state(db_session)
    missing = client.patch(url, headers=admin, json=change)
    assert missing.status_code == 428 and _state(db_session) == before
    stale = client.patch(url, headers={**admin, "If-Match": '"webhook-0-old"'}, json=change)
    assert stale.status_code == 412 and stale.get_json()["etag"] == tag
    assert _state(db_session) == before

    changed = client.patch(url, headers={**admin, "If-Match": tag}, json=change)

    assert changed.status_code == 200
    body = changed.get_json()
    assert (body["url"], body["events"], body["active"]) == (
        change["url"],
        ["rma.approved"],
        False,
    )
    assert body["disabled_reason"] and changed.headers["ETag"] != tag
    again = client.patch(url, headers={**admin, "If-Match": tag}, json={"active": True})
    assert again.status_code == 412  # the first change made the tag stale


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "(body)"),
        ({"url": None, "active": None}, "(body)"),
        ({"active": "yes"}, "active"),
        ({"active": 1}, "active"),
        ({"events": []}, "events"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": None, "secret": "x"}, "secret"),
    ],
)
def test_bad_patches_are_422_and_change_nothing(client, db_session, world, admin, body, field):
    url = f"{HOOKS}/{world.webhook_id}"
    tag = client.get(url, headers=admin).headers["ETag"]
    before = _state(db_session)
    refused = client.patch(url, headers={**admin, "If-Match": tag}, json=body)
    assert refused.status_code == 422, refused.get_json()
    assert field in [error["field"] for error in refused.get_json()["errors"]]
    assert _state(db_session) == before


def test_delete_removes_it(client, db_session, world, admin):
    url = f"{HOOKS}/{world.webhook_id}"
    assert client.delete(url, headers=admin).status_code == 204
    assert client.get(url, headers=admin).status_code == 404
    assert client.delete(url, headers=admin).status_code == 404
    assert client.get(f"{url}/deliveries", headers=admin).status_code == 404


def test_rotating_the_secret_answers_the_new_one_once(client, db_session, world, admin):
    url = f"{HOOKS}/{world.webhook_id}/rotate-secret"
    old = db_session.get(WebhookSubscription, world.webhook_id).secret
    headers = {**admin, "Idempotency-Key": "rotate-1"}
    rotated = client.post(url, headers=headers)
    assert rotated.status_code == 200
    secret = rotated.get_json()["secret"]
    db_session.expire_all()
    assert secret != old and db_session.get(WebhookSubscription, world.webhook_id).secret == secret
    replayed = client.post(url, headers=headers)
    assert replayed.get_json()["secret"] == secret  # the same rotation, not another
    db_session.expire_all()
    assert db_session.get(WebhookSubscription, world.webhook_id).secret == secret


def test_deliveries_are_cursor_paginated_newest_first(client, db_session, world, admin):
    for n in range(3):
        db_session.add(
            WebhookDelivery(
                subscription_id=world.webhook_id,
                event_id=f"msg_page_{n}",
                event_type="rma.submitted",
                payload={},
            )
        )
    db_session.commit()
    url = f"{HOOKS}/{world.webhook_id}/deliveries"
    first = client.get(f"{url}?limit=2", headers=admin).get_json()
    rest = client.get(f"{url}?limit=2&cursor={first['next']}", headers=admin).get_json()
    ids = [item["id"] for item in first["items"] + rest["items"]]
    assert len(ids) == 4 and ids == sorted(ids, reverse=True) and rest["next"] is None
    assert first["items"][0]["event_id"] == "msg_page_2"
    assert client.get(f"{url}?limit=0", headers=admin).status_code == 422
    assert client.get(f"{url}?cursor=nonsense", headers=admin).status_code == 422
    assert client.get(f"{HOOKS}/999999/deliveries", headers=admin).status_code == 404


def test_redeliver_queues_a_parked_delivery_once(client, db_session, world, admin):
    url = f"{HOOKS}/{world.webhook_id}/deliveries/{world.webhook_delivery_id}/redeliver"
    queued = client.post(url, headers=admin)
    assert queued.status_code == 200
    assert (queued.get_json()["state"], queued.get_json()["attempts"]) == ("pending", 0)
    db_session.expire_all()
    assert db_session.get(WebhookDelivery, world.webhook_delivery_id).state is DeliveryState.PENDING
    again = client.post(url, headers=admin)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    elsewhere = f"{HOOKS}/{world.api_webhook_id}/deliveries/{world.webhook_delivery_id}/redeliver"
    assert client.post(elsewhere, headers=admin).status_code == 404


def test_the_document_describes_the_webhook_operations(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/api/v1/webhooks/{subscription_id}"]) >= {"get", "patch", "delete"}
    patch = paths["/api/v1/webhooks/{subscription_id}"]["patch"]
    assert patch["x-required-scope"] == "webhooks:manage"
    assert "If-Match" in [p["name"] for p in patch["parameters"]]
