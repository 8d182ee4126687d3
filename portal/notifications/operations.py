"""Changes to notifications: queueing them in the outbox, marking in-app ones read,
retrying parked e-mails. Operations take the session, never read the request and never
commit; the caller commits once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm import Session

from models import Channel, OutboxMessage, OutboxStatus, Rma, User
from workflow_designer.engine.errors import Refusal
from workflow_designer.runtime.outbox import notification_payload, write_messages


class OutboxError(Refusal):
    """A request about the outbox that cannot be carried out; the message is for the admin."""


def queue_notifications(
    session: Session,
    rma: Rma,
    actor: User,
    recipients: Iterable[User],
    template: str,
    state_label: str,
    extra: Mapping[str, Any] | None = None,
) -> list[OutboxMessage]:
    """An e-mail and an in-app notification per recipient, in the caller's transaction,
    written like the workflow's own notifications so one renderer serves both."""
    payload = notification_payload(rma, actor.name, state_label, extra)
    return write_messages(session, rma, recipients, template, payload)


def mark_read(session: Session, user: User, notification_ids: Iterable[int], now: datetime) -> int:
    """Mark the user's own in-app notifications read; returns how many changed.

    Ids of other users' notifications are ignored: the WHERE clause is the scope.
    """
    ids = list(notification_ids)
    if not ids:
        return 0
    return _mark(session, user, now, OutboxMessage.id.in_(ids))


def mark_all_read(session: Session, user: User, now: datetime) -> int:
    return _mark(session, user, now)


def _mark(session: Session, user: User, now: datetime, *conditions) -> int:
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.channel == Channel.IN_APP,
            OutboxMessage.recipient_user_id == user.id,
            OutboxMessage.read_at.is_(None),
            *conditions,
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def retry_message(session: Session, message: OutboxMessage, now: datetime) -> None:
    """Put a parked message back in the queue for the worker's next pass."""
    if message.status is not OutboxStatus.PARKED:
        raise OutboxError(
            _(
                "Message %(id)s is %(status)s, not parked.",
                id=message.id,
                status=message.status.value,
            )
        )
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = now


def retry_all_parked(session: Session, now: datetime) -> int:
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PARKED)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
