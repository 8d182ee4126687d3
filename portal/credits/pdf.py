"""The credit memo as a PDF document (ReportLab), for the retailer's books."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from flask_babel import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from models import CreditMemo, DistributorProfile, MemoKind
from portal.credits.queries import LEDGER_KIND_LABELS
from portal.i18n.formats import amount, format_day, number
from workflow_designer.policy.money import HUNDRED, round_money


def headings() -> list[str]:
    """The line table's column headings. Its columns are narrow: the memo's own words
    ("memo column") may be shorter than the same words elsewhere, or break at a hyphen."""
    return [
        pgettext("memo column", "Item"),
        pgettext("memo column", "Qty"),
        pgettext("memo column", "Gross"),
        pgettext("memo column", "Restocking fee"),
        pgettext("memo column", "Grade deduction"),
        pgettext("memo column", "Exchange bonus"),
        pgettext("memo column", "Amount"),
    ]


# Item, then six figures; A4 less 2 × 18 mm margins is about 174 mm.
COLUMN_WIDTHS = [48 * mm, 11 * mm, 23 * mm, 23 * mm, 23 * mm, 23 * mm, 23 * mm]
# PDF's built-in Helvetica only knows Western European letters (a "Ł" or "Ż" in a
# product or account name prints as a box); DejaVu Sans knows them all. Debian installs
# it with fonts-dejavu-core; without it the memo falls back to Helvetica.
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)


@cache
def fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered with ReportLab once per process."""
    regular, bold = FONT_FILES
    if not (os.path.exists(regular) and os.path.exists(bold)):
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont("MemoSans", regular))
    pdfmetrics.registerFont(TTFont("MemoSans-Bold", bold))
    return "MemoSans", "MemoSans-Bold"


@cache
def styles() -> dict[str, ParagraphStyle]:
    regular, bold = fonts()
    body = ParagraphStyle("memo-body", fontName=regular, fontSize=8, leading=10)
    strong = ParagraphStyle("memo-bold", parent=body, fontName=bold)
    return {
        "title": ParagraphStyle("memo-title", fontName=bold, fontSize=18, leading=22),
        "body": body,
        "bold": strong,
        "bold-right": ParagraphStyle("memo-bold-right", parent=strong, alignment=TA_RIGHT),
    }


def amount_text(value: Decimal, currency: str) -> str:
    """1,234.50 (1.234,50 in German) in the currency's minor unit; the code is printed
    once, in the total."""
    value = round_money(value, currency)
    # A plain "-" (Helvetica, the fallback font, has no "−"), and never "-0.00".
    return f"-{amount(-value, currency)}" if value < 0 else amount(abs(value), currency)


def title(memo: CreditMemo) -> str:
    """ "Credit memo", "Credit adjustment", or "Reversal of CM-…"."""
    if memo.kind is MemoKind.REVERSAL and memo.original is not None:
        return _("Reversal of %(number)s", number=memo.original.number)
    return str(LEDGER_KIND_LABELS[memo.kind.value])


@dataclass(frozen=True)
class TaxLines:
    net: Decimal
    rate: Decimal
    tax: Decimal
    total: Decimal


def tax_lines(memo: CreditMemo) -> TaxLines:
    """The memo's amount is net; VAT at the rate it was issued at, rounded once."""
    rate = memo.tax_rate_percent or Decimal(0)
    tax = round_money(memo.amount * rate / HUNDRED, memo.currency)
    return TaxLines(memo.amount, rate, tax, memo.amount + tax)


def memo_pdf(memo: CreditMemo, distributor: DistributorProfile | None = None) -> bytes:
    """The memo (with ``account``, ``rma``, ``original`` and ``lines`` loaded) as PDF
    bytes, under the distributor's letterhead."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{title(memo)} {memo.number}",
        author=distributor.legal_name if distributor else "Rotaflow",
        subject=_("Credit for %(number)s", number=memo.rma.number),
    )
    document.build(
        [
            *_letterhead(distributor),
            *_header(memo),
            Spacer(1, 8 * mm),
            _lines_table(memo),
            Spacer(1, 4 * mm),
            _tax_table(memo),
            *_footer(memo),
        ]
    )
    return buffer.getvalue()


def _letterhead(distributor: DistributorProfile | None) -> list:
    if distributor is None:
        return []
    lines = [
        f"{distributor.street}",
        f"{distributor.postal_code} {distributor.city} · {distributor.country}",
        _("VAT number %(vat)s", vat=distributor.vat_number) + f" · {distributor.email}",
    ]
    return [
        _cell(distributor.legal_name, "bold"),
        *(_cell(line) for line in lines),
        Spacer(1, 8 * mm),
    ]


def _header(memo: CreditMemo) -> list:
    account = memo.account
    facts = [
        (_("Document number"), memo.number),
        (_("Date"), format_day(memo.created_at)),
        (_("Account"), f"{account.number} · {account.name}"),
        (_("Account VAT number"), account.vat_number or "—"),
        (_("RMA"), memo.rma.number),
        (_("Currency"), memo.currency),
    ]
    if memo.original is not None:
        facts.append((_("Original document"), memo.original.number))
    if memo.reason:
        facts.append((_("Reason"), memo.reason))
    table = Table(
        [[_cell(label, "bold"), _cell(value)] for label, value in facts],
        colWidths=[35 * mm, 120 * mm],
        hAlign="LEFT",
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [_cell(title(memo), "title"), Spacer(1, 4 * mm), table]


def _lines_table(memo: CreditMemo) -> Table:
    currency = memo.currency
    regular, bold = fonts()
    first, *rest = headings()
    rows: list[list] = [[_cell(first, "bold"), *(_cell(h, "bold-right") for h in rest)]]
    for line in memo.lines:
        rows.append(
            [
                _cell(line.description),
                number(line.quantity),
                amount_text(line.gross, currency),
                amount_text(-line.restocking_fee, currency),
                amount_text(-line.grade_deduction, currency),
                amount_text(line.exchange_bonus, currency),
                amount_text(line.amount, currency),
            ]
        )
    total = _cell(_("Total credit (%(currency)s)", currency=currency), "bold")
    rows.append([total, "", "", "", "", "", amount_text(memo.amount, currency)])
    table = Table(rows, colWidths=COLUMN_WIDTHS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), regular),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.75, colors.black),
                ("FONTNAME", (-1, -1), (-1, -1), bold),
                ("SPAN", (0, -1), (-2, -1)),
            ]
        )
    )
    return table


def _tax_table(memo: CreditMemo) -> Table:
    regular, bold = fonts()
    tax = tax_lines(memo)
    currency = memo.currency
    rows = [
        [_("Net"), amount_text(tax.net, currency)],
        [_("VAT %(rate)s %%", rate=number(tax.rate.normalize())), amount_text(tax.tax, currency)],
        [_("Total incl. VAT (%(currency)s)", currency=currency), amount_text(tax.total, currency)],
    ]
    table = Table(rows, colWidths=[40 * mm, 30 * mm], hAlign="RIGHT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), regular),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LINEABOVE", (0, -1), (-1, -1), 0.75, colors.black),
                ("FONTNAME", (0, -1), (-1, -1), bold),
            ]
        )
    )
    return table


def _footer(memo: CreditMemo) -> list:
    note = _(
        "Amounts in %(currency)s. Each line's amount is its gross value less the "
        "restocking fee and the grade deduction, plus any exchange bonus. "
        "VAT is added at the account's rate when the document was issued. "
        "This document has been entered in the account's credit ledger.",
        currency=memo.currency,
    )
    return [Spacer(1, 6 * mm), _cell(note)]


def _cell(text: str, style: str = "body") -> Paragraph:
    # Paragraph reads a small markup language: text from the database must be escaped.
    return Paragraph(escape(text), styles()[style])
