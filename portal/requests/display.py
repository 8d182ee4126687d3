"""How a policy finding's figures are written in the panel: money with its currency,
percentages, dates and counts, under labels a retailer understands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.i18n.formats import format_day
from portal.i18n.formats import money as format_money
from workflow_designer.policy import RULES
from workflow_designer.policy.periods import MAX_COUNT, Period
from workflow_designer.policy.words import percent as format_percent

MONEY = {
    "net_purchases",
    "allowance",
    "previously_used",
    "previously_credited",
    "previously_pending",
    "this_request",
    "used",
    "left",
    "returned_value",
    "required",
    "ordered",
    "shortfall",
    "min_amount",
    "bonus_amount",
}
PERCENT = {"percent", "min_ratio_percent"}
DATES = {"open_until", "next_opens", "last_submitted_on", "next_possible_on"}
LABELS = {
    "net_purchases": _l("Net purchases"),
    "allowance": _l("Allowance"),
    "previously_used": _l("Used before"),
    "previously_credited": _l("Credited before"),
    "previously_pending": _l("Requested before, not yet credited"),
    "this_request": _l("This request"),
    "used": _l("Used with this request"),
    "left": _l("Left"),
    "percent": _l("Percent"),
    "period_days": _l("Period"),
    "units": _l("Units selected"),
    "min_units": _l("Minimum units"),
    "max_units": _l("Maximum units"),
    "returned_value": _l("Returned value"),
    "required": _l("Required order"),
    "ordered": _l("Ordered"),
    "shortfall": _l("Still to order"),
    "min_ratio_percent": _l("Minimum ratio"),
    "min_amount": _l("Minimum amount"),
    "bonus_amount": _l("Bonus amount"),
    "days": _l("Period"),
    "from": _l("Counted from"),
    "lines": _l("Lines"),
    "min_days": _l("Minimum age"),
    "max_days": _l("Maximum age"),
    "open": _l("Open now"),
    "open_until": _l("Open until"),
    "next_opens": _l("Next window opens"),
    "last_submitted_on": _l("Last request"),
    "next_possible_on": _l("Next request possible"),
    "days_since": _l("Days since"),
    "max_requests": _l("Maximum requests"),
    "previous_requests": _l("Requests before"),
    "with_this_request": _l("With this request"),
    "questions": _l("Questions"),
    "unanswered_lines": _l("Lines still to answer"),
}
HIDDEN = {"currency", "includes_this_request", "photos", "description"}
# Ages and periods: a number of days, or {"count": n, "unit": "weeks"|"months"}.
PERIODS = {"period_days", "days", "min_days", "max_days"}


def figure_rows(figures: dict[str, Any], currency: str) -> list[tuple[str, str, str]]:
    """(key, label, text) for each figure worth showing; lists and empty values are left
    out (the finding's message names the lines concerned)."""
    rows = []
    for key, value in figures.items():
        if key in PERIODS and value is not None:
            value = _period_text(value)
        if key in HIDDEN or value is None or isinstance(value, list | dict):
            continue
        rows.append(
            (
                key,
                str(LABELS.get(key, key.replace("_", " ").capitalize())),
                _text(key, value, currency),
            )
        )
    return rows


def _period_text(value: Any) -> Any:
    """A period figure in words ("365 days", "3 months"); anything else as it is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Period(value).words()
    if isinstance(value, dict) and isinstance(value.get("count"), int):
        unit = value.get("unit", "days")
        return Period(value["count"], unit).words() if unit in MAX_COUNT else value
    return value


def _text(key: str, value: Any, currency: str) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key in MONEY or key in PERCENT:
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return format_money(amount, currency) if key in MONEY else format_percent(amount)
    if key in DATES and isinstance(value, str):
        try:
            return format_day(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def without_label(message: str, label: str) -> str:
    """Findings start with their rule's label ("Allowance: …", "Quota : …" in French);
    the panel shows it apart."""
    if not message.startswith(label):
        return message
    rest = message[len(label) :].lstrip("\u00a0\u202f ")
    return rest[2:] if rest.startswith(": ") else message


def money_text(value: Any, currency: str) -> str:
    return _text("required", value, currency)


def is_positive(value: Any) -> bool:
    try:
        return Decimal(str(value)) > 0
    except InvalidOperation:
        return False


def shapes_credit(rule: str) -> bool:
    """Credit rules (restocking fee, grade deductions, exchange bonus) never fail: the
    panel shows them as information, not as a pass."""
    spec = RULES.get(rule)
    return spec is not None and not spec.pass_fail


def flag_requirements(return_type) -> list[str]:
    """What the return type's own flags ask for that its policy does not already say."""
    rule = (return_type.policy or {}).get("evidence")
    by_policy = rule if isinstance(rule, dict) and rule.get("enabled") is True else {}
    sentences = []
    if return_type.requires_photos and by_policy.get("photos") is not True:
        sentences.append(_("Each line needs at least one photo."))
    if return_type.requires_description and by_policy.get("description") is not True:
        sentences.append(_("Each line needs a description of the problem."))
    return sentences


@dataclass(frozen=True)
class PanelSummary:
    """The policy panel in one line, for the bar that stands in for it on a phone and for
    the live region that reads results out: "2 rules fail · allowance 84 % used"."""

    failing: int
    text: str


def panel_summary(checked) -> PanelSummary:
    """How many checks and rules fail (credit rules never do), and how much of the
    rotation allowance this request would use."""
    failing = sum(not check.passed for check in checked.checks) + sum(
        not finding.passed for finding in checked.findings if not shapes_credit(finding.rule)
    )
    if failing == 0:
        parts = [_("All rules pass")]
    else:
        parts = [ngettext("%(num)d rule fails", "%(num)d rules fail", failing)]
    allowance = next((f for f in checked.findings if f.rule == "allowance"), None)
    used = _share_used(allowance.figures) if allowance is not None else None
    if used is not None:
        parts.append(_("allowance %(percent)s used", percent=format_percent(used)))
    return PanelSummary(failing, " · ".join(parts))


def _share_used(figures: dict[str, Any]) -> Decimal | None:
    """Percent of the allowance used with this request, whole; None without an allowance."""
    try:
        allowance, used = Decimal(figures["allowance"]), Decimal(figures["used"])
    except (KeyError, InvalidOperation, TypeError):
        return None
    if not allowance.is_finite() or not used.is_finite() or allowance <= 0:
        return None
    return (used * 100 / allowance).quantize(Decimal(1))


# What the area's templates call (the blueprint's context processor).
DISPLAY_HELPERS: dict[str, Any] = {
    "figure_rows": figure_rows,
    "without_label": without_label,
    "money_text": money_text,
    "is_positive": is_positive,
    "shapes_credit": shapes_credit,
    "flag_requirements": flag_requirements,
    "panel_summary": panel_summary,
}
