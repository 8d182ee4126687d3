"""The admins' webhooks pages through HTTP: create (secret shown once), rotate, enable and
disable, delete, the delivery log and its redeliver button; nobody else gets in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import DeliveryState, WebhookDelivery, WebhookSubscription
from portal.webhooks.operations import create_subscription
from tests.world import authorized_rma

SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]+")


def made(db_session, world, **fields) -> WebhookSubscription:
    subscription = create_subscription(
        db_session, world.admin, "https://erp.example.com/hooks", ["rma.submitted"]
    )
    for name, value in fields.items():
        setattr(subscription, name, value)
    db_session.flush()
    return subscription


@pytest.mark.parametrize("who", ["retailer", "rep", "warehouse_user"])
def test_only_admins_reach_the_pages(client, login_as, world, who):
    login_as(getattr(world, who) or world.retailer)
    assert client.get("/admin/webhooks").status_code == 403


def test_creating_shows_the_secret_once(client, db_session, login_as, world):
    login_as(world.admin)
    response = client.post(
        "/admin/webhooks",
        data={"url": "https://erp.example.com/hooks", "events": ["rma.submitted", "rma.received"]},
    )
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    subscription = db_session.scalars(select(WebhookSubscription)).one()
    assert subscription.event_types == ["rma.submitted", "rma.received"]
    assert subscription.created_by_id == world.admin.id
    assert SECRET.search(response.text).group(0) == subscription.secret
    listing = client.get("/admin/webhooks").text
    assert "https://erp.example.com/hooks" in listing and subscription.secret not in listing


def test_a_bad_url_or_no_event_is_refused(client, db_session, login_as, world):
    login_as(world.admin)
    response = client.post("/admin/webhooks", data={"url": "ftp://x", "events": []})
    assert response.status_code == 422
    assert "Choose at least one event." in response.text
    bad = client.post("/admin/webhooks", data={"url": "x", "events": ["rma.nope"]})
    assert bad.status_code == 422
    assert db_session.scalars(select(WebhookSubscription)).all() == []


def test_production_accepts_https_only(app, world):
    from portal.webhooks.forms import SubscriptionForm

    with app.test_request_context(
        method="POST", data={"url": "http://erp.example.com/h", "events": ["rma.submitted"]}
    ):
        assert not SubscriptionForm(False).validate()
        assert SubscriptionForm(True).validate()


def test_rotating_shows_a_new_secret(client, db_session, login_as, world):
    subscription = made(db_session, world)
    old = subscription.secret
    login_as(world.admin)
    response = client.post(f"/admin/webhooks/{subscription.id}/rotate")
    assert response.status_code == 200
    db_session.refresh(subscription)
    assert subscription.secret != old
    assert SECRET.search(response.text).group(0) == subscription.secret
    assert subscription.secret not in client.get(f"/admin/webhooks/{subscription.id}").text


def test_disable_enable_and_delete(client, db_session, login_as, world):
    subscription = made(db_session, world)
    login_as(world.admin)
    url = f"/admin/webhooks/{subscription.id}"
    assert client.post(f"{url}/active", data={"active": "0"}).status_code == 303
    db_session.refresh(subscription)
    assert not subscription.active and subscription.disabled_reason
    client.post(f"{url}/active", data={"active": "1"})
    db_session.refresh(subscription)
    assert subscription.active and subscription.disabled_reason == ""
    assert client.post(f"{url}/delete").status_code == 303
    db_session.expunge_all()
    assert db_session.scalars(select(WebhookSubscription)).all() == []
    assert client.get(url).status_code == 404


def test_the_delivery_log_and_redeliver(client, db_session, login_as, world):
    subscription = made(db_session, world)
    authorized_rma(db_session, world)
    delivery = db_session.scalars(select(WebhookDelivery)).one()
    delivery.state, delivery.attempts, delivery.last_status_code = DeliveryState.PARKED, 6, 500
    db_session.flush()
    login_as(world.admin)
    page = client.get(f"/admin/webhooks/{subscription.id}").text
    assert "rma.submitted" in page and "500" in page and "parked" in page
    assert "Request body" in page and '"from_state": "draft"' in page
    url = f"/admin/webhooks/{subscription.id}/deliveries/{delivery.id}/redeliver"
    fragment = client.post(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    db_session.refresh(delivery)
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 0)
    assert client.post(url).status_code == 422  # already waiting
    other = made(db_session, world)
    assert (
        client.post(f"/admin/webhooks/{other.id}/deliveries/{delivery.id}/redeliver").status_code
        == 404
    )


def test_the_admin_alert_email_links_the_subscription(app, db_session, world):
    from portal.notifications.emails import render_email

    subscription = made(db_session, world)
    payload = {
        "webhook_url": subscription.url,
        "subscription_id": subscription.id,
        "attempts": 6,
        "last_answer": "500",
    }
    with app.app_context():
        rendered = render_email("webhook_disabled", payload, "Ada Admin")
    assert rendered.subject == "A webhook was turned off after repeated failures"
    assert f"/admin/webhooks/{subscription.id}" in rendered.text
    assert subscription.url in rendered.html and "Ada Admin" in rendered.text
