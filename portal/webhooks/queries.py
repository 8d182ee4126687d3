"""Reads of the webhooks pages: subscriptions and their delivery logs (admins only, so
there is no narrower scope than the whole distributor)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import WebhookDelivery, WebhookSubscription
from portal.pagination import Page, paginate


def subscriptions(session: Session) -> list[WebhookSubscription]:
    return list(session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)))


def load_subscription(session: Session, subscription_id: int) -> WebhookSubscription:
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        abort(404)
    return subscription


def load_delivery(
    session: Session, subscription: WebhookSubscription, delivery_id: int
) -> WebhookDelivery:
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription.id:
        abort(404)
    return delivery


def delivery_log(
    session: Session, subscription: WebhookSubscription, page: int, per_page: int
) -> Page:
    """The subscription's deliveries, newest first."""
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == subscription.id)
        .order_by(WebhookDelivery.id.desc())
    )
    return paginate(session, query, page, per_page)
