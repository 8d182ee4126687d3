"""Return types: create, edit, archive, with clear messages for bad input."""

from __future__ import annotations

from sqlalchemy import select

from models import ReturnType, Workflow


def _data(**fields):
    data = {
        "name": "Overstock",
        "code": "overstock",
        "description": "Too many frames.",
        "reasons": "Slow seller\n\nRange change\nSlow seller",
        "resolutions": ["credit", "exchange"],
        "requires_photos": "y",
        "workflow": "template:wrong_item",
    }
    data.update(fields)
    return data


def test_creating_a_return_type_with_a_new_workflow(client, db_session, admin):
    response = client.post("/designer/return-types/new", data=_data())
    assert response.status_code == 303
    rt = db_session.scalar(select(ReturnType).where(ReturnType.code == "OVERSTOCK"))
    assert rt.reasons == ["Slow seller", "Range change"]
    assert rt.resolutions == ["credit", "exchange"] and rt.requires_photos
    assert not rt.requires_description and not rt.is_archived
    workflow = db_session.get(Workflow, rt.workflow_id)
    assert workflow.name == "Overstock" and workflow.versions[0].status.value == "draft"
    home = client.get("/designer/").data.decode()
    assert "Overstock" in home and "not published yet" in home


def test_every_bad_field_gets_a_message(client, db_session, admin, return_type):
    response = client.post(
        "/designer/return-types/new",
        data=_data(
            name="", code="no spaces!", reasons="", resolutions=[], workflow="template:nope"
        ),
    )
    assert response.status_code == 422
    html = response.data.decode()
    assert "Use capital letters, digits and underscores" in html
    assert "List at least one reason, one per line." in html
    assert "Offer at least one resolution." in html
    assert "Not a valid choice." in html
    response = client.post("/designer/return-types/new", data=_data(code=return_type.code))
    assert response.status_code == 422
    assert (
        f"Another return type already uses the code {return_type.code}." in response.data.decode()
    )
    assert db_session.scalar(select(ReturnType).where(ReturnType.name == "Overstock")) is None


def test_editing_a_return_type(client, db_session, admin, return_type, workflow):
    page = client.get(f"/designer/return-types/{return_type.id}").data.decode()
    assert "Slow seller\nDefective" in page
    response = client.post(
        f"/designer/return-types/{return_type.id}",
        data=_data(
            name="Rotation", code="ROTATION", workflow=str(workflow.id), resolutions=["credit"]
        ),
    )
    assert response.status_code == 303
    db_session.refresh(return_type)
    assert (return_type.name, return_type.code) == ("Rotation", "ROTATION")
    assert return_type.workflow_id == workflow.id
    response = client.post(f"/designer/return-types/{return_type.id}", data=_data(workflow="0"))
    assert response.status_code == 422
    assert client.get("/designer/return-types/999999").status_code == 404


def test_evidence_checkboxes_follow_into_the_policy(
    client, db_session, admin, return_type, workflow
):
    return_type.policy = {
        "evidence": {"enabled": True, "mode": "blocking", "photos": True, "description": False}
    }
    db_session.commit()
    client.post(
        f"/designer/return-types/{return_type.id}",
        data=_data(workflow=str(workflow.id), requires_photos="", requires_description="y"),
    )
    db_session.refresh(return_type)
    assert return_type.policy["evidence"]["photos"] is False
    assert return_type.policy["evidence"]["description"] is True


def test_archiving_asks_first_and_can_be_undone(client, db_session, admin, return_type):
    page = client.get(f"/designer/return-types/{return_type.id}").data.decode()
    assert "Yes, archive it" in page and "<details" in page
    response = client.post(
        f"/designer/return-types/{return_type.id}/archive", data={"archived": "1"}
    )
    assert response.status_code == 303
    db_session.refresh(return_type)
    assert return_type.is_archived
    client.post(f"/designer/return-types/{return_type.id}/archive", data={"archived": "0"})
    db_session.refresh(return_type)
    assert not return_type.is_archived


def test_empty_designer_explains_what_to_do(client, admin):
    html = client.get("/designer/").data.decode()
    assert "No return types yet." in html and "No workflows yet." in html


def test_a_name_with_control_characters_is_a_field_error(client, db_session, admin):
    for name in ("Over\x00stock", "Over\tstock", "x" * 121):
        response = client.post("/designer/return-types/new", data=_data(name=name))
        assert response.status_code == 422
        html = response.data.decode()
        assert "can&#39;t be stored" in html or "Field cannot be longer than 120" in html
    assert db_session.scalar(select(ReturnType).where(ReturnType.code == "OVERSTOCK")) is None


def test_exchange_reasons_are_some_of_the_reasons(client, db_session, admin, return_type):
    url = f"/designer/return-types/{return_type.id}"
    response = client.post(url, data=_data(code="EXCH", exchange_reasons="Range change\n\n"))
    assert response.status_code == 303
    db_session.refresh(return_type)
    assert return_type.exchange_reasons == ["Range change"]
    assert "Range change</textarea>" in client.get(url).data.decode()
    response = client.post(url, data=_data(code="EXCH", exchange_reasons="Too big\nRange change"))
    assert response.status_code == 422
    assert "Not one of the reasons offered: Too big." in response.data.decode()
    db_session.refresh(return_type)
    assert return_type.exchange_reasons == ["Range change"]
