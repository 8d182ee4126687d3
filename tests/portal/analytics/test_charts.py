"""The return-rate charts: a ranking draws its most returned rows, its table all of them."""

from __future__ import annotations

from decimal import Decimal

from portal.analytics.charts import CHARTED, rate_charts
from portal.analytics.returns import DIMENSIONS, Figures, RateRow, RateTable


def _ranking(count: int) -> RateTable:
    rows = [
        RateRow(key, "EUR", Figures(count - key, Decimal(count - key)), Figures(100, Decimal(100)))
        for key in range(count)
    ]
    return RateTable(
        DIMENSIONS["account"], rows, labels={key: f"A{key:02}" for key in range(count)}
    )


def _labels(chart) -> list[str]:
    return [text.text for text in chart.texts if text.text.startswith("A")]


def test_a_long_ranking_charts_its_most_returned_rows(app):
    with app.test_request_context():
        chart = rate_charts(_ranking(CHARTED + 10))["EUR"]
    assert _labels(chart) == [f"A{key:02}" for key in range(CHARTED)]
    assert chart.title == f"By account: return rate, EUR, the {CHARTED} most returned"


def test_a_short_ranking_charts_every_row(app):
    with app.test_request_context():
        chart = rate_charts(_ranking(CHARTED))["EUR"]
    assert len(_labels(chart)) == CHARTED
    assert chart.title == "By account: return rate, EUR"
