"""The trade-in estimate beside the final credit (a partial for the RMA page)."""

from __future__ import annotations

import re

from flask import render_template

from models import Grade
from portal.credits.operations import credit_for, estimate_for_reported_condition
from portal.warehouse.operations import grade_line, receive
from tests.portal.admin.flows import inspect
from workflow_designer.runtime.firing import fire

# Reported "new": only the 10 % fee, 4 × 40.00 → 144.00. Inspected: 3 new + 1 used.
AURORA_INSPECTED = ["AUR-1", "4", "New", "€144.00", "4", "3 × New, 1 × Used", "€132.00"]


def render(app, estimate, final) -> str:
    with app.test_request_context():
        return render_template("credits/_estimate_vs_final.html", estimate=estimate, final=final)


def row(html: str, sku: str) -> list[str]:
    """The text of each cell of the SKU's row."""
    markup = re.search(rf'<tr data-sku="{sku}">(.*?)</tr>', html, re.S).group(1)
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", markup, re.S)
    ]


def cell(html: str, css_class: str) -> str:
    return re.search(rf'class="num {css_class}">([^<]*)<', html).group(1)


def test_estimate_and_final_side_by_side(app, db_session, shop, awaiting):
    inspect(db_session, awaiting, shop)
    estimate, final = estimate_for_reported_condition(awaiting), credit_for(awaiting)
    html = render(app, estimate, final)
    # Reported "new": only the 10 % fee. 4 × 40.00 → 144.00; 3 × 33.33 = 99.99 → 89.99.
    # Inspected: 3 new + 1 used → 108.00 + 24.00; 2 open packaging → 56.66.
    assert row(html, "AUR-1") == AURORA_INSPECTED
    assert row(html, "VEL-2") == [
        "VEL-2",
        "3",
        "New",
        "€89.99",
        "2",
        "2 × Open packaging",
        "€56.66",
    ]
    assert cell(html, "estimate-total") == f"€{estimate.total_credit}" == "€233.99"
    assert cell(html, "final-total") == f"€{final.total_credit}" == "€188.66"
    assert cell(html, "difference") == "−€45.33"
    assert "Final credit below the estimate" in html


def test_before_inspection_only_the_estimate_is_known(app, shop, awaiting):
    estimate = estimate_for_reported_condition(awaiting)
    for final in (None, credit_for(awaiting)):
        html = render(app, estimate, final)
        assert row(html, "AUR-1") == ["AUR-1", "4", "New", "€144.00", "Not inspected yet"]
        assert cell(html, "final-total") == "—"
        assert 'class="num difference"' not in html


def test_a_line_that_never_arrived_is_credited_nothing(app, db_session, shop, awaiting):
    aurora, velo = awaiting.lines
    staff = shop["warehouse_user"]
    receive(db_session, awaiting, staff, {aurora.id: 4, velo.id: 0})
    fire(db_session, awaiting, "start_inspection", staff)
    grade_line(db_session, awaiting, aurora, staff, {Grade.NEW: 4})
    fire(db_session, awaiting, "finish_inspection", staff)
    html = render(app, estimate_for_reported_condition(awaiting), credit_for(awaiting))
    assert row(html, "AUR-1")[4:] == ["4", "4 × New", "€144.00"]
    assert row(html, "VEL-2")[4:] == ["0", "Nothing received", "€0.00"]
    assert cell(html, "difference") == "−€89.99"


def test_the_resolution_page_shows_it(client, login_as, db_session, shop, awaiting):
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])
    html = client.get(f"/admin/rmas/{awaiting.number}/resolve").get_data(as_text=True)
    assert "Trade-in estimate" in html and cell(html, "difference") == "−€45.33"


def test_the_rma_page_shows_one_figure_and_what_was_reported_beside_what_was_found(
    client, login_as, db_session, shop, awaiting
):
    login_as(shop["retailer"])
    before = client.get(f"/rmas/{awaiting.number}").get_data(as_text=True)
    assert '<dt class="credit-label">Estimated credit</dt>' in before
    assert '<dd class="credit-amount">€233.99</dd>' in before
    inspect(db_session, awaiting, shop)
    html = client.get(f"/rmas/{awaiting.number}").get_data(as_text=True)
    # The trade-in comparison lives on the resolution page; the RMA page has one figure.
    assert "Trade-in estimate" not in html and "Estimated credit" not in html
    assert '<dd class="credit-amount">€188.66</dd>' in html
    assert "<td>Used (reported new)</td>" in html
    assert "<td>Open packaging (reported new)</td>" in html


def test_resolving_from_the_rma_page_is_a_link_to_the_resolution_form(
    client, login_as, db_session, shop, awaiting
):
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])
    html = client.get(f"/rmas/{awaiting.number}").get_data(as_text=True)
    assert f'href="/admin/rmas/{awaiting.number}/resolve">Resolve and credit</a>' in html
    assert 'name="trigger" value="resolve"' not in html
