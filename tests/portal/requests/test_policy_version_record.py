"""A submitted request records the policy version it was judged under, in its submit event;
its findings stay as they were when the policy changes later."""

from __future__ import annotations

from sqlalchemy import select

from models import Rma, RmaEvent
from tests.factories import make_policy_version
from tests.portal.requests.helpers import (
    add,
    complete_lines,
    return_type,
    start,
    submit,
)
from tests.support import rule
from workflow_designer.runtime.policy_versions import POLICY_VERSION

SIZE = {"request_size": rule(min_units=2, max_units=None)}
STRICTER = {"request_size": rule(min_units=50, max_units=None)}


def _submitted(client, db_session, login_as, world, rtype) -> Rma:
    login_as(world.retailer)
    number = start(client, rtype)
    picks = {world.lines["velo"].id: 3, world.lines["red"].id: 2}
    assert add(client, number, picks).status_code == 200
    complete_lines(client, number)
    assert submit(client, number, resolution="credit").status_code == 303
    db_session.expire_all()
    rma = db_session.scalar(select(Rma).where(Rma.number == number))
    assert rma is not None
    return rma


def _submit_event(db_session, rma: Rma) -> RmaEvent:
    event = db_session.scalar(
        select(RmaEvent).where(RmaEvent.rma_id == rma.id, RmaEvent.trigger == "submit")
    )
    assert event is not None
    return event


def test_the_submit_event_names_the_current_policy_version(client, db_session, login_as, world):
    rtype = return_type(db_session, world, SIZE)
    make_policy_version(db_session, rtype, params={})
    make_policy_version(db_session, rtype)  # version 2: what rtype.policy holds
    db_session.commit()
    rma = _submitted(client, db_session, login_as, world, rtype)
    assert _submit_event(db_session, rma).data[POLICY_VERSION] == 2
    findings = rma.policy_findings
    assert rma.policy_passed

    rtype.policy = STRICTER  # the policy changes after submission
    make_policy_version(db_session, rtype)
    db_session.commit()
    db_session.expire_all()
    rma = db_session.get(Rma, rma.id)
    assert rma.policy_passed and rma.policy_findings == findings  # the verdict is kept
    assert _submit_event(db_session, rma).data[POLICY_VERSION] == 2


def test_without_versions_nothing_is_claimed(client, db_session, login_as, world):
    rtype = return_type(db_session, world, SIZE)
    db_session.commit()
    rma = _submitted(client, db_session, login_as, world, rtype)
    assert POLICY_VERSION not in _submit_event(db_session, rma).data
