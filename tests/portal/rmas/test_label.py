"""The return label: issued on authorization, a PDF with codes, address and packing list."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest

from models import RmaLine
from tests.world import NOW, add_rma, authorized_rma, rma_in_rep_review
from workflow_designer.runtime.firing import fire


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_authorizing_issues_the_label_and_authorizes_the_requested_quantities(db_session, world):
    rma = authorized_rma(db_session, world)
    assert rma.label_issued_at == NOW
    assert [line.quantity_authorized for line in rma.lines] == [3, 2]
    assert "issue_label" in rma.events[-1].data["actions"]


def test_a_quantity_an_approver_authorized_is_kept(db_session, world):
    rma = rma_in_rep_review(db_session, world, total_value=Decimal("100"))
    rma.lines[0].quantity_authorized = 1
    fire(db_session, rma, "approve", world.rep, comment="Only one of those", now=NOW)
    assert rma.state == "authorized"
    assert [line.quantity_authorized for line in rma.lines] == [1, 2]


def test_the_label_pdf_has_the_number_account_address_and_lines(
    client, db_session, login_as, world, address
):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    assert f'href="/rmas/{rma.number}/label.pdf?format=a4"' in page
    assert f'href="/rmas/{rma.number}/label.pdf?format=4x6"' in page
    response = client.get(f"/rmas/{rma.number}/label.pdf")
    assert response.headers["Content-Disposition"] == f'inline; filename="{rma.number}-label.pdf"'
    text = pdf_text(response)
    assert text.count(rma.number) >= 2  # printed, and under the barcode
    for expected in (
        "Optik Sonnenschein",
        world.account.number,
        "Returns department",
        "Nordwind Logistik",
        "Hafenstraße 7",
        "20457 Hamburg",
    ):
        assert expected in text
    for line in rma.lines:
        product = line.order_line.product
        assert product.sku in text
        assert f"{product.brand} {product.model}, {product.colour}, {product.size}" in text
    assert rma.lines[0].order_line.order.invoice_number in text
    assert "Units\n5" in text or "Units 5" in text


def test_lines_authorized_at_zero_are_not_packed(client, db_session, login_as, world, address):
    rma = authorized_rma(db_session, world)
    rma.lines[1].quantity_authorized = 0
    db_session.flush()
    login_as(world.retailer)
    text = pdf_text(client.get(f"/rmas/{rma.number}/label.pdf"))
    assert rma.lines[0].order_line.product.sku in text
    assert rma.lines[1].order_line.product.sku not in text


@pytest.mark.parametrize("who", ["rep", "admin", "warehouse"])
def test_staff_can_print_the_label_too(client, db_session, login_as, world, address, who):
    rma = authorized_rma(db_session, world)
    login_as(world.person(who))
    assert rma.number in pdf_text(client.get(f"/rmas/{rma.number}/label.pdf"))


def test_before_authorization_there_is_no_label(client, db_session, login_as, world, address):
    rma = rma_in_rep_review(db_session, world)
    login_as(world.retailer)
    response = client.get(f"/rmas/{rma.number}/label.pdf")
    assert response.status_code == 404
    assert "the label is issued when the return is authorized" in response.get_data(as_text=True)
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    assert "label.pdf" not in page
    assert "The return label appears here once the return is authorized." in page


def test_a_cancelled_return_has_no_label(client, db_session, login_as, world, address):
    rma = authorized_rma(db_session, world)
    fire(db_session, rma, "cancel", world.retailer)
    login_as(world.retailer)
    assert client.get(f"/rmas/{rma.number}/label.pdf").status_code == 404


def test_another_accounts_retailer_gets_404(client, db_session, login_as, world, address):
    rma = authorized_rma(db_session, world)
    login_as(world.other_retailer)
    assert client.get(f"/rmas/{rma.number}/label.pdf").status_code == 404


def test_without_a_return_address_the_label_explains_why(client, db_session, login_as, world):
    rma = authorized_rma(db_session, world)
    login_as(world.retailer)
    response = client.get(f"/rmas/{rma.number}/label.pdf")
    assert response.status_code == 409
    assert f"No return address is set up for region {world.account.region}" in (
        response.get_data(as_text=True)
    )


def test_unannounced_lines_are_not_on_the_packing_list(db_session, world):
    from portal.rmas.labels import packing_list

    rma = add_rma(db_session, world)
    extra = RmaLine(rma_id=rma.id, order_line_id=None, quantity_requested=1, quantity_authorized=1)
    db_session.add(extra)
    db_session.flush()
    db_session.expire(rma, ["lines"])
    assert packing_list(rma.lines) == []  # nothing else is authorized yet
