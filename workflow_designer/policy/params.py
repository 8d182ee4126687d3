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
from workflow_designer.policy.words import gettext as _

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
        text = _("a very large number")
    elif isinstance(raw, dict):
        text = _("an object")
    elif isinstance(raw, list):
        text = _("a list")
    else:
        text = "null" if raw is None else repr(raw)
    return text if len(text) <= limit else text[: limit - 1] + "…"


FOUR_PLACES = Decimal("0.0001")


def read_int(spec: ParamSpec, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise BadValue(_("must be a whole number, not '%(value)s'", value=shown(raw)))
    _check_range(spec, raw, str)
    return raw


def read_period(spec: ParamSpec, raw: Any) -> Period:
    """A number of days (the stored form before units existed), or
    ``{"count": 3, "unit": "months"}``; an object without a unit counts days."""
    count, unit = raw, DAYS
    if isinstance(raw, dict):
        for key in raw:
            if key not in ("count", "unit"):
                raise BadValue(_("has an unknown setting '%(key)s'", key=shown(key)))
        count, unit = raw.get("count"), raw.get("unit", DAYS)
        if unit not in MAX_COUNT:
            names = ", ".join(value for value, _label in UNITS[:-1])
            raise BadValue(
                _(
                    "must be counted in %(units)s or %(last)s, not '%(value)s'",
                    units=names,
                    last=UNITS[-1][0],
                    value=shown(unit),
                )
            )
    if isinstance(count, bool) or not isinstance(count, int):
        raise BadValue(_("must be a whole number, not '%(value)s'", value=shown(count)))
    low, high = int(spec.minimum or 0), MAX_COUNT[unit]
    if not low <= count <= high:
        words = dict(UNITS)[unit]
        raise BadValue(
            _("must be between %(low)s and %(high)s %(unit)s", low=low, high=high, unit=words)
        )
    return Period(count, unit)


def read_decimal(spec: ParamSpec, raw: Any) -> Decimal:
    if isinstance(raw, float):
        # JSON 0.1 is not 0.1 in binary; amounts and percentages travel as text.
        raise BadValue(
            _('must be written as text, e.g. "%(value)s", not as a decimal number', value=raw)
        )
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise BadValue(_not_a_number(raw))
    try:
        value = Decimal(raw.strip() if isinstance(raw, str) else raw)
    except (InvalidOperation, ValueError):
        raise BadValue(_not_a_number(raw)) from None
    if not value.is_finite():
        raise BadValue(_not_a_number(raw))
    _check_range(spec, value, _plain)
    if value and value.adjusted() > 20:  # a spec without a maximum: refused before quantizing
        raise BadValue(_not_a_number(raw))
    # Compared, not normalized: normalize() rounds "1e-999999999" to 0 instead of refusing it.
    if value.quantize(FOUR_PLACES) != value:
        raise BadValue(_("may have at most 4 decimal places"))
    if not value or value.as_tuple().exponent > 0:  # type: ignore[operator]
        # "1E+2" reads as 100 and "0E+999" as 0, so figures and sums stay plain.
        value = value.quantize(Decimal(1))
    return value


def _not_a_number(raw: Any) -> str:
    return _("must be a number, not '%(value)s'", value=shown(raw))


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _check_range(spec: ParamSpec, value: Any, show: Callable[[Any], str]) -> None:
    low, high = spec.minimum, spec.maximum
    if low is not None and high is not None and not low <= value <= high:
        raise BadValue(_("must be between %(low)s and %(high)s", low=show(low), high=show(high)))
    if low is not None and value < low:
        raise BadValue(_("must be at least %(low)s", low=show(low)))
    if high is not None and value > high:
        raise BadValue(_("must be at most %(high)s", high=show(high)))


def read_bool(spec: ParamSpec, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise BadValue(_("must be true or false, not '%(value)s'", value=shown(raw)))
    return raw


def read_choice(spec: ParamSpec, raw: Any) -> str:
    values = [value for value, _label in spec.choices]
    if not isinstance(raw, str) or raw not in values:
        raise BadValue(
            _(
                "must be one of %(values)s, not '%(value)s'",
                values=", ".join(values),
                value=shown(raw),
            )
        )
    return raw


def read_multichoice(spec: ParamSpec, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise BadValue(_("must be a list (empty for any), not '%(value)s'", value=shown(raw)))
    if len(raw) > MAX_NAMES:
        raise BadValue(_("may list at most %(count)s names", count=MAX_NAMES))
    values = {value for value, _label in spec.choices}
    names: list[str] = []
    for item in raw:
        if isinstance(item, str) and not item.strip():
            raise BadValue(_("must not list a blank name"))
        if not isinstance(item, str):
            raise BadValue(_("must list names, not '%(value)s'", value=shown(item)))
        if values and item not in values:
            known = ", ".join(v for v, _label in spec.choices)
            raise BadValue(
                _(
                    "must be chosen from %(values)s, not '%(value)s'",
                    values=known,
                    value=shown(item),
                )
            )
        if item not in names:
            names.append(item)
    return tuple(names)


def read_windows(spec: ParamSpec, raw: Any) -> tuple[Window, ...]:
    if not isinstance(raw, list):
        raise BadValue(
            _(
                "must be a list of windows, each a start and an end day, not %(value)s",
                value=shown(raw),
            )
        )
    if not raw:
        raise BadItem(_("list at least one window (or switch the rule off)"))
    if len(raw) > MAX_WINDOWS:
        raise BadValue(_("may list at most %(count)s windows", count=MAX_WINDOWS))
    return tuple(_read_window(number, item) for number, item in enumerate(raw, start=1))


def _read_window(number: int, raw: Any) -> Window:
    if not isinstance(raw, dict):
        raise BadItem(_("window %(number)s must have a start and an end day", number=number))
    for key in raw:
        if key not in ("start", "end"):
            raise BadItem(
                _(
                    "window %(number)s has an unknown setting '%(key)s'",
                    number=number,
                    key=shown(key),
                )
            )
    edges = []
    for edge in ("start", "end"):
        if edge not in raw:
            if edge == "end":
                raise BadItem(_("window %(number)s needs an end date", number=number))
            raise BadItem(_("window %(number)s needs a start date", number=number))
        try:
            edges.append(parse_month_day(raw[edge]))
        except MonthDayError as error:
            what = month_day_shown(raw[edge]) or f"'{shown(raw[edge])}'"
            if edge == "end":
                text = _(
                    "window %(number)s end %(day)s %(problem)s",
                    number=number,
                    day=what,
                    problem=error,
                )
            else:
                text = _(
                    "window %(number)s start %(day)s %(problem)s",
                    number=number,
                    day=what,
                    problem=error,
                )
            raise BadItem(text) from None
    return Window(edges[0], edges[1])


def read_grade_percent(spec: ParamSpec, raw: Any) -> dict[str, Decimal]:
    grades = _grade_map(raw, _("percentages"))
    percents = {}
    for grade, value in grades.items():
        try:
            percents[grade] = read_decimal(spec, value)
        except BadValue as error:
            text = _(
                "the deduction for %(grade)s %(problem)s", grade=GRADE_LABELS[grade], problem=error
            )
            raise BadItem(text) from None
    return percents


def read_grade_disposition(spec: ParamSpec, raw: Any) -> dict[str, str]:
    grades = _grade_map(raw, _("dispositions"))
    values = [value for value, _label in spec.choices]
    dispositions = dict(DEFAULT_DISPOSITIONS)
    for grade, value in grades.items():
        if not isinstance(value, str) or value not in values:
            raise BadItem(
                _(
                    "'%(value)s' is not a disposition for %(grade)s; choose %(values)s",
                    value=shown(value),
                    grade=GRADE_LABELS[grade],
                    values=", ".join(values),
                )
            )
        dispositions[grade] = value
    return dispositions


def _grade_map(raw: Any, what: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise BadValue(
            _("must map grades to %(what)s, not '%(value)s'", what=what, value=shown(raw))
        )
    for grade in raw:
        if grade not in GRADE_LABELS:
            raise BadItem(
                _(
                    "'%(value)s' is not a grade; grades are %(grades)s",
                    value=shown(grade),
                    grades=", ".join(GRADE_LABELS),
                )
            )
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
