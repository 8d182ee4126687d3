"""The designer refuses return types whose workflow cannot carry out what they offer: the
return type page and the editor say which resolution and how to fix it; saving the return
type and publishing the workflow are refused until it is fixed."""

from __future__ import annotations

import html

from models import ReturnType, VersionStatus
from portal.designer.operations import import_config
from tests.factories import make_published_workflow, make_return_type
from tests.portal.designer.helpers import HX, base, draft_of
from tests.workflow_designer.engine.test_resolutions import (
    STOCK_ROTATION_DEFAULT,
    rotation_as_shipped_before,
)
from workflow_designer.engine import load_template
from workflow_designer.runtime.versions import draft_from


def _text(response) -> str:
    return html.unescape(response.data.decode())


def _old_rotation(db_session, admin):
    """A deployment's Stock rotation, published before the shipped template was fixed."""
    version = make_published_workflow(
        db_session, actor=admin, name="Rotation flow", config=rotation_as_shipped_before()
    )
    return_type = make_return_type(
        db_session,
        version.workflow_id,
        name="Stock rotation",
        resolutions=["credit", "replacement_order"],
    )
    db_session.commit()
    return version.workflow, return_type


def _form(return_type, **fields) -> dict:
    data = {
        "name": return_type.name,
        "code": return_type.code,
        "description": "",
        "reasons": "Slow seller",
        "resolutions": ["credit", "replacement_order"],
        "workflow": str(return_type.workflow_id),
    }
    data.update(fields)
    return data


def test_the_return_type_page_names_the_resolution_and_the_fix(client, db_session, admin):
    _workflow, return_type = _old_rotation(db_session, admin)
    page = _text(client.get(f"/designer/return-types/{return_type.id}"))
    assert 'id="resolution-problems"' in page
    assert STOCK_ROTATION_DEFAULT in page


def test_saving_a_return_type_with_a_resolution_its_workflow_cannot_carry_out_is_refused(
    client, db_session, admin
):
    _workflow, return_type = _old_rotation(db_session, admin)
    response = client.post(
        f"/designer/return-types/{return_type.id}", data=_form(return_type, name="Rotation")
    )
    assert response.status_code == 422
    assert STOCK_ROTATION_DEFAULT.replace("Stock rotation", "Rotation", 1) in _text(response)
    db_session.expire_all()
    assert db_session.get(ReturnType, return_type.id).name == "Stock rotation"
    # Removing the resolution is one of the two fixes.
    response = client.post(
        f"/designer/return-types/{return_type.id}", data=_form(return_type, resolutions=["credit"])
    )
    assert response.status_code == 303
    page = _text(client.get(f"/designer/return-types/{return_type.id}"))
    assert 'id="resolution-problems"' not in page


def test_creating_a_return_type_on_a_shipped_template_with_its_defaults(client, db_session, admin):
    data = {
        "name": "Rotation",
        "code": "ROT2",
        "reasons": "Slow seller",
        "resolutions": ["credit", "replacement_order"],
        "workflow": "template:stock_rotation",
    }
    assert client.post("/designer/return-types/new", data=data).status_code == 303


def test_publishing_a_workflow_a_return_type_cannot_run_on_is_refused_until_fixed(
    client, db_session, admin
):
    workflow, return_type = _old_rotation(db_session, admin)
    draft_from(db_session, workflow.versions[0], admin)
    db_session.commit()
    editor = _text(client.get(f"/designer/workflows/{workflow.id}"))
    assert STOCK_ROTATION_DEFAULT in editor
    assert "1 problem to fix before publishing" in editor
    response = client.post(
        f"/designer/workflows/{workflow.id}/publish",
        data={"base": base(db_session, workflow)},
        headers=HX,
    )
    assert response.status_code == 422
    assert "problem(s) listed before publishing" in _text(response)
    assert STOCK_ROTATION_DEFAULT in _text(response)
    assert draft_of(db_session, workflow).status is VersionStatus.DRAFT

    # The other fix: give the workflow the resolve transition (here: the shipped template).
    import_config(db_session, workflow, admin, load_template("stock_rotation"))
    db_session.commit()
    assert STOCK_ROTATION_DEFAULT not in _text(client.get(f"/designer/workflows/{workflow.id}"))
    response = client.post(
        f"/designer/workflows/{workflow.id}/publish",
        data={"base": base(db_session, workflow), "seen": "1", "confirmed": "yes"},
        headers=HX,
    )
    assert response.status_code == 204
    db_session.expire_all()
    page = _text(client.get(f"/designer/return-types/{return_type.id}"))
    assert 'id="resolution-problems"' not in page
