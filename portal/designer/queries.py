"""The designer's reads. Admins see everything; unknown ids are 404."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, joinedload

from models import (
    PolicyVersion,
    Product,
    RetailerAccount,
    ReturnType,
    Rma,
    Role,
    SimulationScenario,
    User,
    VersionStatus,
    Workflow,
    WorkflowVersion,
)
from workflow_designer.runtime import policy_versions


@dataclass(frozen=True)
class WorkflowSummary:
    workflow: Workflow
    published: int | None  # the published version's number
    draft: int | None  # the draft's number
    return_types: tuple[str, ...]


def load_return_type(session: Session, return_type_id: int) -> ReturnType:
    return_type = session.get(ReturnType, return_type_id)
    if return_type is None:
        abort(404)
    return return_type


def load_policy_version(session: Session, return_type: ReturnType, number: int) -> PolicyVersion:
    version = policy_versions.find_version(session, return_type.id, number)
    if version is None:
        abort(404)
    return version


def load_workflow(session: Session, workflow_id: int) -> Workflow:
    workflow = session.get(Workflow, workflow_id)
    if workflow is None:
        abort(404)
    return workflow


def load_version(session: Session, workflow: Workflow, number: int) -> WorkflowVersion:
    version = session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.workflow_id == workflow.id, WorkflowVersion.number == number
        )
    )
    if version is None:
        abort(404)
    return version


def return_types(session: Session) -> list[ReturnType]:
    return list(
        session.scalars(
            select(ReturnType)
            .options(joinedload(ReturnType.workflow))
            .order_by(ReturnType.is_archived, ReturnType.name)
        )
    )


def return_types_using(session: Session, workflow_id: int) -> list[ReturnType]:
    """The return types (archived ones aside) whose new returns run on ``workflow_id``."""
    return list(
        session.scalars(
            select(ReturnType)
            .where(ReturnType.workflow_id == workflow_id, ~ReturnType.is_archived)
            .order_by(ReturnType.name)
        )
    )


def workflow_summaries(session: Session) -> list[WorkflowSummary]:
    """Every workflow with its published and draft version numbers (two queries in all)."""
    published = aliased(WorkflowVersion)
    draft = aliased(WorkflowVersion)
    rows = session.execute(
        select(Workflow, published.number, draft.number)
        .outerjoin(
            published,
            (published.workflow_id == Workflow.id) & (published.status == VersionStatus.PUBLISHED),
        )
        .outerjoin(
            draft, (draft.workflow_id == Workflow.id) & (draft.status == VersionStatus.DRAFT)
        )
        .order_by(Workflow.name)
    ).all()
    users: dict[int, list[str]] = {}
    for workflow_id, name in session.execute(
        select(ReturnType.workflow_id, ReturnType.name).order_by(ReturnType.name)
    ):
        users.setdefault(workflow_id, []).append(name)
    return [WorkflowSummary(w, p, d, tuple(users.get(w.id, ()))) for w, p, d in rows]


def workflow_choices(session: Session) -> list[tuple[str, str]]:
    return [(str(w.id), w.name) for w in session.scalars(select(Workflow).order_by(Workflow.name))]


@dataclass(frozen=True)
class HistoryRow:
    version: WorkflowVersion
    rma_count: int


def version_history(session: Session, workflow: Workflow) -> list[HistoryRow]:
    """Every version, newest first, with its authors and how many RMAs run on it: one query."""
    counts = (
        select(Rma.workflow_version_id, func.count(Rma.id).label("rmas"))
        .group_by(Rma.workflow_version_id)
        .subquery()
    )
    rows = session.execute(
        select(WorkflowVersion, func.coalesce(counts.c.rmas, 0))
        .outerjoin(counts, counts.c.workflow_version_id == WorkflowVersion.id)
        .options(joinedload(WorkflowVersion.created_by), joinedload(WorkflowVersion.published_by))
        .where(WorkflowVersion.workflow_id == workflow.id)
        .order_by(WorkflowVersion.number.desc())
    ).all()
    return [HistoryRow(version, count) for version, count in rows]


def staff_users(session: Session) -> list[User]:
    """Who may be named as an approver: active staff, not retailers."""
    return list(
        session.scalars(
            select(User)
            .where(User.role != Role.RETAILER, User.is_active.is_(True))
            .order_by(User.name)
        )
    )


def approver_names(session: Session) -> dict[int, str]:
    """Staff by id, former staff included: a version's diff names its approval steps' users."""
    staff = select(User.id, User.name).where(User.role != Role.RETAILER)
    return {user_id: name for user_id, name in session.execute(staff)}


def accounts(session: Session) -> list[RetailerAccount]:
    return list(session.scalars(select(RetailerAccount).order_by(RetailerAccount.number)))


def catalog_values(session: Session, column) -> list[str]:
    """Distinct brands or categories, for the policy editor's eligibility lists."""
    return [v for v in session.scalars(select(column).distinct().order_by(column)) if v]


def brands(session: Session) -> list[str]:
    return catalog_values(session, Product.brand)


def categories(session: Session) -> list[str]:
    return catalog_values(session, Product.category)


def catalog(session: Session) -> dict[str, list[str]]:
    return {"brands": brands(session), "categories": categories(session)}


def scenarios(session: Session) -> list[SimulationScenario]:
    return list(
        session.scalars(
            select(SimulationScenario)
            .options(joinedload(SimulationScenario.return_type))
            .order_by(SimulationScenario.name)
        )
    )
