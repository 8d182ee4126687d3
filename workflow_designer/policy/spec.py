"""The words policies share: modes, grades, dispositions, and how a rule parameter is
described (``ParamSpec``: its kind, bounds, label and help), declaratively, so the designer
builds its fields and the validator reads values from the same description.

The rules themselves are classes in ``workflow_designer.policy.rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from workflow_designer.policy.vocabulary import DEFAULT_DISPOSITIONS as DEFAULT_DISPOSITIONS
from workflow_designer.policy.vocabulary import Disposition, Grade
from workflow_designer.policy.words import lazy_gettext as _l

MODES: tuple[str, ...] = ("blocking", "exception")
# Labels are lazy: translated when shown, in the reader's language.
GRADES: tuple[tuple[str, str], ...] = tuple((grade.value, grade.lazy_label) for grade in Grade)
GRADE_LABELS: dict[str, str] = dict(GRADES)
DISPOSITIONS: tuple[tuple[str, str], ...] = tuple((d.value, d.lazy_label) for d in Disposition)
LIFECYCLES: tuple[tuple[str, str], ...] = (
    ("active", _l("Active")),
    ("discontinued", _l("Discontinued")),
    ("clearance", _l("Clearance")),
)
DATE_BASES: tuple[tuple[str, str], ...] = (
    ("invoice", _l("Invoice date")),
    ("delivery", _l("Delivery date")),
)

ParamKind = Literal[
    "int",
    "period",
    "decimal",
    "percent",
    "choice",
    "multichoice",
    "bool",
    "windows",
    "grade_percent",
    "grade_disposition",
    "questionnaire",
]
Group = Literal["common", "rotation", "credit"]

# Ten years: no period a distributor would configure is longer, and a bound keeps date
# arithmetic far from date.max whatever a document says.
MAX_DAYS = 3650
MAX_AMOUNT = Decimal("1000000000")


@dataclass(frozen=True)
class ParamSpec:
    """One setting of a rule. ``required=False`` means it may be null (or left out)."""

    name: str
    label: str
    kind: ParamKind
    help: str = ""
    required: bool = True
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    choices: tuple[tuple[str, str], ...] = ()
    choices_source: Literal["lifecycles", "brands", "categories"] | None = None


def period_param(
    name: str, label: str, help: str = "", required: bool = True, minimum: int = 1
) -> ParamSpec:
    """An age or period in days, weeks or calendar months (``policy.periods``), from
    ``minimum`` up to ten years. The name stays what it was when only days were possible
    (``min_days``, ``period_days``), so stored policies keep their keys."""
    return ParamSpec(name, label, "period", help, required, minimum, MAX_DAYS)


def percent_param(
    name: str, label: str, help: str = "", required: bool = True, maximum: int = 100
) -> ParamSpec:
    """A percentage from 0 to ``maximum``."""
    return ParamSpec(name, label, "percent", help, required, Decimal(0), Decimal(maximum))
