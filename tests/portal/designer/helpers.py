"""Small helpers shared by the designer's functional tests."""

from __future__ import annotations

from sqlalchemy import func, select

import models
from models import VersionStatus, WorkflowVersion
from portal.designer.operations import config_digest

HX = {"HX-Request": "true"}


def draft_of(session, workflow):
    session.expire_all()
    return session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflow.id,
            WorkflowVersion.status == VersionStatus.DRAFT,
        )
    )


def current_config(session, workflow):
    """The document the editor shows: the draft's, else the published version's."""
    draft = draft_of(session, workflow)
    if draft is not None:
        return draft.config
    return session.scalar(
        select(WorkflowVersion.config).where(
            WorkflowVersion.workflow_id == workflow.id,
            WorkflowVersion.status == VersionStatus.PUBLISHED,
        )
    )


def base(session, workflow) -> str:
    return config_digest(current_config(session, workflow))


def row_counts(session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table))
        for table in models.Base.metadata.sorted_tables
    }
