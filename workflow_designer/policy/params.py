"""Reading one rule parameter from JSON: a typed value, or the reason it is unusable.

Every reader takes any JSON value and raises only ``BadValue`` with a reason in words,
written to follow the parameter's label ("days must be a whole number").
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from workflow_designer.policy.dates import MonthDayError, Window, month_day_shown, parse_month_day
from workflow_designer.policy.periods import DAYS, MAX_COUNT, UNITS, Period
from workflow_designer.policy.spec import DEFAULT_DISPOSITIONS, GRADE_LABELS, ParamSpec

MAX_WINDOWS = 24
MAX_NAMES = 500


class BadValue(ValueError):
    """The value cannot be used; the message is the reason, following the parameter's name."""


class BadItem(BadValue):
    """A part of the value (a window, a grade) is wrong; the message names the part itself."""


def shown(raw: Any, limit: int = 40) -> str:
    """A short quotable rendering of any JSON value (huge numbers and nesting included)."""
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, bool):
        text = "true" if raw else "false"
    elif isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) > 10**30:
        text = "a very large number"
    else:
        text = {dict: "an object", list: "a list", type(None): "null"}.get(type(raw)) or repr(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


FOUR_PLACES = Decimal("0.0001")


def read_int(spec: ParamSpec, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise BadValue(f"must be a whole number, not '{shown(raw)}'")
    _check_range(spec, raw, str)
    return raw


def read_period(spec: ParamSpec, raw: Any) -> Period:
    """A number of days (the stored form before units existed), or
    ``{"count": 3, "unit": "months"}``; an object without a unit counts days."""
    count, unit = raw, DAYS
    if isinstance(raw, dict):
        for key in raw:
            if key not in ("count", "unit"):
                raise BadValue(f"has an unknown setting '{shown(key)}'")
        count, unit = raw.get("count"), raw.get("unit", DAYS)
        if unit not in MAX_COUNT:
            names = ", ".join(value for value, _ in UNITS[:-1]) + " or " + UNITS[-1][0]
            raise BadValue(f"must be counted in {names}, not '{shown(unit)}'")
    if isinstance(count, bool) or not isinstance(count, int):
        raise BadValue(f"must be a whole number, not '{shown(count)}'")
    low, high = int(spec.minimum or 0), MAX_COUNT[unit]
    if not low <= count <= high:
        raise BadValue(f"must be between {low} and {high} {unit}")
    return Period(count, unit)


def read_decimal(spec: ParamSpec, raw: Any) -> Decimal:
    if isinstance(raw, float):
        # JSON 0.1 is not 0.1 in binary; amounts and percentages travel as text.
        raise BadValue(f'must be written as text, e.g. "{raw}", not as a decimal number')
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise BadValue(f"must be a number, not '{shown(raw)}'")
    try:
        value = Decimal(raw.strip() if isinstance(raw, str) else raw)
    except (InvalidOperation, ValueError):
        raise BadValue(f"must be a number, not '{shown(raw)}'") from None
    if not value.is_finite():
        raise BadValue(f"must be a number, not '{shown(raw)}'")
    _check_range(spec, value, _plain)
    if value and value.adjusted() > 20:  # a spec without a maximum: refused before quantizing
        raise BadValue(f"must be a number, not '{shown(raw)}'")
    # Compared, not normalized: normalize() rounds "1e-999999999" to 0 instead of refusing it.
    if value.quantize(FOUR_PLACES) != value:
        raise BadValue("may have at most 4 decimal places")
    if not value or value.as_tuple().exponent > 0:  # type: ignore[operator]
        # "1E+2" reads as 100 and "0E+999" as 0, so figures and sums stay plain.
        value = value.quantize(Decimal(1))
    return value


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _check_range(spec: ParamSpec, value: Any, show: Callable[[Any], str]) -> None:
    low, high = spec.minimum, spec.maximum
    if low is not None and high is not None and not low <= value <= high:
        raise BadValue(f"must be between {show(low)} and {show(high)}")
    if low is not None and value < low:
        raise BadValue(f"must be at least {show(low)}")
    if high is not None and value > high:
        raise BadValue(f"must be at most {show(high)}")


def read_bool(spec: ParamSpec, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise BadValue(f"must be true or false, not '{shown(raw)}'")
    return raw


def read_choice(spec: ParamSpec, raw: Any) -> str:
    values = [value for value, _ in spec.choices]
    if not isinstance(raw, str) or raw not in values:
        raise BadValue(f"must be one of {', '.join(values)}, not '{shown(raw)}'")
    return raw


def read_multichoice(spec: ParamSpec, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise BadValue(f"must be a list (empty for any), not '{shown(raw)}'")
    if len(raw) > MAX_NAMES:
        raise BadValue(f"may list at most {MAX_NAMES} names")
    values = {value for value, _ in spec.choices}
    names: list[str] = []
    for item in raw:
        if isinstance(item, str) and not item.strip():
            raise BadValue("must not list a blank name")
        if not isinstance(item, str):
            raise BadValue(f"must list names, not '{shown(item)}'")
        if values and item not in values:
            known = ", ".join(v for v, _ in spec.choices)
            raise BadValue(f"must be chosen from {known}, not '{shown(item)}'")
        if item not in names:
            names.append(item)
    return tuple(names)


def read_windows(spec: ParamSpec, raw: Any) -> tuple[Window, ...]:
    if not isinstance(raw, list):
        raise BadValue(f"must be a list of windows, each a start and an end day, not {shown(raw)}")
    if not raw:
        raise BadItem("list at least one window (or switch the rule off)")
    if len(raw) > MAX_WINDOWS:
        raise BadValue(f"may list at most {MAX_WINDOWS} windows")
    return tuple(_read_window(number, item) for number, item in enumerate(raw, start=1))


def _read_window(number: int, raw: Any) -> Window:
    if not isinstance(raw, dict):
        raise BadItem(f"window {number} must have a start and an end day")
    for key in raw:
        if key not in ("start", "end"):
            raise BadItem(f"window {number} has an unknown setting '{shown(key)}'")
    edges = []
    for edge in ("start", "end"):
        if edge not in raw:
            article = "an" if edge == "end" else "a"
            raise BadItem(f"window {number} needs {article} {edge} date")
        try:
            edges.append(parse_month_day(raw[edge]))
        except MonthDayError as error:
            what = month_day_shown(raw[edge]) or f"'{shown(raw[edge])}'"
            raise BadItem(f"window {number} {edge} {what} {error}") from None
    return Window(edges[0], edges[1])


def read_grade_percent(spec: ParamSpec, raw: Any) -> dict[str, Decimal]:
    grades = _grade_map(raw, "percentages")
    percents = {}
    for grade, value in grades.items():
        try:
            percents[grade] = read_decimal(spec, value)
        except BadValue as error:
            raise BadItem(f"the deduction for {GRADE_LABELS[grade]} {error}") from None
    return percents


def read_grade_disposition(spec: ParamSpec, raw: Any) -> dict[str, str]:
    grades = _grade_map(raw, "dispositions")
    values = [value for value, _ in spec.choices]
    dispositions = dict(DEFAULT_DISPOSITIONS)
    for grade, value in grades.items():
        if not isinstance(value, str) or value not in values:
            raise BadItem(
                f"'{shown(value)}' is not a disposition for {GRADE_LABELS[grade]}; "
                f"choose {', '.join(values)}"
            )
        dispositions[grade] = value
    return dispositions


def _grade_map(raw: Any, what: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise BadValue(f"must map grades to {what}, not '{shown(raw)}'")
    for grade in raw:
        if grade not in GRADE_LABELS:
            raise BadItem(f"'{shown(grade)}' is not a grade; grades are {', '.join(GRADE_LABELS)}")
    return raw


READERS: dict[str, Callable[[ParamSpec, Any], Any]] = {
    "int": read_int,
    "period": read_period,
    "decimal": read_decimal,
    "percent": read_decimal,
    "bool": read_bool,
    "choice": read_choice,
    "multichoice": read_multichoice,
    "windows": read_windows,
    "grade_percent": read_grade_percent,
    "grade_disposition": read_grade_disposition,
}
