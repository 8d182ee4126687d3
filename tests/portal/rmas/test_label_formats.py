"""Return label formats: A4 and 4×6 in, the sender's full address, the barcode's quiet zone.

The barcode checks read the drawing operations of the rendered PDF (tests/portal/rmas/pdf_marks):
the layout the renderer reports must match where the bars really are, and nothing else
may be drawn over the bars or within ten modules on either side of them.
"""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from portal.rmas import labels
from portal.rmas.labels import PRINTER_DOT, QUIET_MODULES, LabelFormat, render_label
from portal.rmas.queries import rma_lines
from tests.portal.rmas.pdf_marks import page_marks
from tests.world import authorized_rma

PAGE_SIZES = {LabelFormat.A4: (595.28, 841.89), LabelFormat.THERMAL: (288.0, 432.0)}


@pytest.fixture
def sender(db_session, world):
    world.account.street = "Friedrichstraße 123"
    world.account.postal_code = "10117"
    world.account.city = "Berlin"
    db_session.flush()
    return world.account


@pytest.fixture
def in_app(app):
    """Labels are drawn in a request, in its reader's language and time zone: outside one,
    they need the application (English, UTC)."""
    with app.app_context():
        yield


def read(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def text_of(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def filled(words: str, length: int) -> str:
    """``words`` repeated to exactly ``length`` characters: as long as the column holds."""
    return (words * (length // len(words) + 1))[:length]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("label_format", list(LabelFormat))
def test_each_format_has_its_page_size_both_addresses_and_the_number(
    client, db_session, login_as, world, address, sender, label_format
):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = client.get(f"/rmas/{rma.number}/label.pdf?format={label_format.value}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    reader = read(response.data)
    width, height = PAGE_SIZES[label_format]
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((width, height), abs=0.01)
    text = text_of(reader)
    for expected in (
        rma.number,
        "Optik Sonnenschein",
        "Friedrichstraße 123",
        "10117 Berlin",
        "Returns department",
        "Nordwind Logistik",
        "Hafenstraße 7",
        "20457 Hamburg",
    ):
        assert expected in text
    assert "None" not in text


def test_the_4x6_label_is_one_page_named_for_its_format(
    client, db_session, login_as, world, address
):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = client.get(f"/rmas/{rma.number}/label.pdf?format=4x6")
    assert response.headers["Content-Disposition"] == (
        f'inline; filename="{rma.number}-label-4x6.pdf"'
    )
    reader = read(response.data)
    assert len(reader.pages) == 1
    text = text_of(reader)
    assert "RMA" in text.split()
    assert world.account.number in text
    assert "5 units in this parcel" in text


@pytest.mark.parametrize("label_format", list(LabelFormat))
def test_an_account_without_an_address_prints_what_it_has(
    db_session, world, address, label_format, in_app
):
    rma = authorized_rma(db_session, world)
    assert (world.account.street, world.account.postal_code, world.account.city) == ("", "", "")
    rendered = render_label(rma, rma_lines(db_session, rma), address, label_format)
    text = text_of(read(rendered.pdf))
    assert "Optik Sonnenschein\nDE" in text
    assert "None" not in text


def test_sender_lines_leave_out_missing_parts(world):
    world.account.street, world.account.postal_code, world.account.city = "", "", "Lyon"
    assert labels.sender_lines(world.account) == ["Optik Sonnenschein", "Lyon", "DE"]


@pytest.mark.parametrize("value", ["letter", "A4 ", "", "4x6\x00", "-1", "9" * 5000])
def test_an_unknown_format_is_refused_with_a_clear_message(
    client, db_session, login_as, world, address, value
):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = client.get(f"/rmas/{rma.number}/label.pdf", query_string={"format": value})
    assert response.status_code == 400
    assert "Unknown label format: choose a4 (A4 sheet) or 4x6" in response.get_data(as_text=True)


def test_out_of_scope_stays_404_whatever_the_format(client, db_session, login_as, world, address):
    rma = authorized_rma(db_session, world)
    login_as(world.other_retailer)
    for value in ("4x6", "a4", "letter"):
        response = client.get(f"/rmas/{rma.number}/label.pdf?format={value}")
        assert response.status_code == 404


@pytest.mark.parametrize("who", ["retailer", "rep", "admin", "warehouse"])
def test_who_may_print_the_a4_label_may_print_the_4x6_one(
    client, db_session, login_as, world, address, who
):
    rma = authorized_rma(db_session, world)
    login_as(world.person(who))
    response = client.get(f"/rmas/{rma.number}/label.pdf?format=4x6")
    assert response.status_code == 200
    assert rma.number in text_of(read(response.data))


def _check_barcode(rendered: labels.RenderedLabel) -> None:
    layout = rendered.barcode
    page_width, page_height = rendered.page_size
    marks = page_marks(read(rendered.pdf).pages[0])

    # The module is a whole number of 203 dpi dots, at least two.
    dots = layout.module / PRINTER_DOT
    assert dots == pytest.approx(round(dots)) and round(dots) >= 2
    assert layout.quiet >= QUIET_MODULES * layout.module - 1e-9

    # The reported bars are where the bars are drawn; every bar is a whole number of modules.
    bars = layout.bars
    drawn = [m for m in marks if m.overlaps(bars.x, bars.y, bars.width, bars.height)]
    assert drawn and all(m.kind == "rect" for m in drawn)
    assert min(m.x0 for m in drawn) == pytest.approx(bars.x, abs=0.01)
    assert max(m.x1 for m in drawn) == pytest.approx(bars.right, abs=0.01)
    for bar in drawn:
        modules = (bar.x1 - bar.x0) / layout.module
        assert modules == pytest.approx(round(modules), abs=0.01) and 1 <= round(modules) <= 4
        assert bars.y - 0.01 <= bar.y0 and bar.y1 <= bars.top + 0.01

    # Nothing is drawn within the quiet zones, and they and the bars stay on the page.
    for zone in (layout.quiet_left, layout.quiet_right):
        intruders = [m for m in marks if m.overlaps(zone.x, zone.y, zone.width, zone.height)]
        assert intruders == []
    assert layout.quiet_left.x >= 0 and layout.quiet_right.right <= page_width
    assert bars.y >= 0 and bars.top <= page_height


@pytest.mark.parametrize("label_format", list(LabelFormat))
def test_the_barcode_keeps_its_quiet_zone_clear_and_stays_on_the_page(
    db_session, world, address, sender, label_format, in_app
):
    rma = authorized_rma(db_session, world)
    rendered = render_label(rma, rma_lines(db_session, rma), address, label_format)
    assert rendered.page_size == pytest.approx(PAGE_SIZES[label_format], abs=0.01)
    _check_barcode(rendered)


def test_the_4x6_barcode_is_printable_at_203_dpi(db_session, world, address, in_app):
    rma = authorized_rma(db_session, world)
    rendered = render_label(rma, rma_lines(db_session, rma), address, LabelFormat.THERMAL)
    # 0.25 mm or wider: what 203 dpi printers print reliably for Code 128
    assert rendered.barcode.module >= 2 * PRINTER_DOT
    assert rendered.barcode.module * 203 / 72 == pytest.approx(3)


@pytest.mark.parametrize("label_format", list(LabelFormat))
def test_the_longest_addresses_wrap_or_shrink_and_never_overflow(
    db_session, world, address, label_format, in_app
):
    """Every field at the most its column holds, one of them a single unbroken word."""
    account = world.account
    account.name = filled("Augenoptik und Hörakustik Sonnenschein am Schlossplatz ", 200)
    account.street = "Z" * 200
    account.postal_code = "9" * 20
    account.city = filled("Sankt Peter-Ording an der Nordsee ", 100)
    address.recipient = filled("Nordwind Eyewear GmbH, Retouren und Reklamationen ", 120)
    address.street = filled("Gewerbegebiet Lilienthalstraße, Halle 12, Tor 4 bis 9 ", 200)
    address.postal_code = "8" * 20
    address.city = filled("Kassel-Waldau Industriepark ", 100)
    db_session.flush()
    rma = authorized_rma(db_session, world)
    rendered = render_label(rma, rma_lines(db_session, rma), address, label_format)
    reader = read(rendered.pdf)
    text = squeezed(text_of(reader))
    for field in (account.name, account.street, account.postal_code, account.city):
        assert squeezed(field) in text
    for field in (address.recipient, address.street, address.postal_code, address.city):
        assert squeezed(field) in text
    _check_barcode(rendered)
    width, height = rendered.page_size
    marks = [m for page in reader.pages for m in page_marks(page)]
    outside = [m for m in marks if m.x0 < 0 or m.y0 < 0 or m.x1 > width or m.y1 > height]
    assert outside == []
    if label_format is LabelFormat.THERMAL:
        # Each block stays between the rules that part it from the next.
        rules = [m.y0 for m in marks if m.kind == "path" and m.y1 - m.y0 < 0.01]
        assert len(rules) == 3
        crossing = [m for m in marks if m.kind == "text" and any(m.y0 < y < m.y1 for y in rules)]
        assert crossing == []
        margin = labels.MARGIN
        assert all(margin - 0.01 <= m.x0 and m.x1 <= width - margin + 0.01 for m in marks)
