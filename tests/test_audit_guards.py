"""The database itself refuses changes to published workflow versions and RMA events."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from models import VersionStatus, Workflow, WorkflowVersion


@pytest.fixture
def published_version(db_session):
    workflow = Workflow(code="wf", name="Workflow")
    db_session.add(workflow)
    db_session.flush()
    version = WorkflowVersion(
        workflow_id=workflow.id, number=1, status=VersionStatus.PUBLISHED, config={"a": 1}
    )
    db_session.add(version)
    db_session.flush()
    return version


def test_published_config_cannot_change(db_session, published_version):
    refused = pytest.raises(DatabaseError, match="published workflow versions are immutable")
    with refused, db_session.begin_nested():
        db_session.execute(
            text("UPDATE workflow_versions SET config = :c WHERE id = :id"),
            {"c": '{"a": 2}', "id": published_version.id},
        )


def test_published_version_cannot_return_to_draft(db_session, published_version):
    with pytest.raises(DatabaseError, match="immutable"), db_session.begin_nested():
        db_session.execute(
            text("UPDATE workflow_versions SET status = 'draft' WHERE id = :id"),
            {"id": published_version.id},
        )


def test_published_version_can_be_archived(db_session, published_version):
    db_session.execute(
        text("UPDATE workflow_versions SET status = 'archived' WHERE id = :id"),
        {"id": published_version.id},
    )


def test_draft_can_change(db_session, published_version):
    draft = WorkflowVersion(workflow_id=published_version.workflow_id, number=2, config={"a": 1})
    db_session.add(draft)
    db_session.flush()
    draft.config = {"a": 3}
    db_session.flush()
