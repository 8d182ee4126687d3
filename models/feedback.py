"""The retailer's answer to the feedback survey of a resolved RMA: a rating, tags, a comment.

One answer per RMA, held to it by a unique key; the retailer may change it for a while
after first answering (``portal.feedback.rules``). Tags are rows of their own, one per
chosen tag, so the database holds each to the vocabulary (a CHECK) and counts them with a
plain GROUP BY on every backend, where a JSON list would need a dialect's own functions.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, str_enum, utcnow
from workflow_designer.policy.words import lazy_gettext as _l

if TYPE_CHECKING:
    from models.account import User
    from models.rma import Rma

MIN_RATING = 1
MAX_RATING = 5
COMMENT_LENGTH = 2000


class FeedbackTag(enum.StrEnum):
    """What went well or badly; stored as it is, never renamed without a migration."""

    QUICK_APPROVAL = "quick_approval"
    CLEAR_INSTRUCTIONS = "clear_instructions"
    FAIR_CREDIT = "fair_credit"
    FAST_CREDIT = "fast_credit"
    HELPFUL_REP = "helpful_rep"
    SLOW_APPROVAL = "slow_approval"
    UNCLEAR_RULES = "unclear_rules"
    LOW_CREDIT = "low_credit"
    SLOW_CREDIT = "slow_credit"
    LABEL_PROBLEMS = "label_problems"

    @property
    def went_well(self) -> bool:
        return self in WENT_WELL

    @property
    def label(self) -> str:
        return str(_TAG_LABELS[self])

    @property
    def lazy_label(self) -> Any:
        return _TAG_LABELS[self]


WENT_WELL = (
    FeedbackTag.QUICK_APPROVAL,
    FeedbackTag.CLEAR_INSTRUCTIONS,
    FeedbackTag.FAIR_CREDIT,
    FeedbackTag.FAST_CREDIT,
    FeedbackTag.HELPFUL_REP,
)
WENT_BADLY = tuple(tag for tag in FeedbackTag if tag not in WENT_WELL)

_TAG_LABELS = {
    FeedbackTag.QUICK_APPROVAL: _l("Quick approval"),
    FeedbackTag.CLEAR_INSTRUCTIONS: _l("Clear instructions"),
    FeedbackTag.FAIR_CREDIT: _l("Fair credit"),
    FeedbackTag.FAST_CREDIT: _l("Fast credit"),
    FeedbackTag.HELPFUL_REP: _l("Helpful sales rep"),
    FeedbackTag.SLOW_APPROVAL: _l("Slow approval"),
    FeedbackTag.UNCLEAR_RULES: _l("Unclear rules"),
    FeedbackTag.LOW_CREDIT: _l("Credit lower than expected"),
    FeedbackTag.SLOW_CREDIT: _l("Slow credit"),
    FeedbackTag.LABEL_PROBLEMS: _l("Problems with the return label"),
}
TAG_LENGTH = 32


class FeedbackAnswer(Base):
    __tablename__ = "feedback_answers"
    __table_args__ = (
        CheckConstraint(f"rating >= {MIN_RATING} AND rating <= {MAX_RATING}", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One answer per RMA: a second first answer fails here, whoever sends it.
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="CASCADE"), unique=True)
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(String(COMMENT_LENGTH), default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The first answer: the window to change it runs from here; the month it counts in.
    created_at: Mapped[CreatedAt] = mapped_column(index=True)
    updated_at: Mapped[CreatedAt] = mapped_column(onupdate=utcnow)

    rma: Mapped[Rma] = relationship()
    answered_by: Mapped[User | None] = relationship()
    tag_rows: Mapped[list[FeedbackAnswerTag]] = relationship(
        back_populates="answer", cascade="all, delete-orphan", order_by="FeedbackAnswerTag.tag"
    )

    @property
    def tags(self) -> list[FeedbackTag]:
        return sorted((row.tag for row in self.tag_rows), key=list(FeedbackTag).index)

    def __repr__(self) -> str:
        return f"<FeedbackAnswer rma {self.rma_id} {self.rating}>"


class FeedbackAnswerTag(Base):
    """One tag an answer chose (each at most once; the enum's CHECK names the vocabulary)."""

    __tablename__ = "feedback_answer_tags"
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_answers.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[FeedbackTag] = mapped_column(
        str_enum(FeedbackTag, "feedback_tag", length=TAG_LENGTH), primary_key=True
    )

    answer: Mapped[FeedbackAnswer] = relationship(back_populates="tag_rows")

    def __repr__(self) -> str:
        return f"<FeedbackAnswerTag {self.answer_id} {self.tag}>"
