"""Inspection on the warehouse view: start, grade every unit per line, finish (restock)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import object_session

from models import Grade, InspectionResult, InventoryLevel, Rma, RmaAttachment, RmaEvent
from portal.warehouse.inspection import record_grading
from tests.images import image_bytes
from tests.portal.warehouse.helpers import grade_data, lines_of
from workflow_designer.runtime.firing import TransitionConflict

PNG = image_bytes("PNG")
DISPOSITIONS = {
    "New": ("Restock as new", "0"),
    "Open packaging": ("B-stock", "5"),
    "Used": ("B-stock", "30"),
    "Lightly damaged": ("Refurbish", "40"),
    "Heavily damaged": ("Scrap", "80"),
    "Defective": ("Return to manufacturer", "100"),
}


def results(db_session) -> list[tuple]:
    return db_session.execute(
        select(
            InspectionResult.rma_line_id, InspectionResult.grade, InspectionResult.quantity
        ).order_by(InspectionResult.id)
    ).all()


def grade_url(rma, line) -> str:
    return f"/warehouse/rmas/{rma.number}/lines/{line.id}/grade"


def act(client, rma, trigger, comment=""):
    """Post ``trigger`` as from the RMA's page as it is now: with its current version."""
    version = object_session(rma).scalar(select(Rma.version).where(Rma.id == rma.id))
    return client.post(
        f"/warehouse/rmas/{rma.number}/actions",
        data={"trigger": trigger, "comment": comment, "version": version},
    )


def events_of(db_session, rma) -> int:
    return db_session.scalar(select(func.count()).where(RmaEvent.rma_id == rma.id))


def test_a_received_parcel_is_started_with_one_click(staff, db_session, shop, awaiting):
    from portal.warehouse.operations import receive

    aurora, velo = lines_of(awaiting)
    receive(db_session, awaiting, shop["warehouse_user"], {aurora.id: 4, velo.id: 3})
    page = staff.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    assert "Start inspection" in page and "Save grading" not in page
    response = act(staff, awaiting, "start_inspection")
    assert response.status_code == 303
    db_session.refresh(awaiting)
    assert awaiting.state == "under_inspection"
    page = staff.get(response.headers["Location"]).data.decode()
    assert page.count("Save grading") == 2


def test_the_grading_screen_shows_each_grades_disposition_and_deduction(staff, inspecting):
    page = staff.get(f"/warehouse/rmas/{inspecting.number}").data.decode()
    rules = page.split('class="data grade-rules"')[1].split("</table>")[0]
    for label, (disposition, percent) in DISPOSITIONS.items():
        cells = f"<td>{label}</td>", f"<td>{disposition}</td>", f'<td class="num">{percent}%</td>'
        assert "\n          ".join(cells) in rules
    assert "A restocking fee of 10% applies to every unit" in page
    assert "4 of 4" not in page and "0 of 4 graded: 4 left." in page
    assert "0 of 2 graded: 2 left." in page  # VEL-2: two of three arrived


@pytest.mark.parametrize(("grade", "label"), [(g.value, g.label) for g in Grade])
def test_every_grade_is_saved_with_its_disposition(staff, db_session, inspecting, grade, label):
    aurora, _velo = lines_of(inspecting)
    response = staff.post(grade_url(inspecting, aurora), data=grade_data(aurora, **{grade: 4}))
    assert response.status_code == 303
    assert results(db_session) == [(aurora.id, Grade(grade), 4)]
    page = staff.get(response.headers["Location"]).data.decode()
    assert f"4 × {label} → {DISPOSITIONS[label][0]}" in page
    assert "All 4 received units graded." in page


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"new": 3}, "Grade all 4 accepted units: 3 are graded."),
        ({"new": 4, "used": 1}, "Grade all 4 accepted units: 5 are graded."),
        ({}, "Grade all 4 accepted units: 0 are graded."),
        ({"new": -1, "used": 5}, "Enter 0 to 9999."),
        ({"new": "many"}, "Not a valid integer value."),
    ],
)
def test_grading_that_does_not_add_up_is_refused(staff, db_session, inspecting, counts, message):
    aurora, _velo = lines_of(inspecting)
    response = staff.post(grade_url(inspecting, aurora), data=grade_data(aurora, **counts))
    assert response.status_code == 422
    assert message in response.data.decode()
    assert results(db_session) == []


def test_htmx_grading_swaps_the_line_and_enables_finishing(staff, db_session, inspecting):
    aurora, velo = lines_of(inspecting)
    hx = {"HX-Request": "true"}
    first = staff.post(grade_url(inspecting, aurora), data=grade_data(aurora, new=4), headers=hx)
    fragment = first.data.decode()
    assert first.status_code == 200 and "<html" not in fragment
    assert f'id="line-{aurora.id}"' in fragment and "Grading saved." in fragment
    assert 'id="inspection-actions" hx-swap-oob="true"' in fragment
    finish = fragment.split('value="finish_inspection"')[1].split("</form>")[0]
    assert "disabled" in finish and "not graded" in finish

    refused = staff.post(grade_url(inspecting, velo), data=grade_data(velo, new=3), headers=hx)
    assert refused.status_code == 422
    assert "Grade all 2 accepted units: 3 are graded." in refused.data.decode()
    assert 'value="3"' in refused.data.decode()  # what was typed stays

    last = staff.post(grade_url(inspecting, velo), data=grade_data(velo, used=2), headers=hx)
    finish = last.data.decode().split('value="finish_inspection"')[1].split("</form>")[0]
    assert "disabled" not in finish


def test_regrading_replaces_the_counts(staff, db_session, inspecting):
    aurora, _velo = lines_of(inspecting)
    data = {**grade_data(aurora, used=4), f"line-{aurora.id}-note": "Scratched lenses"}
    staff.post(grade_url(inspecting, aurora), data=data)
    regraded = {**grade_data(aurora, new=1, used=3), f"line-{aurora.id}-note": "Scratched lenses"}
    staff.post(grade_url(inspecting, aurora), data=regraded)
    assert sorted(r[1:] for r in results(db_session)) == [(Grade.NEW, 1), (Grade.USED, 3)]
    page = staff.get(f"/warehouse/rmas/{inspecting.number}").data.decode()
    assert "Scratched lenses" in page


def test_a_photo_is_stored_outside_static_and_linked(staff, app, db_session, inspecting, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    aurora, _velo = lines_of(inspecting)
    data = {
        **grade_data(aurora, lightly_damaged=4),
        f"line-{aurora.id}-photo": (_file(PNG), "hinge.png"),
    }
    response = staff.post(
        grade_url(inspecting, aurora), data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 303
    attachment = db_session.scalars(select(RmaAttachment)).one()
    assert (attachment.rma_line_id, attachment.content_type) == (aurora.id, "image/png")
    assert attachment.original_name == "hinge.png"
    assert os.listdir(tmp_path) == [attachment.stored_name]
    result = db_session.scalars(select(InspectionResult)).one()
    assert result.attachment_id == attachment.id
    page = staff.get(f"/warehouse/rmas/{inspecting.number}").data.decode()
    assert f"/rmas/{inspecting.number}/attachments/{attachment.id}" in page
    # Regrading without a new photo keeps the one taken.
    staff.post(grade_url(inspecting, aurora), data=grade_data(aurora, used=4))
    assert db_session.scalars(select(InspectionResult)).one().attachment_id == attachment.id


def test_a_file_that_is_not_a_photo_is_refused(staff, app, db_session, inspecting, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    aurora, _velo = lines_of(inspecting)
    data = {**grade_data(aurora, new=4), f"line-{aurora.id}-photo": (_file(b"%PDF-1.7"), "a.jpg")}
    response = staff.post(
        grade_url(inspecting, aurora), data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "is not a" in response.data.decode()
    assert results(db_session) == [] and os.listdir(tmp_path) == []


def test_finishing_moves_graded_stock_into_the_warehouse(staff, db_session, shop, inspecting):
    aurora, velo = lines_of(inspecting)
    staff.post(grade_url(inspecting, aurora), data=grade_data(aurora, new=3, used=1))
    staff.post(
        grade_url(inspecting, velo), data=grade_data(velo, open_packaging=1, heavily_damaged=1)
    )
    response = act(staff, inspecting, "finish_inspection")
    assert response.status_code == 303
    db_session.refresh(inspecting)
    assert inspecting.state == "inspected"
    stock = db_session.execute(
        select(InventoryLevel.product_id, InventoryLevel.grade, InventoryLevel.quantity)
        .where(InventoryLevel.warehouse_id == shop["warehouse"].id)
        .order_by(InventoryLevel.product_id, InventoryLevel.grade)
    ).all()
    assert sorted(stock) == sorted(
        [
            (shop["aurora"].id, Grade.NEW, 3),
            (shop["aurora"].id, Grade.USED, 1),
            (shop["velo"].id, Grade.OPEN_PACKAGING, 1),  # the scrapped unit stays out
        ]
    )
    page = staff.get(response.headers["Location"]).data.decode()
    assert "Into stock: 3 × new, 1 × used, 1 × open packaging." in page
    assert "Save grading" not in page  # grades are final once stock moved


def test_finishing_before_every_line_is_graded_is_refused(staff, db_session, inspecting):
    aurora, _velo = lines_of(inspecting)
    staff.post(grade_url(inspecting, aurora), data=grade_data(aurora, new=4))
    response = act(staff, inspecting, "finish_inspection")
    assert response.status_code == 422
    assert "not graded" in response.data.decode()
    db_session.refresh(inspecting)
    assert inspecting.state == "under_inspection"
    assert db_session.scalar(select(func.count(InventoryLevel.id))) == 0


def test_grades_cannot_change_outside_an_inspection(staff, db_session, shop, awaiting):
    from portal.warehouse.operations import receive

    aurora, velo = lines_of(awaiting)
    receive(db_session, awaiting, shop["warehouse_user"], {aurora.id: 4, velo.id: 3})
    response = staff.post(grade_url(awaiting, aurora), data=grade_data(aurora, new=4))
    assert response.status_code == 409
    assert "is not being inspected" in response.data.decode()
    assert results(db_session) == []


def test_a_line_of_another_rma_is_not_found(staff, db_session, inspecting):
    response = staff.post(f"/warehouse/rmas/{inspecting.number}/lines/999999/grade", data={})
    assert response.status_code == 404


def test_only_warehouse_actions_are_taken_here(staff, db_session, inspecting):
    response = act(staff, inspecting, "cancel")
    assert response.status_code == 422
    assert "This action is not offered here." in response.data.decode()
    db_session.refresh(inspecting)
    assert inspecting.state == "under_inspection"


def test_an_action_on_a_page_someone_changed_since_is_a_409(staff, db_session, shop, awaiting):
    from portal.warehouse.operations import receive

    aurora, velo = lines_of(awaiting)
    receive(db_session, awaiting, shop["warehouse_user"], {aurora.id: 4, velo.id: 3})
    page = staff.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    seen = awaiting.version
    assert f'name="version" value="{seen}"' in page
    # Someone else changed the RMA after the page was shown.
    db_session.execute(update(Rma).where(Rma.id == awaiting.id).values(version=Rma.version + 1))
    before = events_of(db_session, awaiting)
    response = staff.post(
        f"/warehouse/rmas/{awaiting.number}/actions",
        data={"trigger": "start_inspection", "version": seen},
    )
    assert response.status_code == 409
    assert "was changed by someone else since you opened it" in response.data.decode()
    db_session.expire_all()
    assert db_session.get(Rma, awaiting.id).state == "received"
    assert events_of(db_session, awaiting) == before


def test_an_action_without_the_version_is_refused(staff, db_session, shop, awaiting):
    from portal.warehouse.operations import receive

    aurora, velo = lines_of(awaiting)
    receive(db_session, awaiting, shop["warehouse_user"], {aurora.id: 4, velo.id: 3})
    before = events_of(db_session, awaiting)
    url = f"/warehouse/rmas/{awaiting.number}/actions"
    response = staff.post(url, data={"trigger": "start_inspection"})
    assert response.status_code == 422
    assert "Reload the page and try again." in response.data.decode()
    db_session.expire_all()
    assert db_session.get(Rma, awaiting.id).state == "received"
    assert events_of(db_session, awaiting) == before


def test_goods_that_do_not_conform_go_back_to_the_retailer(staff, db_session, inspecting):
    aurora, velo = lines_of(inspecting)
    staff.post(grade_url(inspecting, aurora), data=grade_data(aurora, new=4))
    staff.post(grade_url(inspecting, velo), data=grade_data(velo, new=2))
    act(staff, inspecting, "finish_inspection")
    page = staff.get(f"/warehouse/rmas/{inspecting.number}").data.decode()
    assert "Return to retailer" in page and "Comment (required)" in page

    refused = act(staff, inspecting, "return_to_retailer")
    assert refused.status_code == 422
    assert "A comment is required to return to retailer." in refused.data.decode()
    assert act(staff, inspecting, "return_to_retailer", "One frame missing").status_code == 303
    db_session.refresh(inspecting)
    assert inspecting.state == "to_be_returned"
    page = staff.get(f"/warehouse/rmas/{inspecting.number}").data.decode()
    assert "Ship back" in page

    assert act(staff, inspecting, "ship_back", "DHL 00340434").status_code == 303
    db_session.refresh(inspecting)
    assert inspecting.state == "shipped_back"
    comments = db_session.scalars(
        select(RmaEvent.comment).where(RmaEvent.rma_id == inspecting.id).order_by(RmaEvent.id)
    ).all()
    assert comments[-2:] == ["One frame missing", "DHL 00340434"]


def test_return_to_retailer_is_not_offered_without_a_discrepancy(staff, db_session, shop, awaiting):
    from portal.warehouse.operations import receive
    from workflow_designer.runtime.firing import fire

    aurora, velo = lines_of(awaiting)
    receive(db_session, awaiting, shop["warehouse_user"], {aurora.id: 4, velo.id: 3})
    fire(db_session, awaiting, "start_inspection", shop["warehouse_user"])
    staff.post(grade_url(awaiting, aurora), data=grade_data(aurora, new=4))
    staff.post(grade_url(awaiting, velo), data=grade_data(velo, new=3))
    act(staff, awaiting, "finish_inspection")
    page = staff.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    assert "Return to retailer" not in page
    assert act(staff, awaiting, "return_to_retailer", "No reason").status_code == 422


def test_a_regrade_racing_a_finish_is_a_conflict(db_session, shop, inspecting):
    """Grading bumps the RMA's version, so it cannot commit beside a concurrent finish
    (which restocks from the grades it read)."""
    aurora, _velo = lines_of(inspecting)
    # Another transaction's commit, unseen by this session's copy of the RMA.
    db_session.execute(
        update(Rma)
        .where(Rma.id == inspecting.id)
        .values(version=Rma.version + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(TransitionConflict, match="changed by someone else"):
        record_grading(db_session, inspecting, aurora, shop["warehouse_user"], {Grade.NEW: 4})


def _file(data: bytes):
    import io

    return io.BytesIO(data)


def test_htmx_grading_after_the_inspection_ended_reloads_the_page(staff, db_session, inspecting):
    aurora, velo = lines_of(inspecting)
    staff.post(grade_url(inspecting, aurora), data=grade_data(aurora, new=4))
    staff.post(grade_url(inspecting, velo), data=grade_data(velo, new=2))
    act(staff, inspecting, "finish_inspection")
    response = staff.post(
        grade_url(inspecting, aurora),
        data=grade_data(aurora, used=4),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert response.headers["HX-Refresh"] == "true"
    page = staff.get(f"/warehouse/rmas/{inspecting.number}").data.decode()
    assert "is not being inspected, so its grades cannot change" in page
    assert sorted(r[1:] for r in results(db_session)) == [(Grade.NEW, 2), (Grade.NEW, 4)]


def test_an_oversized_photo_is_refused_before_it_is_read(staff, app, db_session, inspecting):
    app.config["UPLOAD_MAX_FILE_BYTES"] = 1024
    aurora, _velo = lines_of(inspecting)
    photo = PNG + b"\x00" * 200_000
    data = {**grade_data(aurora, new=4), f"line-{aurora.id}-photo": (_file(photo), "big.png")}
    response = staff.post(
        grade_url(inspecting, aurora), data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    assert results(db_session) == []


def test_the_warehouse_view_does_not_query_per_line(staff, db_session, shop, count_queries):
    from tests.factories import make_order, make_product, make_rma_with_lines

    def rma_with(n_lines: int):
        products = [(make_product(db_session), 5, "20.00") for _ in range(n_lines)]
        order = make_order(db_session, shop["account"], products)
        rma = make_rma_with_lines(
            db_session,
            shop["account"],
            shop["version"],
            [(line, 2) for line in order.lines],
            state="under_inspection",
        )
        for line in rma.lines:
            line.quantity_received = 2
        db_session.flush()
        return rma

    small, large = rma_with(1), rma_with(8)
    staff.get(f"/warehouse/rmas/{small.number}")  # compiles and caches the workflow
    counts = []
    for rma in (small, large):
        count_queries.statements.clear()
        page = staff.get(f"/warehouse/rmas/{rma.number}").data.decode()
        assert page.count("Save grading") == len(rma.lines)
        counts.append(len(count_queries))
    assert counts[0] == counts[1]
