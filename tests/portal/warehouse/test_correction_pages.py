"""The receiving form's over-receipt question and the correction forms, through HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models import CreditMemo, Grade, RmaEvent, UnexpectedItem
from tests.portal.admin.flows import inspect, resolve
from tests.portal.warehouse.helpers import lines_of, receive_data
from tests.portal.warehouse.test_receiving import confirmation_of


def receive_url(rma) -> str:
    return f"/warehouse/rmas/{rma.number}/receive"


def correct_url(rma, line) -> str:
    return f"/warehouse/rmas/{rma.number}/lines/{line.id}/correct"


def correction(line, quantity, reason="Recounted", **grades) -> dict:
    prefix = f"correct-{line.id}"
    data = {f"{prefix}-quantity": str(quantity), f"{prefix}-reason": reason}
    for grade, n in grades.items():
        data[f"{prefix}-{grade}"] = str(n)
    return data


def event_count(db_session, rma) -> int:
    return db_session.scalar(select(func.count(RmaEvent.id)).where(RmaEvent.rma_id == rma.id))


def received_over(staff, awaiting, aurora=23):
    data = receive_data(awaiting, aurora=aurora)
    asked = staff.post(receive_url(awaiting), data=data)
    done = staff.post(
        receive_url(awaiting), data={**data, "confirm": confirmation_of(asked.data.decode())}
    )
    assert done.status_code == 303
    return done


def test_an_over_receipt_asks_for_confirmation_first(staff, db_session, awaiting):
    data = receive_data(awaiting, aurora=23)
    asked = staff.post(receive_url(awaiting), data=data)
    page = asked.data.decode()
    assert asked.status_code == 200
    assert "More arrived than the RMA authorises" in page
    assert "Yes, 19 more units than authorised arrived" in page
    assert 'name="confirm"' in page and "required" in page.split('name="confirm"')[1][:200]
    assert "+19" in page  # the difference, beside authorised 4 and received 23
    db_session.refresh(awaiting)
    assert awaiting.state == "awaiting_receipt"
    assert [line.quantity_received for line in awaiting.lines] == [0, 0]
    assert event_count(db_session, awaiting) == 0

    # Changing the figures after the question asks again.
    changed = staff.post(
        receive_url(awaiting),
        data={**receive_data(awaiting, aurora=22), "confirm": confirmation_of(page)},
    )
    assert changed.status_code == 200 and "Yes, 18 more units" in changed.data.decode()

    done = staff.post(receive_url(awaiting), data={**data, "confirm": confirmation_of(page)})
    assert done.status_code == 303
    db_session.refresh(awaiting)
    assert awaiting.state == "received"
    timeline = staff.get(f"/rmas/{awaiting.number}").data.decode()
    assert "Received with over-receipt confirmed: AUR-1 23 received, 4 authorised" in timeline
    assert "Held apart" in timeline


def test_an_unexpected_item_asks_for_confirmation(staff, db_session, awaiting):
    data = receive_data(awaiting, unexpected=[("", "Loose case", 1)])
    asked = staff.post(receive_url(awaiting), data=data)
    assert asked.status_code == 200
    assert "Yes, 1 unit not on the RMA arrived" in asked.data.decode()
    assert db_session.scalar(select(func.count(UnexpectedItem.id))) == 0


def test_a_double_submitted_confirmed_receipt_is_received_once(staff, db_session, awaiting):
    data = receive_data(awaiting, aurora=5)
    confirm = confirmation_of(staff.post(receive_url(awaiting), data=data).data.decode())
    assert staff.post(receive_url(awaiting), data={**data, "confirm": confirm}).status_code == 303
    again = staff.post(receive_url(awaiting), data={**data, "confirm": confirm})
    assert again.status_code == 422 and "is received now" in again.data.decode()
    assert (
        db_session.scalar(select(func.count(RmaEvent.id)).where(RmaEvent.trigger == "receive")) == 1
    )


def test_a_receipt_is_corrected_from_the_warehouse_view(staff, db_session, awaiting):
    received_over(staff, awaiting)
    aurora, _velo = lines_of(awaiting)
    page = staff.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    assert 'Correct <span class="mono">AUR-1</span> — 23 received, 4 authorised' in page
    response = staff.post(
        correct_url(awaiting, aurora), data=correction(aurora, 3, "Typed 23 for 3")
    )
    assert response.status_code == 303
    db_session.refresh(aurora)
    assert aurora.quantity_received == 3
    timeline = staff.get(f"/rmas/{awaiting.number}").data.decode()
    assert "Receipt corrected: AUR-1 received 23 → 3" in timeline
    assert "Typed 23 for 3" in timeline
    assert "AUR-1 23 received" in timeline  # the receipt as first recorded stays


def test_grades_are_corrected_after_the_inspection(staff, db_session, shop, awaiting):
    inspect(db_session, awaiting, shop)
    aurora, _velo = lines_of(awaiting)
    data = correction(aurora, 4, "Lens cracked", new=2, used=2)
    response = staff.post(correct_url(awaiting, aurora), data=data)
    assert response.status_code == 303
    db_session.refresh(aurora)
    assert {r.grade: r.quantity for r in aurora.inspection_results} == {
        Grade.NEW: 2,
        Grade.USED: 2,
    }
    page = staff.get(response.headers["Location"]).data.decode()
    assert "Grading corrected: AUR-1 grades 3 × new, 1 × used → 2 × new, 2 × used" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quantity": "-1"}, "Enter 0 to 9999."),
        ({"quantity": "2.5"}, "Not a valid integer value."),
        ({"quantity": "three"}, "Not a valid integer value."),
        ({"quantity": "100000"}, "Enter 0 to 9999."),
        ({"quantity": ""}, "Enter how many arrived (0 if none)."),
        ({"reason": ""}, "a correction needs a reason"),
        ({"reason": "x" * 2001}, "At most 2000 characters."),
        ({"reason": "zero\x00byte"}, "be stored"),
        ({"shiny": "4"}, "No such grade: shiny."),
        ({"new": "-2"}, "Enter 0 to 9999."),
        ({"new": "3"}, "grade all 2 accepted units: 4 are graded"),
        ({"quantity": "4"}, "grade all 4 accepted units: 2 are graded"),
        ({"quantity": "4", "new": "3", "used": "1"}, "already has these grades"),
    ],
)
def test_bad_corrections_are_refused_and_change_nothing(
    staff, db_session, shop, awaiting, change, message
):
    inspect(db_session, awaiting, shop)
    aurora, _velo = lines_of(awaiting)
    data = correction(aurora, 2, "Recount", new=1, used=1)
    data.update({f"correct-{aurora.id}-{key}": value for key, value in change.items()})
    events = event_count(db_session, awaiting)
    response = staff.post(correct_url(awaiting, aurora), data=data)
    assert response.status_code == 422
    assert message in response.data.decode()
    db_session.refresh(aurora)
    assert aurora.quantity_received == 4
    assert {r.grade: r.quantity for r in aurora.inspection_results} == {
        Grade.NEW: 3,
        Grade.USED: 1,
    }
    assert event_count(db_session, awaiting) == events


@pytest.mark.parametrize("line_id", ["99999999999999999999", "0", "-1", "abc"])
def test_hostile_line_ids_are_404(staff, awaiting, line_id):
    response = staff.post(f"/warehouse/rmas/{awaiting.number}/lines/{line_id}/correct", data={})
    assert response.status_code == 404


def test_a_resolved_rma_offers_warehouse_staff_no_correction_and_refuses_one(
    client, login_as, db_session, shop, awaiting
):
    resolve(db_session, awaiting, shop)
    login_as(shop["warehouse_user"])
    aurora, _velo = lines_of(awaiting)
    page = client.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    assert "Record correction" not in page
    response = client.post(correct_url(awaiting, aurora), data=correction(aurora, 3, new=3))
    assert response.status_code == 422
    assert "is resolved: only an admin can correct its receipt and grades now" in (
        response.data.decode()
    )
    db_session.refresh(aurora)
    assert aurora.quantity_received == 4


def test_an_admin_corrects_a_resolved_rma_with_a_credit_adjustment(
    client, login_as, db_session, shop, awaiting
):
    resolve(db_session, awaiting, shop)  # 188.66 credited
    login_as(shop["admin"])
    rma_page = client.get(f"/rmas/{awaiting.number}").data.decode()
    assert f"/warehouse/rmas/{awaiting.number}#corrections" in rma_page
    page = client.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    assert "Record correction" in page and "also issues a credit adjustment" in page
    aurora, _velo = lines_of(awaiting)
    data = correction(aurora, 3, reason="Only 3 were in the box", new=3)
    response = client.post(correct_url(awaiting, aurora), data=data, follow_redirects=True)
    text = response.data.decode()
    assert response.status_code == 200
    assert "Receipt corrected: AUR-1 received 4 → 3" in text
    assert "Credit adjustment CM-" in text and "−€24.00" in text
    memos = db_session.scalars(
        select(CreditMemo).where(CreditMemo.rma_id == awaiting.id).order_by(CreditMemo.id)
    ).all()
    assert [(m.kind.value, m.amount) for m in memos] == [
        ("credit_memo", Decimal("188.66")),
        ("adjustment", Decimal("-24.00")),
    ]


def test_grading_with_a_grade_outside_the_vocabulary_is_refused(staff, db_session, inspecting):
    aurora, _velo = lines_of(inspecting)
    data = {f"line-{aurora.id}-new": "3", f"line-{aurora.id}-shiny": "1"}
    response = staff.post(f"/warehouse/rmas/{inspecting.number}/lines/{aurora.id}/grade", data=data)
    assert response.status_code == 422 and "No such grade: shiny." in response.data.decode()
    db_session.refresh(aurora)
    assert aurora.inspection_results == []
