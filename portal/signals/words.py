"""A risk signal in words: its short label and the one sentence that says why, with its
figures, in the reader's language (written when shown, never stored)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal.i18n.formats import format_day, money, number, percent
from portal.signals import rules
from portal.signals.rules import Signal
from workflow_designer.policy.dates import period_words

LABELS = {
    rules.RETURN_RATE: _l("High return rate"),
    rules.REPEAT_SKU: _l("Same SKU returned again"),
    rules.CONDITION_MISMATCH: _l("Condition not as stated"),
    rules.OVER_RECEIPT: _l("More units than authorized"),
    rules.EXCEPTIONS: _l("Many exceptions"),
    rules.ROTATION_RUSH: _l("Allowance used at once"),
}


@dataclass(frozen=True)
class ShownSignal:
    code: str
    label: str
    sentence: str


def _pct(value: Any) -> str:
    return percent(Decimal(str(value)), 1)


def _return_rate(f: Mapping[str, Any]) -> str:
    return _(
        "Returned %(rate)s of purchases in the last %(period)s (%(returned)s of "
        "%(purchased)s); %(below)s of accounts return less, and %(percentile)s return at "
        "most %(limit)s.",
        rate=_pct(f["rate"]),
        period=period_words(int(f["period_days"])),
        returned=money(f["returned"], f["currency"]),
        purchased=money(f["purchased"], f["currency"]),
        below=_pct(f["share_below"]),
        percentile=percent(int(f["percentile"])),
        limit=_pct(f["percentile_rate"]),
    )


def _repeat_sku(f: Mapping[str, Any]) -> str:
    others = int(f["skus"]) - 1
    first = _(
        "SKU %(sku)s was returned on %(times)s RMAs in the last %(period)s.",
        sku=f["sku"],
        times=number(int(f["times"])),
        period=period_words(int(f["period_days"])),
    )
    if not others:
        return first
    more = ngettext(
        "%(num)d other SKU was returned as often.",
        "%(num)d other SKUs were returned as often.",
        others,
    )
    return f"{first} {more}"


def _mismatch(f: Mapping[str, Any]) -> str:
    return ngettext(
        "%(num)d line was graded worse than its stated condition at inspection "
        "(of %(inspected)s graded in the last %(period)s).",
        "%(num)d lines were graded worse than their stated condition at inspection "
        "(of %(inspected)s graded in the last %(period)s).",
        int(f["lines"]),
        inspected=number(int(f["inspected"])),
        period=period_words(int(f["period_days"])),
    )


def _over_receipt(f: Mapping[str, Any]) -> str:
    return ngettext(
        "%(num)d line arrived with more units than authorized in the last %(period)s "
        "(units over: %(units)s).",
        "%(num)d lines arrived with more units than authorized in the last %(period)s "
        "(units over: %(units)s).",
        int(f["lines"]),
        units=number(int(f["units"])),
        period=period_words(int(f["period_days"])),
    )


def _exceptions(f: Mapping[str, Any]) -> str:
    return ngettext(
        "%(num)d exception requested in the last %(period)s; %(approved)s approved (%(share)s).",
        "%(num)d exceptions requested in the last %(period)s; %(approved)s approved (%(share)s).",
        int(f["requested"]),
        approved=number(int(f["approved"])),
        share=_pct(f["approved_share"]),
        period=period_words(int(f["period_days"])),
    )


def _rotation_rush(f: Mapping[str, Any]) -> str:
    return ngettext(
        "%(num)d rotation used %(used)s of the allowance (%(value)s of %(allowance)s) "
        "within %(days)s days of the window opening on %(opened)s.",
        "%(num)d rotations used %(used)s of the allowance (%(value)s of %(allowance)s) "
        "within %(days)s days of the window opening on %(opened)s.",
        int(f["rotations"]),
        used=_pct(f["used"]),
        value=money(f["value"], f["currency"]),
        allowance=money(f["allowance"], f["currency"]),
        days=number(int(f["days"])),
        opened=format_day(date.fromisoformat(f["opened"])),
    )


SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    rules.RETURN_RATE: _return_rate,
    rules.REPEAT_SKU: _repeat_sku,
    rules.CONDITION_MISMATCH: _mismatch,
    rules.OVER_RECEIPT: _over_receipt,
    rules.EXCEPTIONS: _exceptions,
    rules.ROTATION_RUSH: _rotation_rush,
}


def label(code: str) -> str:
    return str(LABELS.get(code, code))


def sentence(code: str, figures: Mapping[str, Any]) -> str:
    """Why the signal fired, in one sentence; "" for a code or figures this build does
    not know (a digest queued by an older build)."""
    write = SENTENCES.get(code)
    if write is None:
        return ""
    try:
        return write(figures)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return ""


def shown(signals: Iterable[Signal]) -> list[ShownSignal]:
    return [ShownSignal(s.code, label(s.code), sentence(s.code, s.figures)) for s in signals]


def shown_by_account(found: Mapping[int, Iterable[Signal]]) -> dict[int, list[ShownSignal]]:
    return {account_id: shown(signals) for account_id, signals in found.items()}
