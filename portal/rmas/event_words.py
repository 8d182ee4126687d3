"""What the product itself wrote into an RMA's event log, said in the reader's language.

Events written outside the workflow (receipt and grading corrections, held units, credit
documents, refunds, an overdue approval) keep their facts in ``data`` as codes and
numbers. Their stored ``label`` and comment are English, for the log's other readers; the
timeline says them again from the facts, so a German admin reads German whoever caused
the event. A person's own comment stays as they wrote it. An event whose facts are older
than these words (no such keys) is shown as it was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from models import HeldDecision
from portal.credits.forms import METHOD_LABELS
from portal.i18n.formats import format_day, format_moment
from workflow_designer.policy.vocabulary import Grade
from workflow_designer.runtime.sla import ESCALATION_TRIGGER

Facts = Mapping[str, Any]

# One whole sentence per decision: a decision's name is not glued into another sentence.
HELD_DECIDED = {
    HeldDecision.RETURN_TO_SENDER.value: _l(
        "Held units: return to sender — %(sku)s × %(quantity)s"
    ),
    HeldDecision.DISPOSE.value: _l("Held units: dispose — %(sku)s × %(quantity)s"),
}
DOCUMENT_ISSUED = {
    "credit_memo": _l("Credit memo %(number)s issued"),
    "adjustment": _l("Credit adjustment %(number)s issued"),
    "reversal": _l("Reversal %(number)s issued"),
}


def correction_words(data: Facts) -> str:
    """A receipt or grading correction: what changed, old → new."""
    changes = "; ".join(_correction_parts(data))
    if data.get("received"):
        return _("Receipt corrected: %(sku)s %(changes)s", sku=data["sku"], changes=changes)
    return _("Grading corrected: %(sku)s %(changes)s", sku=data["sku"], changes=changes)


def _correction_parts(data: Facts) -> list[str]:
    parts = []
    if received := data.get("received"):
        parts.append(_("received %(old)s → %(new)s", old=received["from"], new=received["to"]))
    grades = data.get("grades")
    if grades and grades["from"] != grades["to"]:
        old, new = grade_counts(grades["from"]), grade_counts(grades["to"])
        parts.append(_("grades %(old)s → %(new)s", old=old, new=new))
    if stock := data.get("stock"):
        parts.append(_("stock %(moves)s", moves=", ".join(_move(g, n) for g, n in stock.items())))
    if short := data.get("stock_not_found"):
        units = ", ".join(f"{n} {Grade(g).phrase}" for g, n in short.items())
        parts.append(_("not in stock any more: %(units)s", units=units))
    return parts


def grade_counts(counts: Mapping[str, int]) -> str:
    """``3 × new, 1 × used`` in the reader's words; "none" for no units."""
    return ", ".join(f"{n} × {Grade(g).phrase}" for g, n in counts.items()) or _("none")


def _move(grade: str, units: int) -> str:
    return f"{'+' if units > 0 else '−'}{abs(units)} {Grade(grade).phrase}"


def _held_decided(data: Facts) -> str | None:
    sentence = HELD_DECIDED.get(str(data.get("decision")))
    if sentence is None or "sku" not in data:
        return None
    return str(sentence) % {"sku": data["sku"], "quantity": data.get("quantity", "")}


def _held_shipped(data: Facts) -> str | None:
    if "sku" not in data:
        return None
    return _(
        "Held units shipped back to the sender — %(sku)s × %(quantity)s",
        sku=data["sku"],
        quantity=data.get("quantity", ""),
    )


def _correction(data: Facts) -> str | None:
    return correction_words(data) if "sku" in data else None


def _refund(data: Facts) -> str | None:
    return _("Refund %(number)s recorded", number=data["refund"]) if "refund" in data else None


# The triggers the product writes outside the workflow (portal.warehouse.held,
# portal.warehouse.corrections, portal.credits.documents).
WHAT: dict[str, Callable[[Facts], str | None]] = {
    "decide_held": _held_decided,
    "ship_held": _held_shipped,
    "correct_receipt": _correction,
    "correct_grading": _correction,
    "refund_recorded": _refund,
}


def what(trigger: str, data: Facts | None) -> str | None:
    """The event's line in the reader's language, or None when it is not one of these."""
    data = data or {}
    if trigger.endswith("_issued") and trigger[: -len("_issued")] in DOCUMENT_ISSUED:
        kind = trigger[: -len("_issued")]
        return str(DOCUMENT_ISSUED[kind]) % {"number": data["memo"]} if "memo" in data else None
    words = WHAT.get(trigger)
    return words(data) if words is not None else None


def comment(trigger: str, data: Facts | None) -> str | None:
    """A comment the product wrote (not a person), in the reader's language; else None."""
    data = data or {}
    if trigger == ESCALATION_TRIGGER and data.get("overdue_since"):
        return _escalation(data)
    if trigger == "refund_recorded" and "method" in data:
        return _payout(data)
    return None


def _escalation(data: Facts) -> str:
    moment = datetime.fromisoformat(data["overdue_since"])
    since = format_moment(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    if data.get("to_step"):
        return _(
            "Approval overdue since %(since)s; escalated to step %(step)s's approver.",
            since=since,
            step=data["to_step"],
        )
    return _("Approval overdue since %(since)s; escalated to the admins.", since=since)


def _payout(data: Facts) -> str:
    return _(
        "%(method)s, reference %(reference)s, paid on %(day)s",
        method=METHOD_LABELS.get(data["method"], data["method"]),
        reference=data.get("reference", ""),
        day=format_day(date.fromisoformat(data["paid_on"])),
    )


def stored_label(trigger: str, data: Facts) -> str:
    """The event's line as the log stores it: in English, whoever wrote it (exports and the
    API read the stored label; pages say it again in their reader's language)."""
    with force_locale("en"):
        return what(trigger, data) or ""
