"""Turning a fire's ``notify`` effects into outbox rows, in the same transaction.

Each recipient gets an e-mail and an in-app notification; a worker delivers the e-mails
after commit. Recipients are resolved now, so a later change of rep does not redirect mail
about what already happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Channel, OutboxMessage, Rma, Role, User
from workflow_designer.engine.compiler import CompiledWorkflow
from workflow_designer.policy.words import variants_of


def write_notifications(
    session: Session,
    rma: Rma,
    actor: User | None,
    effects: Sequence[dict[str, Any]],
    compiled: CompiledWorkflow,
) -> list[OutboxMessage]:
    """The outbox rows of a fire's ``notify`` effects."""
    messages = []
    for effect in effects:
        if effect.get("kind") != "notify":
            continue
        recipients = list(_recipients(session, rma, effect["to"], compiled))
        if recipients:
            actor_name = actor.name if actor else "Rotaflow"
            payload = notification_payload(rma, actor_name, compiled.state(rma.state).label)
            messages += write_messages(session, rma, recipients, effect["template"], payload)
    return messages


def notification_payload(
    rma: Rma, actor_name: str, state_label: str, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What every notification about ``rma`` carries, so one renderer serves them all.
    The state's label is kept as typed, with its translations: the mail is written later,
    in its recipient's language."""
    variants = variants_of(state_label)
    return {
        "rma_number": rma.number,
        "state": rma.state,
        "state_label": str.__str__(state_label),  # as typed, not as this request reads it
        **({"state_label_translations": variants} if variants else {}),
        "actor_name": actor_name,
        "account_name": rma.account.name,
        **(extra or {}),
    }


def write_messages(
    session: Session,
    rma: Rma,
    recipients: Iterable[User],
    template: str,
    payload: Mapping[str, Any],
) -> list[OutboxMessage]:
    """An e-mail and an in-app notification per recipient, in the caller's transaction:
    the one place outbox rows are built."""
    messages = []
    for user in recipients:
        common = {
            "template": template,
            "recipient_user_id": user.id,
            "rma_id": rma.id,
            "payload": dict(payload),
        }
        messages.append(
            OutboxMessage(channel=Channel.EMAIL, recipient_address=user.email, **common)
        )
        messages.append(OutboxMessage(channel=Channel.IN_APP, **common))
    session.add_all(messages)
    return messages


def write_email(
    session: Session, user: User, template: str, payload: Mapping[str, Any], now: datetime
) -> OutboxMessage:
    """An e-mail to ``user`` about no one RMA (the weekly digest), due ``now``, in the
    caller's transaction."""
    message = OutboxMessage(
        channel=Channel.EMAIL,
        template=template,
        recipient_user_id=user.id,
        recipient_address=user.email,
        payload=dict(payload),
        next_attempt_at=now,
    )
    session.add(message)
    return message


def _recipients(session: Session, rma: Rma, to: str, compiled: CompiledWorkflow) -> Iterable[User]:
    if to == "retailer":
        return _active(session, User.account_id == rma.account_id)
    if to == "account_rep":
        return _active(session, User.id == rma.account.sales_rep_id)
    if to == "admins":
        return _active(session, User.role == Role.ADMIN)
    if to == "warehouse":
        return _active(session, User.role == Role.WAREHOUSE)
    if to == "approver":
        return _approvers(session, rma, compiled)
    raise ValueError(f"unknown recipient {to!r}")


def _approvers(session: Session, rma: Rma, compiled: CompiledWorkflow) -> Iterable[User]:
    """Who must act now: the approver stored on the RMA (escalation moves it)."""
    if rma.approver_user_id is not None:
        return _active(session, User.id == rma.approver_user_id)
    if rma.approver_role is not None:
        return _active(session, User.role == Role(rma.approver_role))
    return []


def _active(session: Session, condition) -> list[User]:
    return list(
        session.scalars(select(User).where(condition, User.is_active.is_(True)).order_by(User.id))
    )
