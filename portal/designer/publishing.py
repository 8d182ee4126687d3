"""What the publish confirmation shows: the draft's changes in words compared with the
published version, and how many open RMAs stay on the version they were created under."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from models import Workflow, WorkflowVersion
from portal.designer import operations, queries
from workflow_designer.engine.diff import Change, diff_docs
from workflow_designer.engine.validation import validate
from workflow_designer.runtime.versions import open_rmas_pinned, published_version


@dataclass(frozen=True)
class PublishPreview:
    draft: WorkflowVersion
    published: WorkflowVersion | None
    changes: list[Change]
    pinned_open: int  # RMAs not in a final state, staying on earlier versions
    digest: str  # of the draft as shown: confirming publishes exactly this
    problem_count: int

    @property
    def seen_published(self) -> int:
        return self.published.number if self.published else 0


def publish_preview(session: Session, workflow: Workflow) -> PublishPreview | None:
    """The confirmation of publishing ``workflow``'s draft; None when it has no draft."""
    draft = operations.locked_draft(session, workflow, lock=False)
    if draft is None:
        return None
    published = published_version(session, workflow.id)
    problems = validate(draft.config) + operations.users_problems(session, workflow, draft.config)
    return PublishPreview(
        draft=draft,
        published=published,
        changes=diff_docs(
            published.config if published else {}, draft.config, queries.approver_names(session)
        ),
        pinned_open=open_rmas_pinned(session, workflow.id),
        digest=operations.config_digest(draft.config),
        problem_count=len(problems),
    )
