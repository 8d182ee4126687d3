"""Webhook subscriptions over the API (scope ``webhooks:manage``: admins' tokens and the
distributor's integration tokens), through the operations the admin pages use
(``portal.webhooks.operations``), with their URL check. A secret is answered once, when a
subscription is made or its secret rotated. Routes: the URL table in ``portal.api.views``.
"""

from __future__ import annotations

import hashlib
import json

from flask import Response, current_app, jsonify, request, url_for

from models import Role, WebhookDelivery, WebhookEvent, WebhookSubscription
from models.base import utcnow
from portal.api import queries
from portal.api.auth import api_user, for_roles, requires
from portal.api.bodies import json_body
from portal.api.idempotency import idempotent
from portal.api.problems import Problem, ValidationProblem
from portal.api.schemas import PageQuery
from portal.api.schemas_webhooks import (
    DeliveryOut,
    DeliveryPage,
    WebhookChange,
    WebhookCreate,
    WebhookOut,
    WebhookPage,
    WebhookSecret,
    WebhookWithSecret,
)
from portal.api.scopes import Scope
from portal.api.spec import (
    IDEMPOTENCY_KEY,
    WEBHOOK_IF_MATCH,
    api,
    documents_headers,
    responses,
    write_responses,
)
from portal.db import get_session
from portal.webhooks import operations
from portal.webhooks import queries as webhook_queries

admins = for_roles((Role.ADMIN,), "Webhooks are managed by admin and distributor tokens.")
TAGS = ["Webhooks"]


@requires(Scope.WEBHOOKS_MANAGE)
@admins
@api.validate(query=PageQuery, resp=responses(WebhookPage), tags=TAGS)
def webhooks_list(query: PageQuery) -> WebhookPage:
    """List webhook subscriptions

    By id; secrets are never listed."""
    found = queries.webhooks(get_session(), query.limit, query.cursor)
    return WebhookPage(items=[webhook(row[0]) for row in found.rows], next=found.next)


@documents_headers(IDEMPOTENCY_KEY)
@requires(Scope.WEBHOOKS_MANAGE)
@admins
@json_body(WebhookCreate)
@idempotent
@api.validate(
    json=WebhookCreate, resp=write_responses(WebhookWithSecret, 201, 400, 413, 415), tags=TAGS
)
def webhook_create(json: WebhookCreate) -> Response:
    """Subscribe a URL to events

    Active at once; the answer carries the signing secret, this once."""
    _check_url(json.url)
    made = operations.create_subscription(
        get_session(), api_user(), json.url, [event.value for event in json.events]
    )
    body = WebhookWithSecret(**webhook(made).model_dump(), secret=made.secret)
    response = _answer(made, body.model_dump(mode="json"), 201)
    response.headers["Location"] = url_for("api.webhook_get", subscription_id=made.id)
    return response


@requires(Scope.WEBHOOKS_MANAGE)
@admins
@api.validate(resp=responses(WebhookOut, not_found=True), tags=TAGS)
def webhook_get(subscription_id: int) -> Response:
    """Get a webhook subscription

    Its `ETag` changes whenever it does; a change takes it back in `If-Match`."""
    found = webhook_queries.load_subscription(get_session(), subscription_id)
    return _answer(found, webhook(found).model_dump(mode="json"))


@documents_headers(WEBHOOK_IF_MATCH)
@requires(Scope.WEBHOOKS_MANAGE)
@admins
@json_body(WebhookChange)
@api.validate(
    json=WebhookChange,
    resp=write_responses(WebhookOut, 200, 400, 404, 412, 413, 415, 428),
    tags=TAGS,
)
def webhook_change(subscription_id: int, json: WebhookChange) -> Response:
    """Change a webhook subscription

    Any of `url`, `events`, `active`; `If-Match` must carry its current ETag."""
    if all(getattr(json, name) is None for name in json.model_fields_set):
        # {} or only nulls: nothing to change (null never clears a member).
        raise ValidationProblem([{"field": "(body)", "message": "Name something to change."}])
    found = _locked(subscription_id)
    _if_match(found)
    if json.url is not None:
        _check_url(json.url)
    events = None if json.events is None else [event.value for event in json.events]
    operations.change_subscription(
        get_session(), found, url=json.url, event_types=events, active=json.active
    )
    return _answer(found, webhook(found).model_dump(mode="json"))


@requires(Scope.WEBHOOKS_MANAGE)
@admins
@api.validate(resp=write_responses(None, 204, 404), tags=TAGS)
def webhook_delete(subscription_id: int) -> Response:
    """Delete a webhook subscription

    With its delivery log; deliveries still waiting are never sent."""
    found = webhook_queries.load_subscription(get_session(), subscription_id)
    operations.delete_subscription(get_session(), found)
    return Response(status=204)


@documents_headers(IDEMPOTENCY_KEY)
@requires(Scope.WEBHOOKS_MANAGE)
@admins
@idempotent
@api.validate(resp=write_responses(WebhookSecret, 200, 400, 404, 409), tags=TAGS)
def webhook_rotate_secret(subscription_id: int) -> Response:
    """Rotate a subscription's secret

    A new secret at once, answered this once: deliveries from now on verify only with it.
    No body is read."""
    found = _locked(subscription_id)
    secret = operations.rotate_secret(get_session(), found)
    return jsonify(WebhookSecret(secret=secret).model_dump(mode="json"))


@requires(Scope.WEBHOOKS_MANAGE)
@admins
@api.validate(query=PageQuery, resp=responses(DeliveryPage, not_found=True), tags=TAGS)
def webhook_deliveries(subscription_id: int, query: PageQuery) -> DeliveryPage:
    """List a subscription's deliveries

    Newest first: each event's attempts, last answer and state."""
    session = get_session()
    found = webhook_queries.load_subscription(session, subscription_id)
    page = queries.webhook_deliveries(session, found, query.limit, query.cursor)
    return DeliveryPage(items=[delivery(row[0]) for row in page.rows], next=page.next)


@documents_headers(IDEMPOTENCY_KEY)
@requires(Scope.WEBHOOKS_MANAGE)
@admins
@idempotent
@api.validate(resp=write_responses(DeliveryOut, 200, 400, 404, 409), tags=TAGS)
def webhook_redeliver(subscription_id: int, delivery_id: int) -> Response:
    """Redeliver a delivery

    Queued again with the same `webhook-id`, for the worker's next pass; 409 while it is
    already waiting to be sent. No body is read."""
    session = get_session()
    found = webhook_queries.load_subscription(session, subscription_id)
    queued = webhook_queries.load_delivery(session, found, delivery_id)
    try:
        operations.redeliver(session, queued, utcnow())
    except operations.WebhookError as refused:
        raise Problem(409, str(refused)) from None
    session.flush()
    return jsonify(delivery(queued).model_dump(mode="json"))


def webhook(subscription: WebhookSubscription) -> WebhookOut:
    return WebhookOut(
        id=subscription.id,
        url=subscription.url,
        events=[WebhookEvent(event) for event in subscription.event_types],
        active=subscription.active,
        disabled_reason=subscription.disabled_reason,
        created_by=subscription.created_by_id,
        created_at=subscription.created_at,
    )


def delivery(row: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=row.id,
        event_id=row.event_id,
        event_type=row.event_type,
        state=row.state,
        attempts=row.attempts,
        last_status_code=row.last_status_code,
        last_response=row.last_response,
        created_at=row.created_at,
        last_attempt_at=row.last_attempt_at,
        next_attempt_at=row.next_attempt_at,
        delivered_at=row.delivered_at,
    )


def etag(subscription: WebhookSubscription) -> str:
    """A strong entity tag of what the API shows of it: any change changes the tag."""
    shown = webhook(subscription).model_dump(mode="json")
    text = json.dumps(shown, sort_keys=True)
    return f'"webhook-{subscription.id}-{hashlib.sha256(text.encode()).hexdigest()[:20]}"'


def _answer(subscription: WebhookSubscription, body: object, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["ETag"] = etag(subscription)
    response.headers["Cache-Control"] = "no-store"
    return response


def _locked(subscription_id: int) -> WebhookSubscription:
    """The subscription, locked for this transaction on PostgreSQL: two changes at once
    are made one after the other, the second checked against the first's result."""
    found = get_session().get(WebhookSubscription, subscription_id, with_for_update=True)
    if found is None:
        raise Problem(404)
    return found


def _if_match(subscription: WebhookSubscription) -> None:
    given = request.headers.get("If-Match")
    if not given:
        raise Problem(428, "If-Match is required: send the subscription's ETag as last read.")
    current = etag(subscription)
    tags = {tag.strip() for tag in given.split(",")}
    if "*" not in tags and current not in tags:
        raise Problem(412, "The subscription changed since this ETag was read.", etag=current)


def _check_url(url: str) -> None:
    refusal = operations.url_refusal(url, operations.http_allowed(current_app.config))
    if refusal:
        raise ValidationProblem([{"field": "url", "message": refusal}])
