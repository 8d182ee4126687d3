"""The policy rules a return type can switch on, with their typed parameters.

``RULES`` is the single declaration the designer builds its editor from, the validator
checks documents against and the evaluator dispatches on. Display order is dict order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from workflow_designer.policy.vocabulary import DEFAULT_DISPOSITIONS as DEFAULT_DISPOSITIONS
from workflow_designer.policy.vocabulary import Disposition, Grade

MODES: tuple[str, ...] = ("blocking", "exception")
GRADES: tuple[tuple[str, str], ...] = tuple((grade.value, grade.label) for grade in Grade)
GRADE_LABELS: dict[str, str] = dict(GRADES)
DISPOSITIONS: tuple[tuple[str, str], ...] = tuple((d.value, d.label) for d in Disposition)
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


@dataclass(frozen=True)
class RuleSpec:
    """A rule: pass/fail rules carry a mode; credit rules never fail and shape the credit."""

    name: str
    label: str
    description: str
    group: Group
    pass_fail: bool
    params: tuple[ParamSpec, ...]

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)


def _days(name: str, label: str, help: str = "", required: bool = True, minimum: int = 1):
    return ParamSpec(name, label, "int", help, required, minimum, MAX_DAYS)


def _percent(name: str, label: str, help: str = "", required: bool = True, maximum: int = 100):
    return ParamSpec(name, label, "percent", help, required, Decimal(0), Decimal(maximum))


_RULE_LIST = (
    RuleSpec(
        "return_window",
        "Return window",
        "Lines may be returned only within a number of days of their invoice or delivery.",
        "common",
        True,
        (
            _days("days", "Days", "How many days after the date below a line may be returned."),
            ParamSpec(
                "from",
                "Counted from",
                "choice",
                "Delivery falls back to the invoice date when no delivery date is known.",
                choices=DATE_BASES,
            ),
        ),
    ),
    RuleSpec(
        "eligible_products",
        "Eligible products",
        "Only products of the listed lifecycles, brands and categories may be returned.",
        "common",
        True,
        (
            ParamSpec(
                "lifecycles",
                "Lifecycles",
                "multichoice",
                "Leave empty to accept any lifecycle.",
                choices=LIFECYCLES,
                choices_source="lifecycles",
            ),
            ParamSpec(
                "brands",
                "Brands",
                "multichoice",
                "Leave empty to accept any brand.",
                choices_source="brands",
            ),
            ParamSpec(
                "categories",
                "Categories",
                "multichoice",
                "Leave empty to accept any category.",
                choices_source="categories",
            ),
        ),
    ),
    RuleSpec(
        "evidence",
        "Evidence",
        "Each line needs photos and/or a description of the problem.",
        "common",
        True,
        (
            ParamSpec("photos", "Photos", "bool", "At least one photo per line."),
            ParamSpec("description", "Description", "bool", "A written description per line."),
        ),
    ),
    RuleSpec(
        "request_size",
        "Request size",
        "Minimum and/or maximum number of units in one request.",
        "rotation",
        True,
        (
            ParamSpec("min_units", "Minimum units", "int", "", False, 1, 100000),
            ParamSpec("max_units", "Maximum units", "int", "", False, 1, 100000),
        ),
    ),
    RuleSpec(
        "allowance",
        "Allowance",
        "Returns in the period may not exceed a percentage of the account's net purchases "
        "invoiced in the same period. Submitted requests count until rejected or cancelled.",
        "rotation",
        True,
        (
            _percent("percent", "Percent of net purchases"),
            _days("period_days", "Period (days)", "The trailing period, e.g. 365."),
        ),
    ),
    RuleSpec(
        "replacement_order",
        "Replacement order",
        "New stock must be ordered with the request, worth at least a ratio of the returned "
        "value and/or a fixed amount; replacement products must be active and in stock.",
        "rotation",
        True,
        (
            _percent(
                "min_ratio_percent",
                "Minimum ratio (% of returned value)",
                "E.g. 100 for an order worth at least what is returned.",
                required=False,
                maximum=1000,
            ),
            ParamSpec(
                "min_amount",
                "Minimum amount",
                "decimal",
                "In the account's currency.",
                False,
                Decimal(0),
                MAX_AMOUNT,
            ),
        ),
    ),
    RuleSpec(
        "purchase_age",
        "Purchase age",
        "Only lines invoiced at least a minimum and at most a maximum number of days ago.",
        "rotation",
        True,
        (
            _days("min_days", "Minimum age (days)", required=False, minimum=0),
            _days("max_days", "Maximum age (days)", required=False, minimum=0),
        ),
    ),
    RuleSpec(
        "calendar_windows",
        "Calendar windows",
        "Requests only inside recurring yearly windows. A window whose end comes before its "
        "start runs over the new year (e.g. 12-01 to 01-31).",
        "rotation",
        True,
        (
            ParamSpec(
                "windows",
                "Windows",
                "windows",
                'Start and end as MM-DD, both days included, e.g. {"start": "01-01", '
                '"end": "02-15"}.',
            ),
        ),
    ),
    RuleSpec(
        "cooldown",
        "Cooldown",
        "A minimum number of days between two submitted requests of this return type.",
        "rotation",
        True,
        (_days("days", "Days"),),
    ),
    RuleSpec(
        "request_frequency",
        "Request frequency",
        "At most a number of submitted requests of this return type in a trailing period.",
        "rotation",
        True,
        (
            ParamSpec("max_requests", "Maximum requests", "int", "", True, 1, 1000),
            _days("period_days", "Period (days)"),
        ),
    ),
    RuleSpec(
        "restocking_fee",
        "Restocking fee",
        "A percentage of the invoice value kept on every returned line.",
        "credit",
        False,
        (_percent("percent", "Fee (%)"),),
    ),
    RuleSpec(
        "grade_deductions",
        "Grade deductions",
        "What each inspection grade deducts from the credit, and where the unit goes.",
        "credit",
        False,
        (
            ParamSpec(
                "percent",
                "Deduction per grade (%)",
                "grade_percent",
                "A grade left out deducts nothing.",
                minimum=Decimal(0),
                maximum=Decimal(100),
                choices=GRADES,
            ),
            ParamSpec(
                "disposition",
                "Disposition per grade",
                "grade_disposition",
                "A grade left out gets the usual disposition.",
                choices=DISPOSITIONS,
            ),
        ),
    ),
    RuleSpec(
        "exchange_bonus",
        "Exchange bonus",
        "A percentage added to the credit when the retailer takes an exchange.",
        "credit",
        False,
        (_percent("percent", "Bonus (%)"),),
    ),
)

RULES: dict[str, RuleSpec] = {rule.name: rule for rule in _RULE_LIST}
