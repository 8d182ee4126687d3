"""Writing survey answers and the invitation to answer. Operations never commit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import (
    FeedbackAnswer,
    FeedbackAnswerTag,
    FeedbackTag,
    OutboxMessage,
    Rma,
    Role,
    User,
)
from portal.feedback.queries import answer_for
from portal.feedback.rules import asks_feedback, can_change, change_deadline, may_answer
from portal.i18n.formats import format_moment
from workflow_designer.engine.compiler import CompiledWorkflow
from workflow_designer.engine.errors import Conflict, Refusal
from workflow_designer.runtime.firing import compiled_for
from workflow_designer.runtime.outbox import notification_payload, write_messages

INVITATION = "feedback_invitation"


class SurveyRefused(Refusal):
    """The answer cannot be given or changed now; the message says why."""


class SurveyConflict(Conflict):
    """Another first answer to the same RMA was saved at the same moment."""


@dataclass(frozen=True)
class Response:
    """What the retailer answered: a rating of 1 to 5, tags, a comment."""

    rating: int
    tags: frozenset[FeedbackTag]
    comment: str


def answer_survey(
    session: Session, rma: Rma, user: User, response: Response, now: datetime
) -> FeedbackAnswer:
    """Record ``user``'s answer about ``rma``, or change the one answer it has while its
    window is open. The RMA row is locked first, so two answers sent at once are written
    one after the other: the second finds the first and changes it."""
    if not may_answer(user, rma):
        raise SurveyRefused(_("Only the retailer's own users answer the survey."), status=403)
    if not asks_feedback(compiled_for(session, rma), rma):
        raise SurveyRefused(
            _("%(number)s is not resolved yet: the survey opens when it is.", number=rma.number)
        )
    session.execute(select(Rma.id).where(Rma.id == rma.id).with_for_update())
    answer = answer_for(session, rma, fresh=True)
    if answer is None:
        return _first_answer(session, rma, user, response, now)
    if not can_change(answer, now):
        raise SurveyRefused(
            _(
                "Your answer about %(number)s can no longer be changed: answers can be "
                "changed for 14 days, and that ended on %(deadline)s.",
                number=rma.number,
                deadline=format_moment(change_deadline(answer)),
            )
        )
    _fill(answer, user, response)
    answer.updated_at = now
    session.flush()
    return answer


def _first_answer(
    session: Session, rma: Rma, user: User, response: Response, now: datetime
) -> FeedbackAnswer:
    answer = FeedbackAnswer(rma_id=rma.id, created_at=now, updated_at=now)
    _fill(answer, user, response)
    try:
        with session.begin_nested():  # SQLite takes no row lock: the unique key decides
            session.add(answer)
            session.flush()
    except IntegrityError:
        raise SurveyConflict(
            _(
                "An answer about %(number)s was saved at the same moment. Reload the page "
                "to see it; you can still change it.",
                number=rma.number,
            )
        ) from None
    return answer


def _fill(answer: FeedbackAnswer, user: User, response: Response) -> None:
    answer.rating = response.rating
    answer.comment = response.comment
    answer.answered_by_id = user.id
    kept = [row for row in answer.tag_rows if row.tag in response.tags]
    known = {row.tag for row in kept}
    added = [FeedbackAnswerTag(tag=tag) for tag in sorted(response.tags - known)]
    answer.tag_rows = kept + added


def invite_to_survey(
    session: Session, rma: Rma, actor: User | None, compiled: CompiledWorkflow
) -> list[OutboxMessage]:
    """Ask the account's retailer users (an e-mail and an in-app notice each) once the RMA
    is resolved: once per RMA, whichever resolved state it reaches first."""
    if not asks_feedback(compiled, rma) or _invited(session, rma):
        return []
    recipients = _retailer_users(session, rma)
    actor_name = actor.name if actor else "Rotaflow"
    payload = notification_payload(rma, actor_name, compiled.state(rma.state).label)
    return write_messages(session, rma, recipients, INVITATION, payload)


def _invited(session: Session, rma: Rma) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(OutboxMessage.rma_id == rma.id, OutboxMessage.template == INVITATION)
            )
        )
    )


def _retailer_users(session: Session, rma: Rma) -> Iterable[User]:
    return list(
        session.scalars(
            select(User)
            .where(
                User.account_id == rma.account_id,
                User.role == Role.RETAILER,
                User.is_active.is_(True),
            )
            .order_by(User.id)
        )
    )
