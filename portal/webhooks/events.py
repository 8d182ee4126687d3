"""What happened, as webhook deliveries: one per matching active subscription, written in
the transaction of the change (a rolled-back transition sends nothing)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    CreditMemo,
    Rma,
    RmaEvent,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from portal.api import schemas

# The RMA events a transition raises, by the state it enters. Workflows are configured, so
# this reads the state names every template shares; a workflow naming its states otherwise
# raises no event for them.
EVENTS_BY_STATE = {
    "authorized": WebhookEvent.RMA_APPROVED,
    "rejected": WebhookEvent.RMA_REJECTED,
    "received": WebhookEvent.RMA_RECEIVED,
    "credited": WebhookEvent.RMA_CREDITED,
}
SUBMIT_TRIGGER = "submit"


def new_event_id() -> str:
    """A Standard Webhooks message id: unique, kept across retries and redeliveries."""
    return f"msg_{secrets.token_urlsafe(18)}"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def rma_events(trigger: str, to_state: str) -> list[WebhookEvent]:
    """The events of one transition: a submission, and what the new state means."""
    events = [WebhookEvent.RMA_SUBMITTED] if trigger == SUBMIT_TRIGGER else []
    if to_state in EVENTS_BY_STATE:
        events.append(EVENTS_BY_STATE[to_state])
    return events


def rma_data(rma: Rma) -> dict[str, Any]:
    """The RMA as ``GET /api/v1/rmas`` lists it."""
    account = rma.account
    return schemas.RmaSummary(
        number=rma.number,
        account=schemas.AccountRef(id=account.id, number=account.number, name=account.name),
        return_type=rma.return_type.code,
        state=rma.state,
        total_value=schemas.Money.of(rma.total_value, rma.currency),
        created_at=rma.created_at,
        submitted_at=rma.submitted_at,
        updated_at=rma.updated_at,
    ).model_dump(mode="json")


def memo_data(memo: CreditMemo, rma: Rma) -> dict[str, Any]:
    account = rma.account
    return {
        "number": memo.number,
        "rma_number": rma.number,
        "account": {"id": account.id, "number": account.number, "name": account.name},
        "amount": {"amount": str(memo.amount), "currency": memo.currency},
        "issued_at": iso(memo.created_at),
    }


def queue_rma_transition(session: Session, rma: Rma) -> list[WebhookDelivery]:
    """The deliveries of the transition ``fire`` is making now (one query when nobody
    subscribes to anything)."""
    active = _active(session)
    event = _pending_event(session, rma) if active else None
    if event is None:
        return []
    deliveries: list[WebhookDelivery] = []
    for kind in rma_events(event.trigger, event.to_state):
        data = {**rma_data(rma), "trigger": event.trigger, "from_state": event.from_state}
        deliveries += _write(session, active, kind, data, rma.updated_at)
    return deliveries


def queue_credit_memo(session: Session, memo: CreditMemo, rma: Rma) -> list[WebhookDelivery]:
    return queue_event(
        session, WebhookEvent.CREDIT_MEMO_ISSUED, memo_data(memo, rma), memo.created_at
    )


def queue_event(
    session: Session, kind: WebhookEvent, data: dict[str, Any], at: datetime
) -> list[WebhookDelivery]:
    """One delivery per active subscription to ``kind``, due now, in the caller's
    transaction."""
    return _write(session, _active(session), kind, data, at)


def _write(
    session: Session,
    active: Iterable[WebhookSubscription],
    kind: WebhookEvent,
    data: dict[str, Any],
    at: datetime,
) -> list[WebhookDelivery]:
    payload = {"type": kind.value, "timestamp": iso(at), "data": data}
    deliveries = [
        WebhookDelivery(
            subscription_id=subscription.id,
            event_id=new_event_id(),
            event_type=kind,
            payload=payload,
            next_attempt_at=at,
        )
        # Event lists are short JSON arrays: matched here, the same on every database.
        for subscription in active
        if kind.value in subscription.event_types
    ]
    session.add_all(deliveries)
    return deliveries


def _active(session: Session) -> list[WebhookSubscription]:
    return list(
        session.scalars(
            select(WebhookSubscription)
            .where(WebhookSubscription.active.is_(True))
            .order_by(WebhookSubscription.id)
        )
    )


def _pending_event(session: Session, rma: Rma) -> RmaEvent | None:
    """The event ``fire`` just added: still pending, or flushed by one of its effects
    (issuing a credit memo flushes), then the RMA's newest."""
    for candidate in reversed(list(session.new)):
        if isinstance(candidate, RmaEvent) and candidate.rma_id == rma.id:
            return candidate
    return session.scalars(
        select(RmaEvent).where(RmaEvent.rma_id == rma.id).order_by(RmaEvent.id.desc()).limit(1)
    ).first()
