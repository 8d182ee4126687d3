"""The return label: a printable PDF the retailer packs with the parcel.

The RMA number is printed as text, as a Code128 barcode (what the warehouse's hand
scanners read) and as a QR code (phones). ReportLab draws all three itself, so no font,
image or barcode binary is needed at run time.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from models import ReturnAddress, Rma, RmaLine

QR_SIZE = 32 * mm


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


def render_label(rma: Rma, lines: Sequence[RmaLine], address: ReturnAddress) -> bytes:
    """The label as PDF bytes (A4, one page for the usual parcel, more if the list is long)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Return label {rma.number}",
        author="Rotaflow",
        subject=f"Return of {rma.account.name}",
    )
    document.build(_story(rma, packing_list(lines), address))
    return buffer.getvalue()


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


def _story(rma: Rma, packed: list[PackingLine], address: ReturnAddress) -> list:
    styles = _styles()
    issued = rma.label_issued_at
    return [
        Paragraph("Return label", styles["title"]),
        _codes(rma.number, styles),
        Spacer(1, 6 * mm),
        _addresses(rma, address, styles),
        Paragraph("Packing list", styles["heading"]),
        _packing_table(packed, styles),
        Spacer(1, 4 * mm),
        Paragraph(
            f"Issued {_when(issued)}. Print this label, put the packing list in the parcel "
            "and stick the label on the outside. Send only the items listed.",
            styles["small"],
        ),
    ]


def _codes(number: str, styles: dict[str, ParagraphStyle]) -> Table:
    barcode = createBarcodeDrawing(
        "Code128", value=number, barHeight=18 * mm, barWidth=0.42 * mm, humanReadable=True
    )
    qr = createBarcodeDrawing("QR", value=number, width=QR_SIZE, height=QR_SIZE)
    left = [Paragraph(f"<b>{_escape(number)}</b>", styles["number"]), Spacer(1, 3 * mm), barcode]
    table = Table([[left, qr]], colWidths=[None, QR_SIZE + 4 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _addresses(rma: Rma, address: ReturnAddress, styles: dict[str, ParagraphStyle]) -> Table:
    account = rma.account
    ship_to = "<br/>".join(
        _escape(part)
        for part in (
            address.recipient,
            address.warehouse.name,
            address.street,
            f"{address.postal_code} {address.city}",
            address.country,
        )
    )
    sender = "<br/>".join(
        [_escape(account.name), f"Account {_escape(account.number)}", _escape(account.country)]
    )
    rows = [
        [Paragraph("<b>Ship to</b>", styles["normal"]), Paragraph("<b>From</b>", styles["normal"])],
        [Paragraph(ship_to, styles["address"]), Paragraph(sender, styles["normal"])],
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
    rows: list[list] = [["SKU", "Frame", "Invoice", "Qty"]]
    rows += [
        [
            Paragraph(_escape(line.sku), styles["small"]),
            Paragraph(_escape(line.description), styles["small"]),
            Paragraph(_escape(line.invoice_number), styles["small"]),
            str(line.quantity),
        ]
        for line in packed
    ]
    rows.append(["", "", "Units", str(sum(line.quantity for line in packed))])
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


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "today"


def _escape(text: str) -> str:
    """Paragraph text is a small XML dialect: names like "Brown & Sons" must be escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
