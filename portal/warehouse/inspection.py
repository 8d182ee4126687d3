"""Grading on the inspection screen: what each grade means for this RMA, and saving one
line's grades with its note and photo. Takes the session and the actor, never commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models import Grade, InspectionResult, Rma, RmaLine, User
from models.base import utcnow
from portal.credits.operations import policy_for
from portal.requests.uploads import StoredFile
from portal.rmas.attachments import new_attachment
from portal.warehouse.operations import ReceivingError, grade_line
from workflow_designer.engine.errors import Conflict
from workflow_designer.engine.firing import TriggerOption
from workflow_designer.policy import DISPOSITIONS
from workflow_designer.policy.credit import disposition_for
from workflow_designer.policy.validation import read_policy
from workflow_designer.runtime.firing import TransitionConflict, options_for

DISPOSITION_LABELS = dict(DISPOSITIONS)
# Grading belongs to the inspection: while the user could finish it, they may grade.
GRADING_TRIGGER = "finish_inspection"


@dataclass(frozen=True)
class GradeRule:
    """What one grade means under the RMA's return type: where the unit goes and how much
    of its invoice value the credit loses."""

    grade: Grade
    disposition: str
    deduction_percent: Decimal

    @property
    def disposition_label(self) -> str:
        return DISPOSITION_LABELS.get(self.disposition, self.disposition)


def grade_rules(rma: Rma) -> list[GradeRule]:
    policy = policy_for(rma)
    rules = read_policy(policy).rules
    deductions = rules["grade_deductions"].params["percent"] if "grade_deductions" in rules else {}
    return [
        GradeRule(g, disposition_for(policy, g.value), Decimal(deductions.get(g.value, 0)))
        for g in Grade
    ]


def restocking_fee_percent(rma: Rma) -> Decimal:
    """The fee every graded unit pays, whatever its grade (the approver's, else the policy's)."""
    rules = read_policy(policy_for(rma)).rules
    return rules["restocking_fee"].params["percent"] if "restocking_fee" in rules else Decimal(0)


def can_grade(options: Sequence[TriggerOption]) -> bool:
    return any(option.trigger == GRADING_TRIGGER for option in options)


class GradingClosed(ReceivingError, Conflict):
    """The RMA is not being inspected (any more): grades can no longer change. A conflict
    (409): the RMA moved on under the page that graded."""


def record_grading(
    session: Session,
    rma: Rma,
    line: RmaLine,
    actor: User,
    counts: Mapping[Grade, int],
    note: str = "",
    photo: StoredFile | None = None,
    now: datetime | None = None,
) -> list[InspectionResult]:
    """Grade ``line`` (replacing its earlier grades); keep its earlier photo unless a new
    one is given. Raises ReceivingError (GradingClosed) or TransitionConflict."""
    if not can_grade(options_for(session, rma, actor)):
        raise GradingClosed(
            _("%(number)s is not being inspected, so its grades cannot change.", number=rma.number)
        )
    earlier_photo = next(
        (r.attachment_id for r in line.inspection_results if r.attachment_id), None
    )
    results = grade_line(session, rma, line, actor, counts, note)
    attachment_id = earlier_photo
    if photo is not None:
        attachment = new_attachment(rma, line, photo, actor)
        session.add(attachment)
        session.flush()
        attachment_id = attachment.id
    for result in results:
        result.attachment_id = attachment_id
    # Bumps the RMA's version: a regrade and a concurrent "finish inspection" (which
    # restocks from the grades) cannot both commit.
    rma.updated_at = now or utcnow()
    try:
        session.flush()
    except StaleDataError:
        raise TransitionConflict(
            _(
                "%(number)s was changed by someone else at the same time. Reload and try again.",
                number=rma.number,
            )
        ) from None
    return results
