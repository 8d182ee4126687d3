"""The words policies share: modes, grades, dispositions, and how a rule parameter is
described (``ParamSpec``: its kind, bounds, label and help), declaratively, so the designer
builds its fields and the validator reads values from the same description.

The rules themselves are classes in ``workflow_designer.policy.rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

MODES: tuple[str, ...] = ("blocking", "exception")
GRADES: tuple[tuple[str, str], ...] = (
    ("new", "New"),
    ("open_packaging", "Open packaging"),
    ("used", "Used"),
    ("lightly_damaged", "Lightly damaged"),
    ("heavily_damaged", "Heavily damaged"),
    ("defective", "Defective"),
)
GRADE_LABELS: dict[str, str] = dict(GRADES)
DISPOSITIONS: tuple[tuple[str, str], ...] = (
    ("restock", "Restock as new"),
    ("b_stock", "B-stock"),
    ("refurbish", "Refurbish"),
    ("return_to_manufacturer", "Return to manufacturer"),
    ("scrap", "Scrap"),
)
LIFECYCLES: tuple[tuple[str, str], ...] = (
    ("active", "Active"),
    ("discontinued", "Discontinued"),
    ("clearance", "Clearance"),
)
DATE_BASES: tuple[tuple[str, str], ...] = (
    ("invoice", "Invoice date"),
    ("delivery", "Delivery date"),
)

ParamKind = Literal[
    "int",
    "decimal",
    "percent",
    "choice",
    "multichoice",
    "bool",
    "windows",
    "grade_percent",
    "grade_disposition",
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


def days_param(
    name: str, label: str, help: str = "", required: bool = True, minimum: int = 1
) -> ParamSpec:
    """A number of days, from ``minimum`` up to ten years."""
    return ParamSpec(name, label, "int", help, required, minimum, MAX_DAYS)


def percent_param(
    name: str, label: str, help: str = "", required: bool = True, maximum: int = 100
) -> ParamSpec:
    """A percentage from 0 to ``maximum``."""
    return ParamSpec(name, label, "percent", help, required, Decimal(0), Decimal(maximum))


# Where a grade goes when the return type's policy does not say.
DEFAULT_DISPOSITIONS: dict[str, str] = {
    "new": "restock",
    "open_packaging": "restock",
    "used": "b_stock",
    "lightly_damaged": "refurbish",
    "heavily_damaged": "scrap",
    "defective": "return_to_manufacturer",
}
