"""The facts queries against the hand-computed network of ``dataset``, and their scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.signals import rules
from portal.signals.queries import account_facts, network, signals_for_accounts
from portal.signals.rules import Rush, Thresholds
from tests.portal.signals.dataset import TODAY, build

D = Decimal
LOW_PERCENTILE = Thresholds(return_rate_percentile=50)


@pytest.fixture
def net(app, db_session):
    built = build(db_session)
    with app.app_context():
        yield built


def test_facts_of_an_account_match_the_hand_computed_figures(db_session, net):
    (facts,) = account_facts(db_session, net.admin, [net.a.id], TODAY, Thresholds())
    assert facts.purchased == D("1500.00")
    assert facts.returned == D("500.00")
    assert facts.repeated_skus == ((net.sku, 3),)
    assert (facts.inspected_lines, facts.mismatched_lines) == (4, 3)
    assert (facts.over_received_lines, facts.over_received_units) == (2, 3)
    assert (facts.exceptions_requested, facts.exceptions_approved) == (3, 1)
    assert facts.rushes == (Rush(date(2026, 7, 1), 1, D("300.00"), D("225.00")),)


def test_a_line_graded_without_a_row_per_grade_counts_by_its_own_grade(db_session, net):
    (facts,) = account_facts(db_session, net.admin, [net.b.id], TODAY, Thresholds())
    assert (facts.inspected_lines, facts.mismatched_lines) == (1, 1)


def test_the_network_holds_every_account_that_bought(db_session, net):
    rates = sorted(network(db_session, TODAY, 365).rates)
    assert [round(rate, 2) for rate in rates] == [D(0), D(2), D(5), D("33.33")]


def test_signals_of_the_hand_computed_network(db_session, net):
    found = signals_for_accounts(db_session, net.admin, None, TODAY, LOW_PERCENTILE)
    assert set(found) == {net.a.id, net.b.id}  # above the median of 0, 2, 5, 33.3
    by_code = {signal.code: signal.figures for signal in found[net.a.id]}
    assert list(by_code) == list(rules.CODES)
    assert by_code[rules.RETURN_RATE]["rate"] == "33.3"
    assert by_code[rules.RETURN_RATE]["percentile_rate"] == "2.0"
    assert by_code[rules.RETURN_RATE]["share_below"] == "75.0"
    assert by_code[rules.REPEAT_SKU] == {"sku": net.sku, "times": 3, "skus": 1, "period_days": 365}
    assert by_code[rules.CONDITION_MISMATCH]["lines"] == 3
    assert by_code[rules.OVER_RECEIPT]["units"] == 3
    assert by_code[rules.EXCEPTIONS]["approved_share"] == "33.3"
    assert by_code[rules.ROTATION_RUSH]["used"] == "133.3"
    assert [s.code for s in found[net.b.id]] == [rules.RETURN_RATE]


def test_a_shorter_period_leaves_older_rmas_out(db_session, net):
    # 60 days to 7 Dec start on 9 Oct: a4 (1 Oct) and everything before are out.
    (facts,) = account_facts(db_session, net.admin, [net.a.id], TODAY, Thresholds(period_days=60))
    assert (facts.returned, facts.exceptions_requested, facts.mismatched_lines) == (D(0), 0, 0)
    assert facts.purchased == D(0)


def test_a_rep_gets_signals_of_their_accounts_only(db_session, net):
    asked = [net.a.id, net.b.id, net.c.id, net.d.id]
    mine = signals_for_accounts(db_session, net.rep, asked, TODAY, LOW_PERCENTILE)
    assert set(mine) == {net.a.id, net.b.id}
    assert signals_for_accounts(db_session, net.other_rep, asked, TODAY, LOW_PERCENTILE) == {}


def test_retailers_and_the_warehouse_get_no_signals(db_session, net):
    for user in (net.retailer, net.warehouse):
        assert signals_for_accounts(db_session, user, [net.a.id], TODAY, LOW_PERCENTILE) == {}


@pytest.mark.parametrize(("days", "counted"), [(6, False), (7, True), (8, True)])
def test_a_rotation_counts_within_the_days_after_its_window_opened(db_session, net, days, counted):
    from models import ReturnType
    from tests.factories import make_account, make_order, make_product, make_rma
    from tests.portal.signals.dataset import at

    account = make_account(db_session, net.rep)
    make_order(db_session, account, [(make_product(db_session), 10, "100.00")], date(2026, 3, 1))
    rotation = db_session.get(ReturnType, net.rmas["a1"].return_type_id)
    make_rma(
        db_session,
        account,
        net.rmas["a1"].workflow_version,
        return_type=rotation,
        state="authorized",
        total_value=D("140.00"),  # of an allowance of 15 % × 1,000.00: 93.3 %
        submitted_at=at(date(2026, 7, 8)),  # 7 days after 1 Jul
    )
    thresholds = Thresholds(rotation_rush_days=days)
    (facts,) = account_facts(db_session, net.admin, [account.id], TODAY, thresholds)
    assert facts.rushes == (
        (Rush(date(2026, 7, 1), 1, D("140.00"), D("150.00")),) if counted else ()
    )
    found = rules.rotation_rush(facts, rules.Network(), thresholds)
    assert (found is not None) is counted
