"""Admins saving one policy at once (PostgreSQL, real threads and connections): each save
gets its own number, consecutive, never one number twice."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from models import PolicyVersion, ReturnType, Role, User
from tests.factories import (
    make_policy_version,
    make_published_workflow,
    make_return_type,
    make_user,
)
from workflow_designer.runtime.policy_versions import record_policy

THREADS = 6

pytestmark = pytest.mark.postgres_only


def _policy(percent: int) -> dict:
    return {"allowance": {"enabled": True, "percent": str(percent), "period_days": 365}}


def test_concurrent_saves_get_consecutive_numbers(committed_sessions):
    with committed_sessions() as session:
        workflow = make_published_workflow(session)
        return_type = make_return_type(session, workflow.workflow_id, policy=_policy(1))
        make_policy_version(session, return_type)
        admins = [make_user(session, Role.ADMIN) for _ in range(THREADS)]
        session.commit()
        return_type_id, admin_ids = return_type.id, [a.id for a in admins]

    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def save(n: int) -> None:
        try:
            with committed_sessions() as session:
                return_type = session.get(ReturnType, return_type_id)
                admin = session.get(User, admin_ids[n])
                _ = return_type.policy  # read before the race, as a page would
                barrier.wait()
                record_policy(session, return_type, _policy(10 + n), admin, f"save {n}")
                session.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    with committed_sessions() as session:
        rows = session.execute(
            select(PolicyVersion.number, PolicyVersion.params)
            .where(PolicyVersion.return_type_id == return_type_id)
            .order_by(PolicyVersion.number)
        ).all()
        stored = session.get(ReturnType, return_type_id)
        assert stored is not None
        assert [number for number, _ in rows] == list(range(1, THREADS + 2))
        assert stored.policy == rows[-1].params  # the last save is the current policy
