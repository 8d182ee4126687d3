"""Changes to webhook subscriptions and deliveries. Operations take the session, never read
the request and never commit; the caller commits once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from models import (
    Channel,
    DeliveryState,
    OutboxMessage,
    Role,
    User,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from models.webhook import REASON_LENGTH, URL_LENGTH
from portal.webhooks.signing import new_secret
from workflow_designer.engine.errors import Refusal
from workflow_designer.runtime.outbox import write_email

# The admins' notification when the worker turns a subscription off.
DISABLED_TEMPLATE = "webhook_disabled"


class WebhookError(Refusal):
    """A request about webhooks that cannot be carried out; the message is for the admin."""


def http_allowed(config: Mapping[str, Any]) -> bool:
    """Plain http:// receivers outside production only (local and test receivers)."""
    return config["ENV"] != "production"


def url_refusal(url: str, allow_http: bool) -> str | None:
    """Why ``url`` cannot receive webhooks, or None when it can: an https:// address with a
    host (http:// too where ``allow_http``: outside production), at most URL_LENGTH long.
    The admin pages and the API check it here, so both refuse the same addresses."""
    url = url.strip()
    if not url or len(url) > URL_LENGTH:
        return _("Enter an address of 1 to %(max)d characters.", max=URL_LENGTH)
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        if allow_http:
            return _("Enter an http:// or https:// address.")
        return _("Enter an https:// address.")
    return None


def subscribed_events(event_types: Iterable[str]) -> list[str]:
    """The events named, once each, in the vocabulary's order."""
    wanted = set(event_types)
    return [kind.value for kind in WebhookEvent if kind.value in wanted]


def create_subscription(
    session, actor: User, url: str, event_types: Iterable[str]
) -> WebhookSubscription:
    """A new active subscription with a fresh secret (shown to the admin once). ``actor``
    may be the API's stand-in for a distributor token, which has no id: no one is named."""
    subscription = WebhookSubscription(
        url=url.strip(),
        event_types=subscribed_events(event_types),
        secret=new_secret(),
        created_by_id=actor.id,
    )
    session.add(subscription)
    session.flush()
    return subscription


def change_subscription(
    session,
    subscription: WebhookSubscription,
    *,
    url: str | None = None,
    event_types: Iterable[str] | None = None,
    active: bool | None = None,
) -> None:
    """Change what is given of the URL (checked by the caller, ``url_refusal``), the
    events and whether it is active (as ``set_active``)."""
    if url is not None:
        subscription.url = url.strip()
    if event_types is not None:
        subscription.event_types = subscribed_events(event_types)
    if active is not None and active != subscription.active:
        set_active(session, subscription, active)
    session.flush()


def rotate_secret(session, subscription: WebhookSubscription) -> str:
    """A new secret; deliveries signed from now on verify only with it."""
    subscription.secret = new_secret()
    return subscription.secret


def set_active(session, subscription: WebhookSubscription, active: bool) -> None:
    """Enable (forgetting why it was off) or disable by hand; pending deliveries wait."""
    subscription.active = active
    subscription.disabled_reason = "" if active else _("Disabled by an admin.")[:REASON_LENGTH]


def delete_subscription(session, subscription: WebhookSubscription) -> None:
    """The subscription and its delivery log."""
    session.delete(subscription)


def redeliver(session, delivery: WebhookDelivery, now: datetime) -> None:
    """Queue a delivery again, with its event id, for the worker's next pass."""
    if delivery.state is DeliveryState.PENDING and delivery.attempts == 0:
        raise WebhookError(_("This delivery is already waiting to be sent."))
    delivery.state = DeliveryState.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.delivered_at = None


def disable_after_failures(session, delivery: WebhookDelivery, now: datetime) -> None:
    """The worker parked ``delivery``: turn its subscription off and tell every active
    admin, in-app and by e-mail, in the worker's transaction."""
    subscription = delivery.subscription
    answer = delivery.last_status_code or delivery.last_response[:80]
    reason = f"Parked after {delivery.attempts} failed attempts (last answer: {answer})."
    subscription.active = False
    subscription.disabled_reason = reason[:REASON_LENGTH]
    payload = {
        "webhook_url": subscription.url,
        "subscription_id": subscription.id,
        "attempts": delivery.attempts,
        "last_answer": str(answer),
    }
    admins = session.scalars(
        select(User).where(User.role == Role.ADMIN, User.is_active.is_(True)).order_by(User.id)
    )
    for admin in admins:
        write_email(session, admin, DISABLED_TEMPLATE, payload, now)
        session.add(
            OutboxMessage(
                channel=Channel.IN_APP,
                template=DISABLED_TEMPLATE,
                recipient_user_id=admin.id,
                payload=dict(payload),
            )
        )
