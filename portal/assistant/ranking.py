"""The rotation assistant's rules: which shelf frames to rotate out, which to take in.

Pure: plain values in, plain values out (no Flask, no session), so the ranking can be
checked on a constructed data set whose right answer is known.

Rotate-out score (higher goes first), the sum of:
- age: years since purchase, capped at 2 (a frame bought two years ago scores 2);
- slow sellers: ``1 / (1 + rate)`` for the network and again for the account's region,
  where a rate is the units invoiced per carrying account in the last 12 months (a frame
  nobody re-orders scores 1 on each, one selling 3 a store scores 0.25);
- lifecycle: discontinued +2, clearance +1 (the collection is being replaced).

Frames outside the rotation policy's purchase age window are listed after the others and
never pre-selected. The pre-selection takes the eligible frames in rank order while their
value fits the allowance left (and at most the request size's maximum units).

Segment and price band: an account's segment is the price band of what it buys, the
unit-weighted median list price of its purchases in the last 12 months; its band runs from
two thirds to one and a half times that median. A replacement suggestion is a network best
seller priced inside the band that the account has not bought in the last 12 months, with
new-grade stock on hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from workflow_designer.policy import words
from workflow_designer.policy.evaluation import evaluate, line_judge
from workflow_designer.policy.request import AccountFacts, PolicyRequest, RequestLine
from workflow_designer.policy.words import gettext as _

# The rules that judge a request whatever its lines.
REQUEST_RULES = ("calendar_windows", "blackout_windows", "cooldown", "request_frequency")
AGE_CAP_YEARS = 2.0
LIFECYCLE_WEIGHT = {"discontinued": 2.0, "clearance": 1.0}
BAND_LOW = Decimal(2) / Decimal(3)
BAND_HIGH = Decimal("1.5")


@dataclass(frozen=True)
class ShelfLine:
    """A frame on the account's shelf: an order line with units still returnable."""

    order_line_id: int
    product_id: int
    sku: str
    brand: str
    model: str
    lifecycle: str
    invoice_date: date
    units: int
    unit_net_price: Decimal
    category: str = ""

    @property
    def value(self) -> Decimal:
        return self.unit_net_price * self.units

    def request_line(self) -> RequestLine:
        """The line as the policy's rules see it."""
        return RequestLine(
            sku=self.sku,
            quantity=self.units,
            unit_net_price=self.unit_net_price,
            invoice_number="",
            invoice_date=self.invoice_date,
            order_line_id=self.order_line_id,
            lifecycle=self.lifecycle,
            brand=self.brand,
            category=self.category,
        )


@dataclass(frozen=True)
class SellThrough:
    """Units invoiced in the last 12 months and the accounts that bought them."""

    units: int = 0
    accounts: int = 0

    @property
    def rate(self) -> float:
        """Units per carrying account (0 when nobody bought it)."""
        return self.units / self.accounts if self.accounts else 0.0


@dataclass(frozen=True)
class RotationLimits:
    """What the rotation policy allows: the purchase age window (days, None: no limit),
    the allowance left (None: no allowance rule) and the request's maximum units."""

    min_age_days: int | None = None
    max_age_days: int | None = None
    allowance_left: Decimal | None = None
    max_units: int | None = None

    def allows_age(self, age_days: int) -> bool:
        if self.min_age_days is not None and age_days < self.min_age_days:
            return False
        return self.max_age_days is None or age_days <= self.max_age_days


@dataclass(frozen=True)
class Candidate:
    line: ShelfLine
    age_days: int
    network: SellThrough
    region: SellThrough
    score: float
    eligible: bool
    chosen: bool
    limits: RotationLimits
    currency: str
    refusal: str | None = None  # why the policy's line rules refuse it, in their words

    @property
    def reason(self) -> str:
        """Put in words when read: the busiest account has thousands of candidates, and
        wording each cost more than ranking them all; the page shows a few dozen."""
        if self.refusal:  # in the policy's words, not the window's again
            return f"{self._reason(RotationLimits())} {self.refusal}"
        return self._reason(self.limits)

    def _reason(self, limits: RotationLimits) -> str:
        return candidate_reason(
            self.line, self.age_days, self.network, self.region, limits, self.currency
        )


@dataclass(frozen=True)
class Offer:
    """A product that may be ordered: new stock on hand and its network sales."""

    product_id: int
    sku: str
    brand: str
    model: str
    colour: str
    list_price: Decimal
    available: int
    network_units: int


@dataclass(frozen=True)
class Suggestion:
    offer: Offer
    reason: str


@dataclass(frozen=True)
class PriceBand:
    median: Decimal
    low: Decimal
    high: Decimal

    def holds(self, price: Decimal) -> bool:
        return self.low <= price <= self.high


def score(age_days: int, lifecycle: str, network: SellThrough, region: SellThrough) -> float:
    """The rotate-out score (see the module's docstring)."""
    age = min(max(age_days, 0) / 365, AGE_CAP_YEARS)
    slow = 1 / (1 + network.rate) + 1 / (1 + region.rate)
    return round(age + slow + LIFECYCLE_WEIGHT.get(lifecycle, 0.0), 6)


def rank_candidates(
    shelf: list[ShelfLine],
    network: dict[int, SellThrough],
    region: dict[int, SellThrough],
    limits: RotationLimits,
    today: date,
    currency: str,
    refused: Mapping[int, str] | None = None,
) -> list[Candidate]:
    """Shelf lines as rotate-out candidates: eligible ones first, each by score (then the
    oldest, then the SKU); the best that fit the allowance pre-selected. ``refused`` maps
    an order line id to why the policy's line rules refuse it (``line_refusals``): such a
    line is not eligible either."""
    refused = refused or {}

    def allowed(line: ShelfLine, age: int) -> bool:
        return limits.allows_age(age) and line.order_line_id not in refused

    scored = []
    for line in shelf:
        age = (today - line.invoice_date).days
        net, reg = (
            network.get(line.product_id, SellThrough()),
            region.get(line.product_id, SellThrough()),
        )
        scored.append((line, age, net, reg, score(age, line.lifecycle, net, reg)))
    scored.sort(key=lambda s: (not allowed(s[0], s[1]), -s[4], -s[1], s[0].sku, s[0].order_line_id))
    left = limits.allowance_left
    units_left = limits.max_units
    ranked = []
    for line, age, net, reg, points in scored:
        eligible = allowed(line, age)
        chosen = (
            eligible
            and (left is None or line.value <= left)
            and (units_left is None or line.units <= units_left)
        )
        if chosen:
            left = None if left is None else left - line.value
            units_left = None if units_left is None else units_left - line.units
        refusal = refused.get(line.order_line_id)
        ranked.append(
            Candidate(line, age, net, reg, points, eligible, chosen, limits, currency, refusal)
        )
    return ranked


def top_candidates(
    shelf: list[ShelfLine],
    network: dict[int, SellThrough],
    region: dict[int, SellThrough],
    limits: RotationLimits,
    today: date,
    currency: str,
    refusal_of: Callable[[ShelfLine], str | None],
    limit: int,
) -> list[Candidate]:
    """The first ``limit`` of ``rank_candidates``, asking the policy (``refusal_of``, see
    ``refusal_judge``) about the frames best score first only until ``limit`` eligible ones
    are found: eligible frames rank first, so the frames not asked about could only come
    after them. The busiest account has thousands of frames; the page shows a few dozen."""
    ordered = sorted(
        shelf,
        key=lambda line: (
            -_score_of(line, network, region, today),
            -(today - line.invoice_date).days,
            line.sku,
            line.order_line_id,
        ),
    )
    asked, refused, eligible = [], {}, 0
    for line in ordered:
        asked.append(line)
        if (refusal := refusal_of(line)) is not None:
            refused[line.order_line_id] = refusal
        elif limits.allows_age((today - line.invoice_date).days):
            eligible += 1
            if eligible == limit:
                break
    return rank_candidates(asked, network, region, limits, today, currency, refused)[:limit]


def _score_of(
    line: ShelfLine, network: dict[int, SellThrough], region: dict[int, SellThrough], today: date
) -> float:
    return score(
        (today - line.invoice_date).days,
        line.lifecycle,
        network.get(line.product_id, SellThrough()),
        region.get(line.product_id, SellThrough()),
    )


def refusal_judge(policy: Any, today: date) -> Callable[[ShelfLine], str | None]:
    """Why the policy's line rules refuse one frame today (as ``line_refusals`` words it),
    None if they take it; the policy read once for all the frames asked about."""
    judge = line_judge(policy, today)

    def refusal_of(line: ShelfLine) -> str | None:
        found = judge(line.request_line())
        return " ".join(f"{issue.message}." for issue in found) if found else None

    return refusal_of


def candidate_reason(
    line: ShelfLine,
    age: int,
    network: SellThrough,
    region: SellThrough,
    limits: RotationLimits,
    currency: str,
) -> str:
    """One sentence with the figures the score was made of."""
    text = _(
        "Bought %(days)s days ago (%(units)s for %(value)s); stores that carry it bought "
        "%(network)s each in the last 12 months across the network, %(region)s in your region.",
        days=age,
        units=line.units,
        value=words.money(line.value, currency),
        network=rate_words(network.rate),
        region=rate_words(region.rate),
    )
    if line.lifecycle == "discontinued":
        text += " " + _("The frame is discontinued.")
    elif line.lifecycle == "clearance":
        text += " " + _("The frame is on clearance.")
    if limits.min_age_days is not None and age < limits.min_age_days:
        text += " " + _(
            "Too recent to rotate: the policy takes frames bought at least %(days)s days ago.",
            days=limits.min_age_days,
        )
    elif limits.max_age_days is not None and age > limits.max_age_days:
        text += " " + _(
            "Too old to rotate: the policy takes frames bought at most %(days)s days ago.",
            days=limits.max_age_days,
        )
    return text


def line_refusals(policy: Any, shelf: list[ShelfLine], today: date) -> dict[int, str]:
    """Order line id → why the policy's line rules (return window, eligible products,
    purchase age) refuse it today, in the rules' own words; lines they take are left out."""
    refusal_of = refusal_judge(policy, today)
    return {line.order_line_id: why for line in shelf if (why := refusal_of(line)) is not None}


def request_blockers(policy: Any, facts: AccountFacts, today: date) -> list[str]:
    """What the policy refuses today whatever the lines (a closed window, a cooldown, too
    many requests), in the rules' own words: a draft built now could not be submitted."""
    evaluation = evaluate(policy, PolicyRequest(today=today, facts=facts))
    return [f.message for f in evaluation.findings if f.rule in REQUEST_RULES and not f.passed]


def rate_words(rate: float) -> str:
    """A rate to one decimal in the reader's language: "3", "0.8", "1,5" in German."""
    return format_decimal(round(rate, 1), format="#,##0.#", locale=words.language())


def price_band(prices: list[tuple[Decimal, int]]) -> PriceBand | None:
    """The band around the unit-weighted median of (list price, units); None if no units."""
    weighted = sorted((price, units) for price, units in prices if units > 0)
    total = sum(units for _price, units in weighted)
    if not total:
        return None
    half, seen = total / 2, 0
    median = weighted[-1][0]
    for price, units in weighted:
        seen += units
        if seen >= half:
            median = price
            break
    return PriceBand(median, (median * BAND_LOW).quantize(Decimal("0.01")), median * BAND_HIGH)


def suggest_replacements(
    offers: list[Offer], band: PriceBand | None, carried: set[int], currency: str, limit: int
) -> list[Suggestion]:
    """Network best sellers in the band that the account does not carry, in stock, best
    first (most units, then SKU), one of each model before a second of any."""
    fitting = [
        offer
        for offer in offers
        if offer.product_id not in carried
        and offer.available > 0
        and (band is None or band.holds(offer.list_price))
    ]
    fitting.sort(key=lambda o: (-o.network_units, o.sku))
    # One colour or size of each model first, so that one model does not fill the list.
    seen: set[tuple[str, str]] = set()
    first: list[Offer] = []
    rest: list[Offer] = []
    for offer in fitting:
        key = (offer.brand, offer.model)
        (rest if key in seen else first).append(offer)
        seen.add(key)
    chosen = (first + rest)[:limit]
    return [Suggestion(offer, suggestion_reason(offer, band, currency)) for offer in chosen]


def suggestion_reason(offer: Offer, band: PriceBand | None, currency: str) -> str:
    text = _(
        "%(units)s units sold across the network in the last 12 months; %(available)s in stock.",
        units=offer.network_units,
        available=offer.available,
    )
    if band is not None:
        text += " " + _(
            "At %(price)s it fits your price band (%(low)s to %(high)s).",
            price=words.money(offer.list_price, currency),
            low=words.money(band.low, currency),
            high=words.money(band.high, currency),
        )
    return text


def replacement_quantities(suggestions: list[Offer], required: Decimal) -> dict[int, int]:
    """Units of each chosen offer, one each round in turn, until the order is worth at least
    ``required`` (or the stock runs out): the smallest order that satisfies the policy."""
    quantities = dict.fromkeys((o.product_id for o in suggestions), 0)
    total = Decimal(0)
    while total < required:
        added = False
        for offer in suggestions:
            if total >= required:
                break
            if quantities[offer.product_id] < offer.available:
                quantities[offer.product_id] += 1
                total += offer.list_price
                added = True
        if not added:
            break
    return {product_id: q for product_id, q in quantities.items() if q > 0}
