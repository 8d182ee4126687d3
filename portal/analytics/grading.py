"""What became of the stock that came back: units per grade and where they went (back
to stock, B-stock, refurbishing, the manufacturer, scrap), by the month they were
inspected, read from ``models.flow_rollups.FlowGradeResult``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import FlowGradeResult, User
from portal.analytics.flow_scope import FlowFilters, scoped
from portal.analytics.period import MonthRange
from portal.analytics.units import percent_of
from workflow_designer.policy.vocabulary import Disposition, Grade


@dataclass
class GradeUnits:
    grade: Grade
    units: dict[Disposition, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.units.values())

    def of(self, disposition: Disposition) -> int:
        return self.units.get(disposition, 0)


@dataclass(frozen=True)
class Grading:
    grades: list[GradeUnits]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.grades)

    @property
    def dispositions(self) -> list[Disposition]:
        return list(Disposition)

    def disposed(self, disposition: Disposition) -> int:
        return sum(row.of(disposition) for row in self.grades)

    def share(self, disposition: Disposition) -> float | None:
        return self.disposed(disposition) / self.total if self.total else None

    def percent(self, disposition: Disposition) -> Decimal | None:
        return percent_of(self.share(disposition))


def grading(session: Session, user: User, period: MonthRange, filters: FlowFilters) -> Grading:
    """Every grade, in the vocabulary's order, with its units per disposition."""
    query = (
        select(
            FlowGradeResult.grade, FlowGradeResult.disposition, func.sum(FlowGradeResult.quantity)
        )
        .where(FlowGradeResult.month.between(period.first, period.last))
        .group_by(FlowGradeResult.grade, FlowGradeResult.disposition)
    )
    query = scoped(query, FlowGradeResult.account_id, FlowGradeResult.return_type_id, user, filters)
    rows = {grade: GradeUnits(grade) for grade in Grade}
    for grade, disposition, units in session.execute(query):
        rows[Grade(grade)].units[Disposition(disposition)] = int(units)
    return Grading(list(rows.values()))
