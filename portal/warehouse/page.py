"""Everything the warehouse view of one RMA shows, gathered in a fixed number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import get_translations, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import Grade, Rma, RmaAttachment, RmaEvent, RmaLine, UnexpectedItem, User
from portal.credits.claims import ClaimComparison, claim_comparisons
from portal.warehouse import queries
from portal.warehouse.corrections import can_correct, is_resolved
from portal.warehouse.held import HeldUnits, held_on
from portal.warehouse.inspection import (
    DISPOSITION_LABELS,
    GradeRule,
    can_grade,
    grade_rules,
    restocking_fee_percent,
)
from portal.warehouse.operations import stocked_by_grade
from workflow_designer.engine.firing import TriggerOption
from workflow_designer.runtime.firing import compiled_for, options_for

RECEIVE = "receive"
# A message's placeholder: %(name)s or %(name)d.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# The buttons of the warehouse view, in the order work happens. Receiving has its own form
# (it needs quantities); everything else on an RMA belongs to the RMA page.
ACTIONS = ("start_inspection", "finish_inspection", "return_to_retailer", "ship_back")


@dataclass(frozen=True)
class LineStatus:
    """How what arrived compares with what was authorized."""

    expected: int
    received: int

    @property
    def difference(self) -> int:
        return self.received - self.expected

    @property
    def kind(self) -> str:
        return "short" if self.difference < 0 else "over" if self.difference > 0 else "ok"

    @property
    def words(self) -> str:
        if self.difference < 0:
            return _("Short by %(count)s", count=-self.difference)
        if self.difference > 0:
            return _("Over by %(count)s", count=self.difference)
        return _("As authorized")


@dataclass(frozen=True)
class WarehouseRma:
    rma: Rma
    state_label: str
    final: bool
    lines: list[RmaLine]
    unexpected: list[UnexpectedItem]
    receipt: RmaEvent | None
    options: list[TriggerOption]
    rules: list[GradeRule]
    restocking_fee: Decimal
    photos: dict[int, RmaAttachment]
    correctable: bool
    # Resolved: a correction now also issues a credit adjustment (admins only).
    resolved: bool
    held: list[HeldUnits]
    # Per graded line: the condition the retailer claimed against the grades found.
    claims: dict[int, ClaimComparison] = field(default_factory=dict)

    def option(self, trigger: str) -> TriggerOption | None:
        return next((o for o in self.options if o.trigger == trigger), None)

    @property
    def can_receive(self) -> bool:
        option = self.option(RECEIVE)
        return option is not None and option.available

    @property
    def grading(self) -> bool:
        return can_grade(self.options)

    @property
    def actions(self) -> list[TriggerOption]:
        """Warehouse actions the user may take; unavailable ones only when they explain
        what is missing (finishing an inspection with lines left to grade)."""
        return [
            o
            for o in self.options
            if o.trigger in ACTIONS and (o.available or o.trigger == "finish_inspection")
        ]

    def status(self, line: RmaLine) -> LineStatus:
        return LineStatus(line.quantity_authorized, line.quantity_received)

    @property
    def flagged(self) -> list[RmaLine]:
        return [line for line in self.lines if line.has_discrepancy]

    def counts(self, line: RmaLine) -> dict[Grade, int]:
        return {r.grade: r.quantity for r in line.inspection_results}

    def photo(self, line: RmaLine) -> RmaAttachment | None:
        ids = [r.attachment_id for r in line.inspection_results if r.attachment_id]
        return self.photos.get(ids[0]) if ids else None

    def note(self, line: RmaLine) -> str:
        return next((r.note for r in line.inspection_results if r.note), "")

    def disposition_label(self, disposition: str | None) -> str:
        return DISPOSITION_LABELS.get(disposition or "", disposition or "")

    def rule(self, grade: Grade) -> GradeRule:
        return next(rule for rule in self.rules if rule.grade is grade)

    @property
    def ungraded(self) -> list[RmaLine]:
        return [li for li in self.lines if li.quantity_accepted and not li.inspection_results]


def stocked_units(lines: list[RmaLine]) -> dict[Grade, int]:
    """Units per grade that finishing the inspection puts into stock."""
    units: dict[Grade, int] = {}
    for line in lines:
        for grade, n in stocked_by_grade(line.inspection_results).items():
            units[grade] = units.get(grade, 0) + n
    return units


def build_view(session: Session, user: User, rma: Rma) -> WarehouseRma:
    compiled = compiled_for(session, rma)
    state = compiled.state(rma.state)
    lines = queries.receiving_lines(session, rma)
    attachment_ids = [r.attachment_id for line in lines for r in line.inspection_results]
    unexpected = queries.unexpected_items(session, rma)
    receipt = _last_receipt(session, rma)
    resolved = receipt is not None and is_resolved(session, rma)
    return WarehouseRma(
        rma=rma,
        state_label=state.label,
        final=state.final,
        lines=lines,
        unexpected=unexpected,
        receipt=receipt,
        options=options_for(session, rma, user),
        rules=grade_rules(rma),
        restocking_fee=restocking_fee_percent(rma),
        photos=queries.attachments_by_id(session, rma, attachment_ids),
        correctable=can_correct(session, user, rma, receipt is not None, resolved),
        resolved=resolved,
        held=held_on(lines, unexpected),
        claims=claim_comparisons(rma, lines),
    )


def _last_receipt(session: Session, rma: Rma) -> RmaEvent | None:
    return session.scalar(
        select(RmaEvent)
        .where(RmaEvent.rma_id == rma.id, RmaEvent.trigger == RECEIVE)
        .options(joinedload(RmaEvent.actor))
        .order_by(RmaEvent.id.desc())
        .limit(1)
    )


def flag_summary(short: list[str], over: list[str], unexpected: int, missing: int) -> str:
    """What receiving will flag, in words (warehouse.js writes the same words live)."""
    if missing:
        return _("Enter the received quantity of every line (0 if none arrived).")
    parts = []
    if short:
        parts.append(
            ngettext(
                "%(num)d line short (%(which)s)",
                "%(num)d lines short (%(which)s)",
                len(short),
                which="; ".join(short),
            )
        )
    if over:
        parts.append(
            ngettext(
                "%(num)d line over (%(which)s)",
                "%(num)d lines over (%(which)s)",
                len(over),
                which="; ".join(over),
            )
        )
    if unexpected:
        parts.append(ngettext("%(num)d unexpected item", "%(num)d unexpected items", unexpected))
    if not parts:
        return _("Everything as authorized: nothing will be flagged.")
    return _("Will be flagged: %(parts)s.", parts=", ".join(parts))


def remaining_words(graded: int, received: int) -> str:
    """The grading counter (warehouse.js writes the same words live)."""
    if graded == received:
        return _("All %(received)s received units graded.", received=received)
    if graded < received:
        return _(
            "%(graded)s of %(received)s graded: %(left)s left.",
            graded=graded,
            received=received,
            left=received - graded,
        )
    return _(
        "%(graded)s of %(received)s graded: %(extra)s too many.",
        graded=graded,
        received=received,
        extra=graded - received,
    )


# What warehouse.js writes while staff type: the messages above, with {name} where a value
# goes. Counted messages as name_one and name_other: every language the portal speaks says
# a count above zero in one of those two forms.
LIVE_MESSAGES = {
    "enter_number": "Enter a number",
    "short_by": "Short by %(count)s",
    "over_by": "Over by %(count)s",
    "as_authorized": "As authorized",
    "missing": "Enter the received quantity of every line (0 if none arrived).",
    "line_of": "%(sku)s: %(received)s of %(expected)s",
    "nothing_flagged": "Everything as authorized: nothing will be flagged.",
    "flagged": "Will be flagged: %(parts)s.",
    "all_graded": "All %(received)s received units graded.",
    "left": "%(graded)s of %(received)s graded: %(left)s left.",
    "too_many": "%(graded)s of %(received)s graded: %(extra)s too many.",
}
LIVE_COUNTED = {
    "short": ("%(num)d line short (%(which)s)", "%(num)d lines short (%(which)s)"),
    "over": ("%(num)d line over (%(which)s)", "%(num)d lines over (%(which)s)"),
    "unexpected": ("%(num)d unexpected item", "%(num)d unexpected items"),
}


def live_words() -> dict[str, str]:
    """LIVE_MESSAGES and LIVE_COUNTED in the reader's language, for warehouse.js to fill:
    so the page reads the same before and after a keystroke."""
    catalog = get_translations()
    words = {key: catalog.gettext(message) for key, message in LIVE_MESSAGES.items()}
    for key, (one, other) in LIVE_COUNTED.items():
        words[f"{key}_one"] = catalog.ngettext(one, other, 1)
        words[f"{key}_other"] = catalog.ngettext(one, other, 2)
    return {key: PLACEHOLDER.sub(r"{\1}", text) for key, text in words.items()}


@dataclass(frozen=True)
class ReceiptPreview:
    """The receiving form's rows checked against the authorized quantities."""

    statuses: dict[int, LineStatus | None]
    summary: str

    def status(self, line: RmaLine) -> LineStatus | None:
        return self.statuses.get(line.id)


def preview_receipt(lines: list[RmaLine], received: dict[int, int | None], unexpected: int):
    statuses = {
        line.id: None
        if received.get(line.id) is None
        else LineStatus(line.quantity_authorized, received[line.id])
        for line in lines
    }
    short, over = [], []
    for line in lines:
        status = statuses[line.id]
        if status is not None and status.kind != "ok":
            words = _(
                "%(sku)s: %(received)s of %(expected)s",
                sku=sku_of(line),
                received=status.received,
                expected=status.expected,
            )
            (short if status.kind == "short" else over).append(words)
    missing = sum(1 for status in statuses.values() if status is None)
    return ReceiptPreview(statuses, flag_summary(short, over, unexpected, missing))


def sku_of(line: RmaLine) -> str:
    return line.order_line.product.sku if line.order_line else _("line %(id)s", id=line.id)
