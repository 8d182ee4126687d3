"""Publishing asks first: what changes, which open returns stay where they are; then confirm."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Role, VersionStatus, WorkflowVersion
from tests.factories import (
    make_account,
    make_published_workflow,
    make_retailer,
    make_rma,
    make_user,
)
from tests.portal.designer.helpers import HX, base, draft_of, row_counts
from workflow_designer.runtime.versions import draft_from, publish, update_draft


def _statuses(session, workflow) -> dict[int, VersionStatus]:
    session.expire_all()
    rows = session.execute(
        select(WorkflowVersion.number, WorkflowVersion.status).where(
            WorkflowVersion.workflow_id == workflow.id
        )
    )
    return dict(rows.all())


def _rename_authorized(client, session, workflow, label="Approved"):
    response = client.post(
        f"/designer/workflows/{workflow.id}/states/authorized",
        data={
            "state-authorized-label": label,
            "state-authorized-description": "Ship the items back.",
            "state-authorized-base": base(session, workflow),
        },
        headers=HX,
    )
    assert response.status_code == 200
    return draft_of(session, workflow)


def _confirm(client, session, workflow, seen="1", **headers):
    return client.post(
        f"/designer/workflows/{workflow.id}/publish",
        data={"base": base(session, workflow), "seen": seen, "confirmed": "yes"},
        headers=headers,
    )


@pytest.fixture
def open_rmas(db_session, version, workflow):
    """Two open returns on version 1, one finished; one open return of another workflow."""
    account = make_account(db_session)
    make_rma(db_session, account, version)
    make_rma(db_session, account, version, state="authorized")
    make_rma(db_session, account, version, state="closed")
    make_rma(db_session, account, make_published_workflow(db_session, name="Elsewhere"))
    db_session.commit()


def test_the_confirmation_says_what_changes_and_who_stays(
    client, db_session, admin, workflow, open_rmas
):
    draft = _rename_authorized(client, db_session, workflow)
    response = client.get(f"/designer/workflows/{workflow.id}/publish")
    assert response.status_code == 200
    html = response.data.decode()
    assert f"Publish version {draft.number} of “Rotation flow”?" in html
    assert "compared with version 1, published now" in html
    assert "Approved: label Authorized → Approved" in html
    assert 'class="change-side change-before"' in html  # old and new side by side
    pinned = html.split('id="pinned-open"')[1].split("</p>")[0]
    assert "2 open returns" in pinned
    assert 'name="confirmed" value="yes"' in html and 'name="seen" value="1"' in html
    assert 'name="csrf_token"' in html
    assert _statuses(db_session, workflow) == {1: VersionStatus.PUBLISHED, 2: VersionStatus.DRAFT}


def test_the_pinned_count_follows_each_version_s_own_end_states(
    client, db_session, admin, version, workflow, open_rmas
):
    # Returns on version 2 (now published) are counted too, each by its own version's ends.
    published = publish(db_session, draft_from(db_session, version, admin), admin)
    account = make_account(db_session)
    make_rma(db_session, account, published, state="authorized")
    make_rma(db_session, account, published, state="rejected")
    db_session.commit()
    _rename_authorized(client, db_session, workflow)
    html = client.get(f"/designer/workflows/{workflow.id}/publish").data.decode()
    assert "3 open returns" in html.split('id="pinned-open"')[1].split("</p>")[0]


def test_the_editor_s_button_only_leads_to_the_confirmation(
    client, db_session, admin, workflow, open_rmas
):
    _rename_authorized(client, db_session, workflow)
    before = row_counts(db_session)
    response = client.post(
        f"/designer/workflows/{workflow.id}/publish", data={"base": base(db_session, workflow)}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/designer/workflows/{workflow.id}/publish")
    assert _statuses(db_session, workflow) == {1: VersionStatus.PUBLISHED, 2: VersionStatus.DRAFT}
    assert row_counts(db_session) == before


def test_confirming_publishes(client, db_session, admin, workflow, open_rmas):
    _rename_authorized(client, db_session, workflow)
    response = _confirm(client, db_session, workflow)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/designer/workflows/{workflow.id}/history")
    assert _statuses(db_session, workflow) == {
        1: VersionStatus.ARCHIVED,
        2: VersionStatus.PUBLISHED,
    }
    history = client.get(f"/designer/workflows/{workflow.id}/history").data.decode()
    assert "Version 2 published" in history


def test_a_confirmation_made_before_another_publication_is_a_conflict(
    client, db_session, admin, version, workflow
):
    draft = _rename_authorized(client, db_session, workflow)
    stale_base = base(db_session, workflow)
    # Meanwhile another admin publishes this draft, and starts a new one.
    publish(db_session, draft, admin)
    newer = draft_from(db_session, draft, admin)
    update_draft(db_session, newer, {**newer.config, "initial": "draft"})
    db_session.commit()
    before = row_counts(db_session)
    for data_base in (stale_base, base(db_session, workflow)):
        response = client.post(
            f"/designer/workflows/{workflow.id}/publish",
            data={"base": data_base, "seen": "1", "confirmed": "yes"},
        )
        assert response.status_code == 409
        html = response.data.decode()
        assert "The published version changed after this confirmation was shown" in html
        assert "it is now version 2" in html and "Nothing was published" in html
    assert _statuses(db_session, workflow) == {
        1: VersionStatus.ARCHIVED,
        2: VersionStatus.PUBLISHED,
        3: VersionStatus.DRAFT,
    }
    assert row_counts(db_session) == before
    # The page shown with the refusal compares with what is published now.
    assert 'name="seen" value="2"' in html


def test_a_confirmation_after_the_draft_was_published_is_a_conflict(
    client, db_session, admin, workflow
):
    draft = _rename_authorized(client, db_session, workflow)
    stale_base = base(db_session, workflow)
    publish(db_session, draft, admin)
    db_session.commit()
    response = client.post(
        f"/designer/workflows/{workflow.id}/publish",
        data={"base": stale_base, "seen": "1", "confirmed": "yes"},
        headers=HX,
    )
    assert response.status_code == 409
    assert "Nothing was published" in response.data.decode()
    assert _statuses(db_session, workflow) == {
        1: VersionStatus.ARCHIVED,
        2: VersionStatus.PUBLISHED,
    }


def test_a_first_version_is_confirmed_against_none(client, db_session, admin):
    response = client.post(
        "/designer/workflows/new", data={"name": "Fresh", "template": "wrong_item"}
    )
    workflow_id = int(response.headers["Location"].rsplit("/", 1)[1])
    html = client.get(f"/designer/workflows/{workflow_id}/publish").data.decode()
    assert "No version is published yet" in html and 'name="seen" value="0"' in html
    workflow = db_session.get(WorkflowVersion, draft_id(db_session, workflow_id)).workflow
    assert _confirm(client, db_session, workflow, seen="1").status_code == 409
    assert _confirm(client, db_session, workflow, seen="0").status_code == 303
    assert _statuses(db_session, workflow) == {1: VersionStatus.PUBLISHED}


def draft_id(session, workflow_id) -> int:
    return session.scalar(
        select(WorkflowVersion.id).where(WorkflowVersion.workflow_id == workflow_id)
    )


def test_a_draft_with_problems_cannot_be_confirmed(client, db_session, admin, workflow):
    client.post(
        f"/designer/workflows/{workflow.id}/states",
        data={"new-state-label": "Quality check", "new-state-base": base(db_session, workflow)},
        headers=HX,
    )  # unreachable: a problem
    html = client.get(f"/designer/workflows/{workflow.id}/publish").data.decode()
    assert "before publishing" in html and 'id="confirm-publish"' not in html
    assert _confirm(client, db_session, workflow).status_code == 422
    assert draft_of(db_session, workflow).status is VersionStatus.DRAFT


def test_nothing_to_confirm_without_a_draft(client, db_session, admin, workflow):
    response = client.get(f"/designer/workflows/{workflow.id}/publish")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/designer/workflows/{workflow.id}")


@pytest.mark.parametrize("seen", ["", "x", "-1", "²", "9" * 12])
def test_a_confirmation_without_a_readable_version_is_refused(
    client, db_session, admin, workflow, seen
):
    _rename_authorized(client, db_session, workflow)
    assert _confirm(client, db_session, workflow, seen=seen).status_code == 400
    assert draft_of(db_session, workflow).status is VersionStatus.DRAFT


@pytest.mark.parametrize("role", [Role.SALES_REP, Role.WAREHOUSE, Role.RETAILER])
def test_only_admins_confirm(client, db_session, login_as, admin, workflow, role):
    _rename_authorized(client, db_session, workflow)
    data = {"base": base(db_session, workflow), "seen": "1", "confirmed": "yes"}
    login_as(make_retailer(db_session) if role is Role.RETAILER else make_user(db_session, role))
    assert client.get(f"/designer/workflows/{workflow.id}/publish").status_code == 403
    response = client.post(f"/designer/workflows/{workflow.id}/publish", data=data)
    assert response.status_code == 403
    assert draft_of(db_session, workflow).status is VersionStatus.DRAFT


def test_the_diff_page_shows_no_change_for_equivalent_spellings(
    client, db_session, admin, version, workflow
):
    config = version.config
    draft = draft_from(db_session, version, admin)
    reordered = {
        **config,
        "transitions": [{**t, "roles": list(reversed(t["roles"]))} for t in config["transitions"]],
    }
    update_draft(db_session, draft, reordered)
    db_session.commit()
    html = client.get(f"/designer/workflows/{workflow.id}/diff?a=1&b=2").data.decode()
    assert "These two versions work the same way" in html
    assert 'class="change ' not in html
