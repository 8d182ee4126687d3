"""Publishing, history, restoring, diffs, import and export of workflows."""

from __future__ import annotations

import io
import json

import pytest

from models import VersionStatus, WorkflowVersion
from tests.factories import make_account, make_rma
from tests.portal.designer.helpers import HX, base, current_config, draft_of
from workflow_designer.engine import load_template


def _add_state(client, db_session, workflow, label="Quality check"):
    return client.post(
        f"/designer/workflows/{workflow.id}/states",
        data={"new-state-label": label, "new-state-base": base(db_session, workflow)},
        headers=HX,
    )


def test_publishing_is_refused_while_problems_stand(client, db_session, admin, workflow):
    _add_state(client, db_session, workflow)  # unreachable: a problem
    response = client.post(
        f"/designer/workflows/{workflow.id}/publish",
        data={"base": base(db_session, workflow)},
        headers=HX,
    )
    assert response.status_code == 422
    assert "problem(s) listed before publishing" in response.data.decode()
    assert draft_of(db_session, workflow).status is VersionStatus.DRAFT


def test_publishing_a_valid_draft_and_finding_it_in_the_history(
    client, db_session, admin, version, workflow
):
    client.post(
        f"/designer/workflows/{workflow.id}/states/closed",
        data={
            "state-closed-label": "Done",
            "state-closed-final": "y",
            "state-closed-base": base(db_session, workflow),
        },
        headers=HX,
    )
    # The editor's button asks first: it leads to the confirmation, which publishes.
    response = client.post(
        f"/designer/workflows/{workflow.id}/publish",
        data={"base": base(db_session, workflow)},
        headers=HX,
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith(f"/designer/workflows/{workflow.id}/publish")
    assert draft_of(db_session, workflow).status is VersionStatus.DRAFT
    response = client.post(
        f"/designer/workflows/{workflow.id}/publish",
        data={"base": base(db_session, workflow), "seen": "1", "confirmed": "yes"},
        headers=HX,
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith(f"/designer/workflows/{workflow.id}/history")
    make_rma(db_session, make_account(db_session), version)
    db_session.commit()
    html = client.get(f"/designer/workflows/{workflow.id}/history").data.decode()
    assert "Version 2 published" in html
    assert 'id="version-2"' in html and "by Ada Admin" in html
    row_1 = html.split('id="version-1"')[1].split("</tr>")[0]
    assert "archived" in row_1 and '<td class="num">1</td>' in row_1


def test_publishing_without_htmx_redirects(client, db_session, admin, workflow):
    _add_state(client, db_session, workflow)
    client.post(
        f"/designer/workflows/{workflow.id}/states/quality_check/remove",
        data={"base": base(db_session, workflow), "confirmed": "yes"},
        headers=HX,
    )
    response = client.post(
        f"/designer/workflows/{workflow.id}/publish", data={"base": base(db_session, workflow)}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/designer/workflows/{workflow.id}/publish")


def test_publishing_with_no_draft_or_a_stale_page(client, db_session, admin, workflow):
    response = client.post(
        f"/designer/workflows/{workflow.id}/publish",
        data={"base": base(db_session, workflow)},
        headers=HX,
    )
    assert response.status_code == 422
    assert "There is no draft to publish" in response.data.decode()
    stale = base(db_session, workflow)
    _add_state(client, db_session, workflow)
    response = client.post(
        f"/designer/workflows/{workflow.id}/publish", data={"base": stale}, headers=HX
    )
    assert response.status_code == 409


def test_history_is_one_query_whatever_the_number_of_versions(
    db_session, admin, workflow, count_queries
):
    from portal.designer.queries import version_history
    from workflow_designer.runtime.versions import draft_from, publish

    for _ in range(3):
        published = (
            db_session.query(WorkflowVersion)
            .filter_by(workflow_id=workflow.id, status=VersionStatus.PUBLISHED)
            .one()
        )
        publish(db_session, draft_from(db_session, published, admin), admin)
    db_session.flush()
    db_session.expire_all()
    assert workflow.id  # loaded before counting
    before = len(count_queries)
    rows = version_history(db_session, workflow)
    assert len(rows) == 4
    assert [r.version.created_by.name for r in rows] == ["Ada Admin"] * 4
    assert len(count_queries) - before == 1


def test_restoring_an_old_version_as_the_draft(client, db_session, admin, workflow):
    _add_state(client, db_session, workflow)
    response = client.post(f"/designer/workflows/{workflow.id}/versions/1/restore")
    assert response.status_code == 303
    draft = draft_of(db_session, workflow)
    assert draft.number == 2 and draft.config == load_template("stock_rotation")
    client.post(f"/designer/workflows/{workflow.id}/discard")
    assert draft_of(db_session, workflow) is None
    client.post(f"/designer/workflows/{workflow.id}/versions/1/restore")
    assert draft_of(db_session, workflow).number == 2
    response = client.post(
        f"/designer/workflows/{workflow.id}/versions/2/restore", follow_redirects=True
    )
    assert "This version is the draft already." in response.data.decode()


def test_the_only_version_cannot_be_discarded(client, db_session, admin):
    response = client.post(
        "/designer/workflows/new", data={"name": "Fresh", "template": "wrong_item"}
    )
    workflow_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = client.post(f"/designer/workflows/{workflow_id}/discard", follow_redirects=True)
    assert "This is the workflow&#39;s only version" in response.data.decode()


def test_diff_shows_added_removed_and_changed(client, db_session, admin, workflow):
    _add_state(client, db_session, workflow)
    client.post(
        f"/designer/workflows/{workflow.id}/states/authorized",
        data={
            "state-authorized-label": "Approved",
            "state-authorized-base": base(db_session, workflow),
        },
        headers=HX,
    )
    html = client.get(f"/designer/workflows/{workflow.id}/diff?a=1&b=2").data.decode()
    assert "Version 1 → version 2" in html
    assert "4 changes from version 1 to version 2." in html  # the form left out its text
    assert "New state: Quality check" in html
    assert "Approved: label Authorized → Approved" in html
    same = client.get(f"/designer/workflows/{workflow.id}/diff?a=1&b=1").data.decode()
    assert "These two versions work the same way" in same
    assert client.get(f"/designer/workflows/{workflow.id}/diff?a=1&b=9").status_code == 404


def test_export_gives_the_document(client, admin, workflow):
    response = client.get(f"/designer/workflows/{workflow.id}/export")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert json.loads(response.data) == load_template("stock_rotation")
    assert client.get(f"/designer/workflows/{workflow.id}/export?version=7").status_code == 404


def test_importing_a_valid_document_replaces_the_draft(client, db_session, admin, workflow):
    upload = (io.BytesIO(json.dumps(load_template("wrong_item")).encode()), "flow.json")
    response = client.post(
        f"/designer/workflows/{workflow.id}/import",
        data={"file": upload},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert current_config(db_session, workflow) == load_template("wrong_item")


def test_importing_an_invalid_document_lists_every_problem(client, db_session, admin, workflow):
    doc = load_template("wrong_item")
    doc["initial"] = "nowhere"
    doc["transitions"][0]["guards"] = [{"guard": "os.system"}]
    response = client.post(
        f"/designer/workflows/{workflow.id}/import", data={"text": json.dumps(doc)}
    )
    assert response.status_code == 422
    html = response.data.decode()
    assert "Nothing was imported: 2 problems" in html
    assert "The initial state &#39;nowhere&#39; is not one of the states." in html
    assert "Unknown guard &#39;os.system&#39;" in html
    assert draft_of(db_session, workflow) is None


def test_importing_something_that_is_not_json(client, db_session, admin, workflow):
    response = client.post(f"/designer/workflows/{workflow.id}/import", data={"text": "{nope"})
    assert response.status_code == 422
    assert "This is not valid JSON (line 1, column 2)" in response.data.decode()
    response = client.post(f"/designer/workflows/{workflow.id}/import", data={"text": ""})
    assert "Choose a file or paste a workflow." in response.data.decode()


def test_importing_a_too_deep_or_too_large_document(client, db_session, admin, workflow):
    deep = "[" * 10_000 + "]" * 10_000
    response = client.post(f"/designer/workflows/{workflow.id}/import", data={"text": deep})
    assert response.status_code == 422
    assert "nested too deeply (32 levels at most)" in response.data.decode()
    upload = (io.BytesIO(b'{"a": ' * 5_000 + b"1" + b"}" * 5_000), "deep.json")
    response = client.post(
        f"/designer/workflows/{workflow.id}/import",
        data={"file": upload},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "nested too deeply" in response.data.decode()
    doc = load_template("wrong_item")
    doc["initial"] = "NaN"
    response = client.post(
        f"/designer/workflows/{workflow.id}/import",
        data={"text": json.dumps(doc).replace('"NaN"', "NaN")},
    )
    assert response.status_code == 422
    assert "holds NaN, which is not a number" in response.data.decode()
    assert draft_of(db_session, workflow) is None


def test_new_workflow_from_a_template(client, db_session, admin):
    response = client.post(
        "/designer/workflows/new",
        data={"name": "Overstock returns", "template": "defective_warranty"},
    )
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).data.decode()
    assert "Overstock returns" in html and "Draft · version 1" in html
    response = client.post("/designer/workflows/new", data={"name": "", "template": "nope"})
    assert response.status_code == 422


@pytest.mark.parametrize("name", ["Fresh\x00", "Fresh\r\nLine", "F" * 121])
def test_a_new_workflow_name_that_cannot_be_stored_is_refused(client, db_session, admin, name):
    from sqlalchemy import func, select

    from models import Workflow

    before = db_session.scalar(select(func.count(Workflow.id)))
    response = client.post("/designer/workflows/new", data={"name": name, "template": "wrong_item"})
    assert response.status_code == 422
    assert db_session.scalar(select(func.count(Workflow.id))) == before
