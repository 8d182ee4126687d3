"""Chart geometry as plain data: the macros in ``templates/analytics/_chart.html`` only
draw what is computed here.

Charts are SVG written by the server, not a chart library: nothing to pin, download or
run under the strict CSP, the figure exists without JavaScript, and its words and numbers
are translated and formatted like the page around it. Each chart is an image named by
its title; the table after it holds the same figures and is what assistive technology
reads. Two series are told apart by colour *and* fill (solid against hatched), and the
viewBox scales the drawing to any width.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup, escape

from portal.analytics.returns import RateTable
from portal.i18n.formats import ReaderFormats, format_month, reader_formats

WIDTH = 420  # viewBox units; the SVG is drawn at the width of its box
FONT = 12
LEGEND = 26
SERIES_COLOURS = ("#1f5fbf", "#8a4f00")  # 5.6:1 and 6.1:1 against white
INK, GRID = "#1d2430", "#c5ccd8"


# Each shape writes its own coordinates, to a tenth of a viewBox unit (finer is invisible),
# as one attribute string of numbers: a ranking's chart draws hundreds of shapes, and the
# template writing four numbers of each cost more than the rest of the chart.


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: int

    @property
    def position(self) -> Markup:
        return Markup(
            f'x="{self.x:.1f}" y="{self.y:.1f}" width="{self.width:.1f}" height="{self.height:.1f}"'
        )


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"

    @property
    def position(self) -> Markup:
        return Markup(f'x="{self.x:.1f}" y="{self.y:.1f}" text-anchor="{escape(self.anchor)}"')


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def position(self) -> Markup:
        return Markup(
            f'x1="{self.x1:.1f}" y1="{self.y1:.1f}" x2="{self.x2:.1f}" y2="{self.y2:.1f}"'
        )


@dataclass
class Chart:
    id: str
    title: str
    height: float
    width: float = WIDTH
    bars: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    colours: Sequence[str] = SERIES_COLOURS
    ink: str = INK
    grid: str = GRID
    font: int = FONT


@dataclass(frozen=True)
class Item:
    """One label and its values, one per series (None: no figure)."""

    label: str
    values: Sequence[Decimal | None]


Format = Callable[[Decimal | None], str]


def nice_ceiling(value: Decimal | float) -> float:
    """The axis maximum: 1, 2, 2.5 or 5 times a power of ten, at least ``value``."""
    value = float(value)
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _legend(chart: Chart, series: Sequence[str]) -> None:
    x = 0.0
    for index, name in enumerate(series):
        chart.bars.append(Rect(x, 6, 14, 12, index))
        chart.texts.append(Text(x + 20, 16, name))
        x += 24 + len(name) * FONT * 0.55


def bar_chart(
    chart_id: str,
    title: str,
    series: Sequence[str],
    items: Sequence[Item],
    shown: Format,
    *,
    ceiling: float | None = None,
) -> Chart:
    """Horizontal bars, one group per item, its label above: a ranking that fits 375 px.
    ``ceiling``: the value a full bar stands for when the scale is fixed (a rating out of
    5), rather than the largest value rounded up."""
    row = 16 + 12 * len(series) + 12
    chart = Chart(chart_id, title, height=LEGEND + row * max(len(items), 1))
    _legend(chart, series)
    room = WIDTH - 70  # the value's text after the longest bar
    top = max((v for item in items for v in item.values if v is not None), default=Decimal(0))
    scale = room / (ceiling or nice_ceiling(top))
    for index, item in enumerate(items):
        y = LEGEND + index * row
        chart.texts.append(Text(0, y + 12, item.label))
        for number, value in enumerate(item.values):
            bar_y = y + 16 + number * 12
            length = float(value) * scale if value is not None else 0.0
            chart.bars.append(Rect(0, bar_y, max(length, 1.0 if value else 0.0), 10, number))
            chart.texts.append(Text(length + 4, bar_y + 9, shown(value)))
    return chart


def column_chart(
    chart_id: str,
    title: str,
    series: Sequence[str],
    items: Sequence[Item],
    shown: Format,
    *,
    ceiling: float | None = None,
    steps: int = 4,
) -> Chart:
    """Columns over months, side by side per series, with a scale of ``steps`` steps up to
    ``ceiling`` (by default the largest value rounded up)."""
    left, bottom, height = 44, 24, 220
    plot_top, plot_bottom = LEGEND + 6, height - bottom
    chart = Chart(chart_id, title, height=height)
    _legend(chart, series)
    top = ceiling or nice_ceiling(
        max((v for item in items for v in item.values if v is not None), default=Decimal(0))
    )
    span = plot_bottom - plot_top
    for step in range(steps + 1):
        y = plot_bottom - span * step / steps
        chart.lines.append(Line(left, y, WIDTH, y))
        tick = shown(Decimal(str(top * step / steps)))
        chart.texts.append(Text(left - 4, y + 4, tick, "end"))
    group = (WIDTH - left) / max(len(items), 1)
    width = group * 0.8 / len(series)
    every = max(1, math.ceil(len(items) / 8))  # at most 8 month labels
    for index, item in enumerate(items):
        x = left + index * group + group * 0.1
        for number, value in enumerate(item.values):
            if value is None:
                continue
            tall = span * float(value) / top
            chart.bars.append(Rect(x + number * width, plot_bottom - tall, width, tall, number))
        if index % every == 0:
            chart.texts.append(Text(x + group * 0.4, height - 6, item.label, "middle"))
    return chart


# A ranking's chart draws its first rows only: fifty bars don't read on a phone, and the
# table below the chart holds every ranked row.
CHARTED = 20


def rate_charts(table: RateTable) -> dict[str, Chart]:
    """One chart per currency of a view's rates: columns over months, bars otherwise."""
    series = [_("Rate in units"), _("Rate in value")]
    shown = _rate_shown(reader_formats())
    charts = {}
    for currency in table.currencies:
        rows = table.in_currency(currency)
        if table.dimension.ranked and len(rows) > CHARTED:
            rows = rows[:CHARTED]
            title = _(
                "%(view)s: return rate, %(currency)s, the %(count)s most returned",
                view=table.dimension.title,
                currency=currency,
                count=CHARTED,
            )
        else:
            title = _(
                "%(view)s: return rate, %(currency)s",
                view=table.dimension.title,
                currency=currency,
            )
        items = [
            Item(
                format_month(row.key, short=True)
                if table.dimension.column == "month"
                else table.labels.get(row.key, ""),
                [row.unit_rate, row.value_rate],
            )
            for row in rows
        ]
        draw = column_chart if table.dimension.column == "month" else bar_chart
        chart_id = f"chart-{table.dimension.slug}-{currency.lower()}"
        charts[currency] = draw(chart_id, title, series, items, shown)
    return charts


def _rate_shown(figures: ReaderFormats) -> Format:
    return lambda value: "–" if value is None else figures.percent(value, 1)
