"""The return label: a printable PDF the retailer packs with or sticks on the parcel.

Two formats: an A4 sheet (label, addresses and the packing list, for office printers) and
a 4×6 in carrier-style label (288 × 432 pt, for the 203 dpi thermal printers parcel desks
use). Both print the RMA number as text and as a Code128 barcode (what the warehouse's
hand scanners read); the A4 sheet adds a QR code (phones). ReportLab draws everything
itself, so no font, image or barcode binary is needed at run time.

The barcode's module (its narrowest bar) is a whole number of 203 dpi printer dots, so
a thermal printer prints every bar at the same width, and it keeps a quiet zone of
``QUIET_MODULES`` modules clear on each side: scanners need the blank margin to find
where the code starts. Where the bars and their quiet zones went is returned with the PDF
(``RenderedLabel.barcode``), so the layout can be checked against the drawing.
"""

from __future__ import annotations

import enum
import io
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale, ngettext, pgettext
from flask_babel import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from models import RetailerAccount, ReturnAddress, Rma, RmaLine
from portal.i18n import known_language
from portal.i18n.formats import format_moment, number
from portal.i18n.zones import known_zone

QR_SIZE = 32 * mm
THERMAL_4X6 = (4 * inch, 6 * inch)  # 288 × 432 pt
PRINTER_DOT = inch / 203  # one dot of a 203 dpi thermal printer, in points
MODULE_DOTS = (4, 3, 2)  # module widths tried, widest first; 2 dots is the least printable
QUIET_MODULES = 10  # blank modules kept on each side of the bars


class LabelFormat(enum.StrEnum):
    A4 = "a4"
    THERMAL = "4x6"

    @property
    def label(self) -> str:
        return {"a4": "A4 sheet with packing list", "4x6": "4×6 in label (thermal printer)"}[
            self.value
        ]


class BarcodeTooWide(ValueError):
    """The RMA number's barcode cannot be printed at 2 dots per module in the space given."""


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in points from the bottom-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class BarcodeLayout:
    bars: Box  # from the first bar's left edge to the last bar's right edge
    module: float  # width of the narrowest bar, in points

    @property
    def quiet(self) -> float:
        return QUIET_MODULES * self.module

    @property
    def quiet_left(self) -> Box:
        return Box(self.bars.x - self.quiet, self.bars.y, self.quiet, self.bars.height)

    @property
    def quiet_right(self) -> Box:
        return Box(self.bars.right, self.bars.y, self.quiet, self.bars.height)


@dataclass(frozen=True)
class RenderedLabel:
    pdf: bytes
    page_size: tuple[float, float]
    barcode: BarcodeLayout


@dataclass(frozen=True)
class PackingLine:
    sku: str
    description: str
    invoice_number: str
    quantity: int


def packing_list(lines: Sequence[RmaLine]) -> list[PackingLine]:
    """The authorized lines, as the retailer packs them (lines authorized at 0 stay home)."""
    packed = []
    for line in lines:
        if line.quantity_authorized <= 0:
            continue
        order_line = line.order_line
        if order_line is None:
            continue
        product = order_line.product
        packed.append(
            PackingLine(
                sku=product.sku,
                description=f"{product.brand} {product.model}, {product.colour}, {product.size}",
                invoice_number=order_line.order.invoice_number,
                quantity=line.quantity_authorized,
            )
        )
    return packed


def sender_lines(account: RetailerAccount) -> list[str]:
    """The account's address as printed: name, street, postal code and city, country; the
    parts the account does not have yet are left out."""
    place = " ".join(part for part in (account.postal_code, account.city) if part)
    parts = (account.name, account.street, place, account.country)
    return [part.strip() for part in parts if part and part.strip()]


def recipient_lines(address: ReturnAddress) -> list[str]:
    place = " ".join(part for part in (address.postal_code, address.city) if part)
    parts = (
        address.recipient,
        address.warehouse.name,
        address.street,
        place,
        address.country,
    )
    return [part.strip() for part in parts if part and part.strip()]


def module_width(value: str, available: float) -> float:
    """The widest module of a whole number of printer dots at which the bars and both quiet
    zones fit in ``available`` points."""
    modules = round(Code128(value, barWidth=1, quiet=0).width)
    for dots in MODULE_DOTS:
        if (modules + 2 * QUIET_MODULES) * dots * PRINTER_DOT <= available:
            return dots * PRINTER_DOT
    raise BarcodeTooWide(f"The barcode of {value} does not fit in {available:.0f} pt.")


def render_label(
    rma: Rma,
    lines: Sequence[RmaLine],
    address: ReturnAddress,
    label_format: LabelFormat = LabelFormat.A4,
    reader: LabelReader | None = None,
) -> RenderedLabel:
    """The label as PDF bytes with where its barcode went, in ``reader``'s language and
    time zone where it names them (the request's otherwise)."""
    reader = reader or LabelReader(None, None)
    zone = reader.zone
    with force_locale(reader.language) if reader.language else nullcontext():
        if label_format is LabelFormat.THERMAL:
            return _render_thermal(rma, packing_list(lines), address, zone)
        return _render_a4(rma, packing_list(lines), address, zone)


@dataclass(frozen=True)
class LabelReader:
    """Who the label is for: the account (its language) and the distributor (its time
    zone). It goes into the account's parcel and comes back to the distributor's warehouse,
    so a rep or admin printing it for the account hands over the same label the retailer
    would have printed. Where the account or distributor names none, the request's."""

    language: str | None
    zone: str | None

    @classmethod
    def of(cls, account: RetailerAccount, defaults: Mapping[str, str | None]) -> LabelReader:
        return cls(known_language(account.locale), known_zone(defaults.get("time_zone")))


class QuietZoneBarcode(Flowable):
    """Code128 bars between two quiet zones, at the widest printable module that fits the
    width it is given. After drawing, ``placed`` says where the bars went on the page."""

    def __init__(self, value: str, bar_height: float) -> None:
        super().__init__()
        self.value = value
        self.bar_height = bar_height
        self.module = 0.0
        self.placed: BarcodeLayout | None = None

    def _bars(self) -> Code128:
        return Code128(
            self.value, barWidth=self.module, barHeight=self.bar_height, quiet=0, humanReadable=0
        )

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.module = module_width(self.value, available_width)
        width = self._bars().width + 2 * QUIET_MODULES * self.module
        return width, self.bar_height

    def draw(self) -> None:
        bars = self._bars()
        quiet = QUIET_MODULES * self.module
        bars.drawOn(self.canv, quiet, 0)
        x, y = self.canv.absolutePosition(quiet, 0)
        self.placed = BarcodeLayout(Box(x, y, bars.width, self.bar_height), self.module)


def _render_a4(
    rma: Rma, packed: list[PackingLine], address: ReturnAddress, zone: str | None
) -> RenderedLabel:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("Return label %(number)s", number=rma.number),
        author="Rotaflow",
        subject=_("Return of %(name)s", name=rma.account.name),
    )
    barcode = QuietZoneBarcode(rma.number, bar_height=18 * mm)
    document.build(_story(rma, packed, address, barcode, document.width, zone))
    assert barcode.placed is not None  # drawn on the first page, under the title
    return RenderedLabel(buffer.getvalue(), A4, barcode.placed)


def _styles() -> dict[str, ParagraphStyle]:
    sheet = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=sheet["Title"], alignment=0, fontSize=20),
        "number": ParagraphStyle("number", parent=sheet["Normal"], fontSize=16, leading=20),
        "heading": ParagraphStyle("heading", parent=sheet["Heading3"], spaceBefore=8),
        "address": ParagraphStyle("address", parent=sheet["Normal"], fontSize=13, leading=17),
        "normal": sheet["Normal"],
        "small": ParagraphStyle("small", parent=sheet["Normal"], fontSize=8, leading=10),
    }


def _story(
    rma: Rma,
    packed: list[PackingLine],
    address: ReturnAddress,
    barcode: QuietZoneBarcode,
    width: float,
    zone: str | None,
) -> list:
    styles = _styles()
    issued = rma.label_issued_at
    return [
        Paragraph(_escape(_("Return label")), styles["title"]),
        _codes(rma.number, barcode, styles, width),
        Spacer(1, 6 * mm),
        _addresses(rma, address, styles),
        Paragraph(_escape(_("Packing list")), styles["heading"]),
        _packing_table(packed, styles),
        Spacer(1, 4 * mm),
        Paragraph(
            _escape(
                _(
                    "Issued %(when)s. Print this label, put the packing list in the parcel "
                    "and stick the label on the outside. Send only the items listed.",
                    when=_when(issued, zone),
                )
            ),
            styles["small"],
        ),
    ]


def _codes(
    number: str, barcode: QuietZoneBarcode, styles: dict[str, ParagraphStyle], width: float
) -> Table:
    qr = createBarcodeDrawing("QR", value=number, width=QR_SIZE, height=QR_SIZE)
    left = [
        Paragraph(f"<b>{_escape(number)}</b>", styles["number"]),
        Spacer(1, 3 * mm),
        barcode,
        Spacer(1, 1 * mm),
        Paragraph(_escape(number), styles["small"]),
    ]
    qr_column = QR_SIZE + 4 * mm
    table = Table([[left, qr]], colWidths=[width - qr_column, qr_column])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _lines_markup(lines: list[str]) -> str:
    return "<br/>".join(_escape(line) for line in lines)


def _addresses(rma: Rma, address: ReturnAddress, styles: dict[str, ParagraphStyle]) -> Table:
    account = rma.account
    sender = [*sender_lines(account), _("Account %(number)s", number=account.number)]
    rows = [
        [
            Paragraph(_bold(_("Ship to")), styles["normal"]),
            Paragraph(_bold(pgettext("shipping label", "From")), styles["normal"]),
        ],
        [
            Paragraph(_lines_markup(recipient_lines(address)), styles["address"]),
            Paragraph(_lines_markup(sender), styles["normal"]),
        ],
    ]
    table = Table(rows, colWidths=["60%", "40%"])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 1), (0, 1), 1.2, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 1), (0, 1), 6),
                ("BOTTOMPADDING", (0, 1), (0, 1), 8),
            ]
        )
    )
    return table


def _packing_table(packed: list[PackingLine], styles: dict[str, ParagraphStyle]) -> Table:
    rows: list[list] = [[_("SKU"), _("Frame"), _("Invoice"), _("Qty")]]
    rows += [
        [
            Paragraph(_escape(line.sku), styles["small"]),
            Paragraph(_escape(line.description), styles["small"]),
            Paragraph(_escape(line.invoice_number), styles["small"]),
            number(line.quantity),
        ]
        for line in packed
    ]
    rows.append(["", "", _("Units"), number(sum(line.quantity for line in packed))])
    table = Table(rows, colWidths=["22%", "48%", "20%", "10%"], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    return table


# The 4×6 label, top to bottom: sender and the RMA mark, the recipient, the barcode across
# the width with the number under it, and the reference block. Points from the bottom.
MARGIN = 10
RULE = 1.5
_TOP_BAND = (356, 66)  # y, height; each band ends 6 pt above the rule over the next
_SHIP_TO = (218, 126)
_BARCODE = (128, 78)
_REFERENCE = (MARGIN, 106)
_RMA_MARK = 72  # width of the black "RMA" box, top right
_THERMAL_QR = 72
MIN_FONT_SIZE = 4


def _render_thermal(
    rma: Rma, packed: list[PackingLine], address: ReturnAddress, zone: str | None
) -> RenderedLabel:
    width = THERMAL_4X6[0]
    inner = width - 2 * MARGIN
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=THERMAL_4X6)
    canvas.setTitle(_("Return label %(number)s", number=rma.number))
    canvas.setAuthor("Rotaflow")
    canvas.setSubject(_("Return of %(name)s", name=rma.account.name))

    y, h = _TOP_BAND
    sender = Box(MARGIN, y, inner - _RMA_MARK - 8, h)
    _text_block(canvas, _("FROM"), sender_lines(rma.account), sender, size=9)
    mark = Box(width - MARGIN - _RMA_MARK, y + h - 44, _RMA_MARK, 44)
    canvas.rect(mark.x, mark.y, mark.width, mark.height, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont("Helvetica-Bold", 24)
    canvas.drawCentredString(mark.x + mark.width / 2, mark.y + 13, "RMA")
    canvas.setFillColor(colors.black)
    _rule(canvas, y - 6)

    y, h = _SHIP_TO
    _text_block(canvas, _("SHIP TO"), recipient_lines(address), Box(MARGIN, y, inner, h), size=15)
    _rule(canvas, y - 6)

    y, h = _BARCODE
    module = module_width(rma.number, inner)
    bar_height = h - 26
    bars = Code128(rma.number, barWidth=module, barHeight=bar_height, quiet=0, humanReadable=0)
    bars_x = MARGIN + (inner - bars.width) / 2
    bars.drawOn(canvas, bars_x, y + 26)
    layout = BarcodeLayout(Box(bars_x, y + 26, bars.width, bar_height), module)
    _fitted_line(canvas, rma.number, Box(MARGIN, y + 2, inner, 20), "Helvetica-Bold", 18)
    _rule(canvas, y - 6)

    y, h = _REFERENCE
    units = sum(line.quantity for line in packed)
    reference = [
        _("RMA %(number)s", number=rma.number),
        _("Account %(number)s", number=rma.account.number),
        ngettext(
            "%(num)d unit in this parcel; packing list inside",
            "%(num)d units in this parcel; packing list inside",
            units,
        ),
        _("Issued %(when)s", when=_when(rma.label_issued_at, zone)),
    ]
    text_width = inner - _THERMAL_QR - 8
    _text_block(canvas, _("REFERENCE"), reference, Box(MARGIN, y, text_width, h), size=10)
    qr = createBarcodeDrawing("QR", value=rma.number, width=_THERMAL_QR, height=_THERMAL_QR)
    renderPDF.draw(qr, canvas, width - MARGIN - _THERMAL_QR, y + h - _THERMAL_QR)

    canvas.showPage()
    canvas.save()
    return RenderedLabel(buffer.getvalue(), THERMAL_4X6, layout)


def _rule(canvas: Canvas, y: float) -> None:
    canvas.setLineWidth(RULE)
    canvas.line(MARGIN, y, THERMAL_4X6[0] - MARGIN, y)


def _text_block(canvas: Canvas, title: str, lines: list[str], box: Box, size: float) -> None:
    """A small heading over ``lines``, wrapped to the box's width and shrunk until they fit
    its height (a long word is split rather than let run past the edge)."""
    canvas.setFont("Helvetica-Bold", 7)
    canvas.drawString(box.x, box.top - 7, title)
    room = Box(box.x, box.y, box.width, box.height - 10)
    paragraphs = _fit(lines, room, size)
    top = room.top
    for paragraph, (_w, h) in paragraphs:
        if top - h < room.y - 0.01:
            break  # only at the smallest size, with text longer than any field holds
        paragraph.drawOn(canvas, room.x, top - h)
        top -= h


def _fit(lines: list[str], box: Box, size: float) -> list[tuple[Paragraph, tuple[float, float]]]:
    while True:
        style = ParagraphStyle(
            f"fit{size}", fontName="Helvetica", fontSize=size, leading=size * 1.18
        )
        first = ParagraphStyle(f"fitb{size}", parent=style, fontName="Helvetica-Bold")
        paragraphs = [
            Paragraph(_escape(line), first if index == 0 else style)
            for index, line in enumerate(lines)
        ]
        sizes = [paragraph.wrap(box.width, box.height) for paragraph in paragraphs]
        if sum(h for _w, h in sizes) <= box.height or size <= MIN_FONT_SIZE:
            return list(zip(paragraphs, sizes, strict=True))
        size -= 0.5


def _fitted_line(canvas: Canvas, text: str, box: Box, font: str, size: float) -> None:
    """One centred line, made smaller until it fits the box's width."""
    while size > MIN_FONT_SIZE and stringWidth(text, font, size) > box.width:
        size -= 0.5
    canvas.setFont(font, size)
    canvas.drawCentredString(box.x + box.width / 2, box.y + (box.height - size) / 2 + 2, text)


def _when(moment: datetime | None, zone: str | None) -> str:
    # Helvetica (these labels' font) has no narrow no-break space: a plain one instead.
    return format_moment(moment, zone).replace("\u202f", " ") if moment else _("today")


def _bold(text: str) -> str:
    return "<b>" + _escape(text) + "</b>"


def _escape(text: str) -> str:
    """Paragraph text is a small XML dialect: names like "Brown & Sons" must be escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
