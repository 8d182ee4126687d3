"""The assistant's ranking on a constructed shelf whose right answer is worked out by hand
(see each figure's comment), and the replacement suggestions and order sizing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.assistant.ranking import (
    Offer,
    PriceBand,
    RotationLimits,
    SellThrough,
    ShelfLine,
    line_refusals,
    price_band,
    rank_candidates,
    refusal_judge,
    replacement_quantities,
    request_blockers,
    score,
    suggest_replacements,
    top_candidates,
)
from tests.support import rule
from workflow_designer.policy.request import AccountFacts

TODAY = date(2026, 6, 1)
D = Decimal


def line(n: int, age: int, units: int, price: str, lifecycle: str = "active") -> ShelfLine:
    return ShelfLine(
        n, 100 + n, f"SKU-{n}", "Brand", f"Model {n}", lifecycle,
        TODAY - timedelta(days=age), units, D(price),
    )  # fmt: skip


SHELF = [
    line(1, 400, 4, "50.00"),  # 400/365 + 1 + 1 = 3.096, nobody re-orders it
    line(2, 200, 5, "40.00", "discontinued"),  # 0.548 + 1/4 + 1/2 + 2 = 3.298
    line(3, 300, 10, "30.00"),  # 0.822 + 1/5 + 1/5 = 1.222, a good seller
    line(4, 30, 2, "60.00"),  # too recent for the policy (score 2.082)
    line(5, 800, 1, "20.00", "clearance"),  # too old for the policy (score 2 + 2 + 1 = 5)
]
NETWORK = {102: SellThrough(9, 3), 103: SellThrough(8, 2)}
REGION = {102: SellThrough(2, 2), 103: SellThrough(4, 1)}
LIMITS = RotationLimits(min_age_days=90, max_age_days=730, allowance_left=D("450.00"))


def test_scores_are_the_sum_of_age_slow_selling_and_lifecycle():
    assert score(400, "active", SellThrough(), SellThrough()) == pytest.approx(400 / 365 + 2)
    assert score(200, "discontinued", SellThrough(9, 3), SellThrough(2, 2)) == pytest.approx(
        200 / 365 + 0.25 + 0.5 + 2
    )
    assert score(5000, "clearance", SellThrough(), SellThrough()) == pytest.approx(2 + 2 + 1)


def test_the_ranking_of_a_known_shelf():
    ranked = rank_candidates(SHELF, NETWORK, REGION, LIMITS, TODAY, "EUR")
    # Eligible by score, then the frames outside the purchase age window by score.
    assert [c.line.sku for c in ranked] == ["SKU-2", "SKU-1", "SKU-3", "SKU-5", "SKU-4"]
    assert [c.eligible for c in ranked] == [True, True, True, False, False]
    # 200 + 200 fit the 450 left; the 300 of SKU-3 would not; ineligible ones never.
    assert [c.chosen for c in ranked] == [True, True, False, False, False]


def test_the_allowance_and_the_request_size_limit_the_preselection():
    no_room = RotationLimits(min_age_days=90, allowance_left=D("19.99"))  # the cheapest is 20
    assert not any(c.chosen for c in rank_candidates(SHELF, {}, {}, no_room, TODAY, "EUR"))
    few_units = RotationLimits(max_units=5)
    chosen = [
        c.line.sku for c in rank_candidates(SHELF, {}, {}, few_units, TODAY, "EUR") if c.chosen
    ]
    # Without sales figures: SKU-5 (5.0, 1 unit), SKU-2 (4.548, 5 units: 6 > 5, skipped),
    # SKU-1 (3.096, 4 units: 5 in all), then nothing fits.
    assert chosen == ["SKU-5", "SKU-1"]


def test_each_candidate_says_why_with_its_figures():
    by_sku = {c.line.sku: c for c in rank_candidates(SHELF, NETWORK, REGION, LIMITS, TODAY, "EUR")}
    assert by_sku["SKU-2"].reason == (
        "Bought 200 days ago (5 for €200.00); stores that carry it bought 3 each in the last "
        "12 months across the network, 1 in your region. The frame is discontinued."
    )
    assert "Too recent to rotate" in by_sku["SKU-4"].reason
    assert "90 days" in by_sku["SKU-4"].reason
    assert "Too old to rotate" in by_sku["SKU-5"].reason


def test_the_price_band_is_around_the_unit_weighted_median():
    band = price_band([(D("100.00"), 1), (D("60.00"), 3), (D("200.00"), 1)])
    assert band == PriceBand(D("60.00"), D("40.00"), D("90.000"))
    assert price_band([(D("10.00"), 0)]) is None


def offer(n: int, price: str, available: int, units: int) -> Offer:
    return Offer(n, f"NEW-{n}", "Brand", f"Model {n}", "Black", D(price), available, units)


def test_suggestions_are_best_sellers_in_the_band_not_carried_in_stock():
    band = PriceBand(D("60.00"), D("40.00"), D("90.00"))
    offers = [
        offer(1, "80.00", 5, 300),
        offer(2, "95.00", 5, 900),  # above the band
        offer(3, "50.00", 0, 800),  # no stock
        offer(4, "45.00", 2, 500),
        offer(5, "60.00", 9, 700),  # carried already
        offer(6, "40.00", 1, 300),  # ties with 1 on units: by SKU
    ]
    found = suggest_replacements(offers, band, {5}, "EUR", limit=3)
    twins = [
        offer(7, "50.00", 3, 900),
        Offer(8, "NEW-8", "Brand", "Model 7", "Red", D("50"), 3, 800),
    ]
    spread = suggest_replacements([*offers, *twins], band, {5}, "EUR", limit=3)
    assert [s.offer.sku for s in spread] == ["NEW-7", "NEW-4", "NEW-1"]  # NEW-8 is Model 7 too
    assert [s.offer.sku for s in found] == ["NEW-4", "NEW-1", "NEW-6"]
    assert found[0].reason == (
        "500 units sold across the network in the last 12 months; 2 in stock. "
        "At €45.00 it fits your price band (€40.00 to €90.00)."
    )


def test_the_replacement_order_is_the_smallest_that_meets_the_minimum():
    offers = [offer(1, "30.00", 10, 0), offer(2, "50.00", 10, 0)]
    # 30 + 50, 60 + 100, then 90 + 100 = 190 >= 170.
    assert replacement_quantities(offers, D("170")) == {1: 3, 2: 2}
    # The stock of one runs out: the other takes the rest.
    assert replacement_quantities(
        [offer(1, "30.00", 1, 0), offer(2, "50.00", 10, 0)], D("200")
    ) == {1: 1, 2: 4}
    # Not enough stock in all: as much as there is.
    assert replacement_quantities([offer(1, "30.00", 2, 0)], D("500")) == {1: 2}
    assert replacement_quantities(offers, D("0")) == {}


def test_the_policys_line_rules_refuse_lines_in_their_own_words():
    policy = {
        "eligible_products": rule(lifecycles=["active"], brands=[], categories=[]),
        "purchase_age": rule(min_days=90, max_days=None),
    }
    refused = line_refusals(policy, SHELF, TODAY)
    assert sorted(refused) == [2, 4, 5]  # discontinued, too recent, clearance
    assert "Purchase age" in refused[4]
    ranked = rank_candidates(SHELF, NETWORK, REGION, RotationLimits(), TODAY, "EUR", refused)
    assert [(c.line.sku, c.eligible) for c in ranked][:2] == [("SKU-1", True), ("SKU-3", True)]
    assert ranked[2].line.sku == "SKU-5" and refused[5] in ranked[2].reason


def test_rules_that_judge_the_request_itself_are_reported():
    window = {"start": "01-01", "end": "01-31"}
    policy = {"calendar_windows": rule(windows=[window])}
    assert request_blockers(policy, AccountFacts(), TODAY) == [
        "Window: closed; next window opens 1 Jan"
    ]
    assert request_blockers(policy, AccountFacts(), date(2026, 1, 15)) == []


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 10])
@pytest.mark.parametrize("limits", [RotationLimits(), RotationLimits(90, 500, D("300"), 6)])
def test_the_top_candidates_are_the_ranking_s_first_asking_the_policy_about_fewer(limit, limits):
    policy = {
        "eligible_products": rule(lifecycles=["active"], brands=[], categories=[]),
        "purchase_age": rule(min_days=90, max_days=None),
    }
    refused = line_refusals(policy, SHELF, TODAY)
    ranked = rank_candidates(SHELF, NETWORK, REGION, limits, TODAY, "EUR", refused)
    asked = []
    judge = refusal_judge(policy, TODAY)

    def refusal_of(shelf_line):
        asked.append(shelf_line.sku)
        return judge(shelf_line)

    top = top_candidates(SHELF, NETWORK, REGION, limits, TODAY, "EUR", refusal_of, limit)
    assert [(c.line.sku, c.eligible, c.chosen, c.reason) for c in top] == [
        (c.line.sku, c.eligible, c.chosen, c.reason) for c in ranked[:limit]
    ]
    if limit == 1:
        assert len(asked) < len(SHELF)
