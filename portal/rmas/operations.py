"""What can be done on the RMA page: fire a workflow action, write in the thread.

Operations take the session and the actor, never read the request and never commit.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Rma, RmaMessage, Role, User
from portal.notifications.operations import queue_notifications
from portal.rmas.exception_record import SNAPSHOT_KEY, exception_snapshot
from portal.rmas.permissions import (
    ELSEWHERE,
    FIRST_SUBMIT,
    can_post_message,
    handled_elsewhere,
)
from workflow_designer.engine.errors import Refusal
from workflow_designer.engine.firing import FireOutcome
from workflow_designer.runtime.firing import TransitionRefused, compiled_for, fire

MESSAGE_TEMPLATE = "rma_message"
USE_REQUEST_FORM = "use_request_form"  # a refusal: the step needs another page's form
EXCERPT = 500


class MessageRefused(Refusal):
    """A message that cannot be posted; the text says why."""


def fire_action(
    session: Session, rma: Rma, actor: User, trigger: str, comment: str, seen_version: int
) -> FireOutcome:
    """Fire ``trigger`` from the RMA page as ``actor`` (see ``fire``), unless the step needs
    another page's form.

    Raises TransitionConflict when someone changed the RMA since the actor looked at it (or
    at the same time), and TransitionRefused with a message when it is not allowed here.
    """
    if handled_elsewhere(rma, trigger):
        raise TransitionRefused(USE_REQUEST_FORM, _elsewhere_message(rma, trigger), forbidden=True)
    return fire(
        session,
        rma,
        trigger,
        actor,
        seen_version=seen_version,
        comment=comment or None,
        data=_data(rma, trigger),
    )


def _data(rma: Rma, trigger: str) -> dict | None:
    """A resubmission (after changes were requested) records the exception it carries
    again, as a new snapshot beside the earlier ones."""
    if trigger != FIRST_SUBMIT:
        return None
    snapshot = exception_snapshot(rma)
    if snapshot is None:
        return {"exception_requested": False}
    return {"exception_requested": True, SNAPSHOT_KEY: snapshot}


def _elsewhere_message(rma: Rma, trigger: str) -> str:
    place = ELSEWHERE.get(trigger)
    if place is None:
        return _(
            "Submit %(number)s from its request form, where the policy is checked.",
            number=rma.number,
        )
    return _("%(action)s from its own page: %(why)s.", action=place.label, why=place.why)


def post_message(session: Session, rma: Rma, author: User, body: str) -> RmaMessage:
    """Add a message to the thread and notify the other side through the outbox."""
    body = body.strip()
    if not body:
        raise MessageRefused(_("Write a message before sending it."))
    if not can_post_message(author, rma):
        raise MessageRefused(_("You cannot write in this thread."))
    message = RmaMessage(rma_id=rma.id, author_id=author.id, body=body)
    session.add(message)
    recipients = message_recipients(session, rma, author)
    state_label = compiled_for(session, rma).state(rma.state).label
    excerpt = body if len(body) <= EXCERPT else body[: EXCERPT - 1] + "…"
    queue_notifications(
        session, rma, author, recipients, MESSAGE_TEMPLATE, state_label, {"message": excerpt}
    )
    session.flush()
    return message


def message_recipients(session: Session, rma: Rma, author: User) -> list[User]:
    """The other side of the thread.

    A retailer's message goes to the account's sales rep and to the staff who already
    wrote in the thread, or to the admins when there is nobody yet. Staff messages go to
    the account's retailer users.
    """
    if author.role is Role.RETAILER:
        staff = _active(
            session,
            User.role != Role.RETAILER,
            User.id.in_(select(RmaMessage.author_id).where(RmaMessage.rma_id == rma.id))
            | (User.id == rma.account.sales_rep_id),
        )
        recipients = staff or _active(session, User.role == Role.ADMIN)
    else:
        recipients = _active(session, User.account_id == rma.account_id)
    return [user for user in recipients if user.id != author.id]


def _active(session: Session, *conditions) -> list[User]:
    return list(
        session.scalars(select(User).where(User.is_active.is_(True), *conditions).order_by(User.id))
    )
