"""The resolve page offers only what the RMA's workflow can carry out, shows what the
retailer asked for, and keeps it on record (with who chose otherwise and why)."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from models import AccountStatus, CreditMemo, ReplacementOrder, Rma, RmaEvent
from tests.portal.admin.flows import inspect


def url(rma) -> str:
    return f"/admin/rmas/{rma.number}/resolve"


def offered(page: str) -> list[str]:
    """The resolutions the page lets the admin choose."""
    return re.findall(r'name="resolution" value="([^"]*)"', page)


def text(response) -> str:
    """The page with entities decoded and whitespace runs as one space."""
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


@pytest.fixture
def inspected(db_session, shop, awaiting):
    """Inspected; the retailer asked for a credit against their replacement order."""
    awaiting.return_type.resolutions = ["credit", "refund", "replacement_order"]
    awaiting.requested_resolution = awaiting.resolution = "replacement_order"
    return inspect(db_session, awaiting, shop)


def test_only_resolutions_the_workflow_can_carry_out_are_offered(client, login_as, shop, inspected):
    login_as(shop["admin"])
    page = text(client.get(url(inspected)))
    # Stock rotation has no resolve transition for a refund, though the type offers one.
    assert offered(page) == ["credit", "replacement_order"]
    assert "The retailer asked for <strong>Credit against replacement order</strong>." in page
    assert 'value="replacement_order" checked' in page


def test_an_account_on_hold_is_not_offered_an_exchange(
    client, login_as, db_session, shop, awaiting
):
    awaiting.return_type.resolutions = ["credit", "exchange"]
    inspect(db_session, awaiting, shop)
    shop["account"].status = AccountStatus.ON_HOLD
    db_session.flush()
    login_as(shop["admin"])
    assert offered(text(client.get(url(awaiting)))) == ["credit"]
    response = client.post(url(awaiting), data={"resolution": "exchange"})
    assert response.status_code == 422
    assert "Exchange cannot be carried out for" in text(response)
    assert "Choose one of: Credit memo." in text(response)


def test_a_request_the_workflow_cannot_carry_out_is_said_so(
    client, login_as, db_session, shop, inspected
):
    inspected.requested_resolution = "refund"
    db_session.flush()
    login_as(shop["admin"])
    page = text(client.get(url(inspected)))
    assert "The retailer asked for <strong>Refund</strong>." in page
    assert "Its workflow cannot carry that out from Inspected" in page


def test_the_requested_resolution_settles_without_a_comment(
    client, login_as, db_session, shop, inspected
):
    login_as(shop["admin"])
    response = client.post(url(inspected), data={"resolution": "replacement_order"})
    assert response.status_code == 303
    db_session.expire_all()
    rma = db_session.get(Rma, inspected.id)
    assert (rma.state, rma.resolution, rma.requested_resolution) == (
        "credited",
        "replacement_order",
        "replacement_order",
    )
    assert db_session.scalar(select(func.count(CreditMemo.id))) == 1
    assert db_session.scalar(select(func.count(ReplacementOrder.id))) == 0  # no lines chosen
    page = text(client.get(f"/rmas/{rma.number}"))
    assert "Requested</dt><dd>Credit against replacement order" in page
    assert "instead of" not in page


def test_choosing_another_resolution_needs_a_comment_and_stays_on_record(
    client, login_as, db_session, shop, inspected
):
    login_as(shop["admin"])
    refused = client.post(url(inspected), data={"resolution": "credit", "comment": "  "})
    assert refused.status_code == 422
    assert (
        "The retailer asked for Credit against replacement order: say why you chose Credit "
        "memo instead." in text(refused)
    )
    db_session.expire_all()
    assert db_session.get(Rma, inspected.id).state == "inspected"
    assert db_session.scalar(select(func.count(CreditMemo.id))) == 0

    why = "No replacement stock in the colours ordered."
    response = client.post(url(inspected), data={"resolution": "credit", "comment": why})
    assert response.status_code == 303
    db_session.expire_all()
    rma = db_session.get(Rma, inspected.id)
    assert (rma.resolution, rma.requested_resolution) == ("credit", "replacement_order")
    event = db_session.scalar(
        select(RmaEvent).where(RmaEvent.rma_id == rma.id, RmaEvent.trigger == "resolve")
    )
    assert event.data["resolution"] == "credit"
    assert event.data["requested_resolution"] == "replacement_order"
    assert event.comment == why

    for viewer in (shop["admin"], shop["retailer"]):
        login_as(viewer)
        page = text(client.get(f"/rmas/{rma.number}"))
        section = page[page.index('id="rma-resolution"') :]
        section = section[: section.index("</section>")]
        assert "Requested</dt><dd>Credit against replacement order" in section
        assert "Resolved as</dt><dd>Credit memo" in section
        assert (
            "Ada Admin (Admin) chose Credit memo instead of Credit against replacement order"
            in section
        )
        assert why in section


@pytest.mark.parametrize(
    "value", ["", "\x00", "credit\x00", "x" * 5000, "-1", "99999999999999999999", "CREDIT"]
)
def test_hostile_resolutions_are_refused_with_a_message(
    client, login_as, db_session, shop, inspected, value
):
    login_as(shop["admin"])
    response = client.post(url(inspected), data={"resolution": value, "comment": "x"})
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Rma, inspected.id).state == "inspected"
