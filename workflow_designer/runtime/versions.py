"""Workflow versions: drafts are edited, published versions are immutable, old ones archived.

Operations take a session and never commit. Immutability is enforced three times over:
here (only drafts are edited), in a flush hook (any code path), and by a database trigger.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from models import Rma, User, VersionStatus, Workflow, WorkflowVersion
from models.base import utcnow
from workflow_designer.engine.editing import states
from workflow_designer.engine.errors import InvalidWorkflow, WorkflowError
from workflow_designer.engine.validation import validate


class VersionNotEditable(WorkflowError):
    """Only a draft may change; published and archived versions are history."""


def create_workflow(
    session: Session, *, code: str, name: str, config: dict[str, Any], actor: User | None
) -> WorkflowVersion:
    """A new workflow with ``config`` as its first draft."""
    workflow = Workflow(code=code, name=name)
    session.add(workflow)
    session.flush()
    return _new_draft(session, workflow, config, actor)


def current_draft(session: Session, workflow: Workflow) -> WorkflowVersion | None:
    return session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflow.id,
            WorkflowVersion.status == VersionStatus.DRAFT,
        )
    )


def published_version(session: Session, workflow_id: int) -> WorkflowVersion | None:
    """The version new RMAs of this workflow are created under."""
    return session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflow_id,
            WorkflowVersion.status == VersionStatus.PUBLISHED,
        )
    )


def update_draft(session: Session, version: WorkflowVersion, config: dict[str, Any]) -> None:
    if not version.is_editable:
        raise VersionNotEditable(f"version {version.number} is {version.status.value}")
    version.config = config


def publish(session: Session, version: WorkflowVersion, actor: User | None) -> WorkflowVersion:
    """Publish a valid draft; the version published before it is archived."""
    if not version.is_editable:
        raise VersionNotEditable(f"version {version.number} is already {version.status.value}")
    problems = validate(version.config)
    if problems:
        raise InvalidWorkflow(problems)
    previous = published_version(session, version.workflow_id)
    if previous is not None:
        previous.status = VersionStatus.ARCHIVED
    version.status = VersionStatus.PUBLISHED
    version.published_at = utcnow()
    version.published_by_id = actor.id if actor else None
    session.flush()
    return version


def draft_from(session: Session, version: WorkflowVersion, actor: User | None) -> WorkflowVersion:
    """A new draft holding a copy of ``version``'s config (restoring an old version)."""
    workflow = version.workflow
    if current_draft(session, workflow) is not None:
        raise VersionNotEditable("this workflow already has a draft; publish or discard it first")
    return _new_draft(session, workflow, version.config, actor)


def open_rmas_pinned(session: Session, workflow_id: int) -> int:
    """How many RMAs not yet in a final state run on a published or archived version of
    this workflow: each stays on the version it was created under whatever is published."""
    versions = session.execute(
        select(WorkflowVersion.id, WorkflowVersion.config).where(
            WorkflowVersion.workflow_id == workflow_id,
            WorkflowVersion.status != VersionStatus.DRAFT,
        )
    ).all()
    finals = {
        version_id: {
            s.get("name")
            for s in states(config if isinstance(config, dict) else {})
            if s.get("final") is True
        }
        for version_id, config in versions
    }
    if not finals:
        return 0
    counts = session.execute(
        select(Rma.workflow_version_id, Rma.state, func.count(Rma.id))
        .where(Rma.workflow_version_id.in_(finals))
        .group_by(Rma.workflow_version_id, Rma.state)
    ).all()
    return sum(n for version_id, state, n in counts if state not in finals[version_id])


def _new_draft(
    session: Session, workflow: Workflow, config: dict[str, Any], actor: User | None
) -> WorkflowVersion:
    last = session.scalar(
        select(func.max(WorkflowVersion.number)).where(WorkflowVersion.workflow_id == workflow.id)
    )
    version = WorkflowVersion(
        workflow_id=workflow.id,
        number=(last or 0) + 1,
        status=VersionStatus.DRAFT,
        config=config,
        created_by_id=actor.id if actor else None,
    )
    session.add(version)
    session.flush()
    return version


FROZEN_COLUMNS = ("config", "number", "workflow_id")


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_history(session: Session, _context, _instances) -> None:
    for obj in session.dirty:
        if isinstance(obj, WorkflowVersion):
            _check_frozen(obj)


def _check_frozen(version: WorkflowVersion) -> None:
    state = inspect(version)
    status_history = state.attrs.status.history
    was = status_history.deleted[0] if status_history.deleted else version.status
    if was is VersionStatus.DRAFT:
        return
    changed = [name for name in FROZEN_COLUMNS if state.attrs[name].history.has_changes()]
    if changed or version.status is VersionStatus.DRAFT:
        raise VersionNotEditable(
            f"workflow version {version.number} is {was.value}; published versions are immutable"
        )
