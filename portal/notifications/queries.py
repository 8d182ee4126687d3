"""Reads of notifications. In-app notifications are outbox rows of the in_app channel,
scoped to their recipient; the outbox as a whole is for admins."""

from __future__ import annotations

from flask import abort
from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from models import Channel, OutboxMessage, OutboxStatus, Rma, User
from portal.db import remembered_reads
from portal.pagination import Page, paginate


def _mine(user: User):
    return (
        OutboxMessage.channel == Channel.IN_APP,
        OutboxMessage.recipient_user_id == user.id,
    )


def unread_key(user: User) -> str:
    """The user's unread count's key among the request's remembered reads."""
    return f"unread_notifications:{user.id}"


def unread_count_column() -> ScalarSelect[int]:
    """The unread count of the user of the enclosing ``select(User)``, as a column: the
    user loader reads it in the same query as the user (see portal.auth.access)."""
    return (
        select(func.count())
        .where(
            OutboxMessage.channel == Channel.IN_APP,
            OutboxMessage.recipient_user_id == User.id,
            OutboxMessage.read_at.is_(None),
        )
        .scalar_subquery()
    )


def unread_count(session: Session, user: User) -> int:
    """The user's unread count, as read with the user unless the request has written since."""
    reads, key = remembered_reads(), unread_key(user)
    if key not in reads:
        reads[key] = (
            session.scalar(
                select(func.count()).where(*_mine(user), OutboxMessage.read_at.is_(None))
            )
            or 0
        )
    return reads[key]


def notifications_page(
    session: Session, user: User, unread_only: bool, page: int, per_page: int
) -> Page:
    """The user's in-app notifications, newest first (rows: message, RMA number or None)."""
    query = (
        select(OutboxMessage, Rma.number)
        .outerjoin(Rma, OutboxMessage.rma_id == Rma.id)
        .where(*_mine(user))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    if unread_only:
        query = query.where(OutboxMessage.read_at.is_(None))
    return paginate(session, query, page, per_page)


def load_notification(session: Session, user: User, notification_id: int) -> OutboxMessage:
    """One of the user's own in-app notifications; 404 for anyone else's."""
    notification = session.scalar(
        select(OutboxMessage).where(OutboxMessage.id == notification_id, *_mine(user))
    )
    if notification is None:
        abort(404)
    return notification


def outbox_page(session: Session, status: OutboxStatus, page: int, per_page: int) -> Page:
    """E-mail rows in ``status``, most recently attempted first (rows: message, RMA number)."""
    query = (
        select(OutboxMessage, Rma.number)
        .outerjoin(Rma, OutboxMessage.rma_id == Rma.id)
        .where(OutboxMessage.channel == Channel.EMAIL, OutboxMessage.status == status)
        .order_by(OutboxMessage.next_attempt_at.desc(), OutboxMessage.id.desc())
    )
    return paginate(session, query, page, per_page)


def outbox_counts(session: Session) -> dict[OutboxStatus, int]:
    rows = session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.channel == Channel.EMAIL)
        .group_by(OutboxMessage.status)
    ).all()
    counts = dict.fromkeys(OutboxStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


def load_outbox_message(session: Session, message_id: int) -> OutboxMessage:
    message = session.get(OutboxMessage, message_id)
    if message is None or message.channel is not Channel.EMAIL:
        abort(404)
    return message
