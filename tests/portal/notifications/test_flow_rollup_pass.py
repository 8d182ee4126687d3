"""A worker pass brings the process analytics' rollups up to the event log."""

from __future__ import annotations

from sqlalchemy import select

from models import FlowStateVisit, FlowSubmission
from models.base import utcnow
from portal.notifications.cli import worker
from tests.factories import make_rma
from workflow_designer.runtime.firing import fire


def test_a_worker_pass_rolls_up_new_events(app, db_session, shop, tmp_path):
    app.instance_path = str(tmp_path)
    rma = make_rma(db_session, shop["account"], shop["version"], exception_requested=True)
    fire(db_session, rma, "submit", shop["retailer"])
    rma.submitted_at = utcnow()  # as the request's submission sets it with the event
    db_session.commit()

    result = app.test_cli_runner().invoke(worker, ["--once"])

    assert result.exit_code == 0, result.output
    db_session.expire_all()
    (visit,) = db_session.scalars(select(FlowStateVisit).where(FlowStateVisit.rma_id == rma.id))
    assert (visit.state, visit.trigger) == ("draft", "submit")
    assert db_session.get(FlowSubmission, rma.id).exception_requested


def test_a_failing_refresh_does_not_stop_delivery(app, db_session, shop, tmp_path, monkeypatch):
    app.instance_path = str(tmp_path)
    rma = make_rma(db_session, shop["account"], shop["version"], exception_requested=True)
    fire(db_session, rma, "submit", shop["retailer"])
    db_session.commit()

    def broken(*_args, **_kwargs):
        raise RuntimeError("the rollups are locked")

    monkeypatch.setattr("portal.notifications.cli.refresh_flow_rollups", broken)
    result = app.test_cli_runner().invoke(worker, ["--once"])
    assert result.exit_code == 0, result.output
    assert "refreshing the analytics rollups failed" in result.output
    assert "Sent 1," in result.output
