"""``load_feedback``: survey answers on a share of the demo's resolved RMAs.

Written after the RMAs, from what was stored: an RMA resolved at least a day before
``today`` is answered by its account's first retailer user with a chance of ``SHARE``, a
few days after it was resolved; ratings lean positive, as they do, and the tags chosen
agree with the rating. The rest stay unanswered, so the retailer's banner shows too.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import FeedbackAnswer, FeedbackAnswerTag, Rma, Role, User
from models.feedback import WENT_BADLY, WENT_WELL
from portal.demo.bulk import reserve_ids, write_rows
from portal.feedback.rules import is_resolved
from workflow_designer.runtime.firing import compiled_versions

SHARE = 0.45
RATING_WEIGHTS = {1: 1, 2: 2, 3: 4, 4: 8, 5: 7}
COMMENTS = (
    "",
    "",
    "",
    "Smooth as always, thank you.",
    "The label was easy to print, the credit took a while.",
    "Please explain the rotation allowance more clearly.",
    "Our rep sorted it out within a day.",
    "Schnelle Abwicklung, gerne wieder.",
    "Avoir reçu rapidement, merci.",
)
ANSWERS = FeedbackAnswer.__table__
TAGS = FeedbackAnswerTag.__table__
ANSWER_COLUMNS = ("id", "rma_id", "rating", "comment", "answered_by_id", "created_at", "updated_at")


def load_feedback(session: Session, seed: int, today: date) -> dict[str, int]:
    rng = random.Random(f"{seed}:feedback")
    now = datetime.combine(today, time(0), UTC)
    answerers = dict(
        session.execute(
            select(User.account_id, User.id)
            .where(User.role == Role.RETAILER)
            .order_by(User.id.desc())
        ).all()
    )  # the lowest id wins: the account's first user
    resolved = _resolved(session, now - timedelta(days=1))
    answers: list[tuple] = []
    tags: list[tuple[int, str]] = []
    first_id = reserve_ids(session, ANSWERS, len(resolved))
    for rma_id, account_id, resolved_at in resolved:
        if rng.random() >= SHARE or account_id not in answerers:
            continue
        rating = rng.choices(list(RATING_WEIGHTS), weights=list(RATING_WEIGHTS.values()))[0]
        moment = min(resolved_at + timedelta(hours=rng.randint(2, 24 * 6)), now)
        answer_id = first_id + len(answers)
        comment = rng.choice(COMMENTS)
        answers.append((answer_id, rma_id, rating, comment, answerers[account_id], moment, moment))
        tags += [(answer_id, tag.value) for tag in _tags(rng, rating)]
    written = write_rows(session, ANSWERS, ANSWER_COLUMNS, answers)
    write_rows(session, TAGS, ("answer_id", "tag"), tags)
    return {"feedback_answers": written}


def _resolved(session: Session, before: datetime) -> list[tuple[int, int, datetime]]:
    """(RMA id, account id, when it was last changed) of the RMAs resolved before ``before``."""
    rows = session.execute(
        select(
            Rma.id,
            Rma.account_id,
            Rma.workflow_version_id,
            Rma.state,
            Rma.resolution,
            Rma.updated_at,
        )
        .where(Rma.updated_at < before)
        .order_by(Rma.id)
    ).all()
    compiled = compiled_versions(session, sorted({row.workflow_version_id for row in rows}))
    return [
        (row.id, row.account_id, row.updated_at)
        for row in rows
        if row.workflow_version_id in compiled
        and is_resolved(compiled[row.workflow_version_id], row.state, row.resolution)
    ]


def _tags(rng: random.Random, rating: int):
    """One to three tags, from the good side for a good rating and the bad for a bad one;
    a middling rating may have one of each."""
    good = rng.sample(WENT_WELL, rng.randint(1, 2)) if rating >= 3 else []
    bad = rng.sample(WENT_BADLY, rng.randint(1, 2)) if rating <= 3 else []
    return sorted(set(good + bad))
