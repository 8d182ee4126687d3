"""Exceptions stay on the record: the justification, the rules broken with their figures
as submitted, and who decided with their comment — on the RMA page for staff and for the
retailer of the account, and in the admin's RMA export, whatever happens to the RMA later."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from models import Rma, RmaEvent, Role
from tests.factories import make_user
from tests.portal.requests.helpers import add, complete_lines, return_type, start, submit
from tests.support import rule

AGE = {"purchase_age": rule("exception", min_days=90, max_days=730)}
WHY = "The range was replaced a month after we bought it."


def rma_of(session, number: str) -> Rma:
    rma = session.scalar(select(Rma).where(Rma.number == number))
    session.refresh(rma)
    return rma


def submitted_exception(client, db_session, login_as, world) -> str:
    """A request 30 days after purchase (the policy wants 90) submitted as an exception."""
    rtype = return_type(db_session, world, AGE)
    login_as(world.retailer)
    number = start(client, rtype)
    assert add(client, number, {world.lines["recent"].id: 3}).status_code == 200
    complete_lines(client, number)
    client.post(f"/requests/{number}/exception", data={"justification": WHY})
    assert submit(client, number).status_code == 303
    assert rma_of(db_session, number).state == "rep_review"
    return number


def decide(client, login_as, rep, number: str, decision: str, comment: str) -> None:
    login_as(rep)
    response = client.post(
        f"/approvals/{number}/decide", data={"decision": decision, "comment": comment}
    )
    assert response.status_code in (200, 303), response.get_data(as_text=True)


def section(html: str) -> str:
    assert 'id="rma-exception"' in html
    return html.split('id="rma-exception"', 1)[1].split("</section>", 1)[0]


def page(client, number: str) -> str:
    response = client.get(f"/rmas/{number}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def export(client) -> dict[str, dict[str, str]]:
    response = client.get("/admin/rmas.csv?headers=codes")
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    return {row["number"]: row for row in rows}


def test_the_submit_event_keeps_a_snapshot_of_the_exception(client, db_session, login_as, world):
    number = submitted_exception(client, db_session, login_as, world)
    rma = rma_of(db_session, number)
    (event,) = db_session.scalars(select(RmaEvent).where(RmaEvent.rma_id == rma.id)).all()
    snapshot = event.data["exception"]
    assert snapshot["justification"] == WHY
    (broken,) = snapshot["rules_broken"]
    assert broken["rule"] == "purchase_age"
    assert broken["figures"]["min_days"] == 90


def test_an_approved_exception_stays_visible_to_retailer_and_staff_after_a_resubmission(
    client, db_session, login_as, world
):
    number = submitted_exception(client, db_session, login_as, world)
    decide(client, login_as, world.rep, number, "request_changes", "Which shop is closing?")
    assert rma_of(db_session, number).state == "changes_requested"

    login_as(world.retailer)  # sends it back from the RMA page, as it stands
    version = rma_of(db_session, number).version
    response = client.post(
        f"/rmas/{number}/actions", data={"trigger": "submit", "version": str(version)}
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    decide(client, login_as, world.rep, number, "approve", "Good partner; approved once.")
    rma = rma_of(db_session, number)
    assert rma.state == "authorized"
    # Whatever later edits do to the RMA's own fields, the record keeps what was submitted.
    rma.exception_justification = ""
    rma.policy_findings = []
    db_session.flush()

    admin = make_user(db_session, Role.ADMIN, name="Ada Admin")
    for viewer in (world.retailer, world.rep, admin):
        login_as(viewer)
        html = section(page(client, number))
        assert 'data-exception-outcome="approved"' in html
        assert html.count(WHY) == 2  # one snapshot per submission, the earlier one kept
        assert html.count('data-rule="purchase_age"') == 2
        assert 'data-figure="min_days">90 days<' in html
        assert "Changes requested</strong> by Rita Rep" in html
        assert "Which shop is closing?" in html
        assert "Approved</strong> by Rita Rep" in html
        assert "Good partner; approved once." in html

    login_as(world.other_retailer)
    assert client.get(f"/rmas/{number}").status_code == 404

    login_as(admin)
    row = export(client)[number]
    assert row["exception_requested"] == "yes"
    assert row["exception_justification"] == WHY
    assert row["exception_rules_broken"].startswith("Purchase age: ")
    assert row["exception_decision"] == "approved"
    assert row["exception_decided_by"] == "Rita Rep"
    assert row["exception_decision_comment"] == "Good partner; approved once."


def test_a_refused_exception_shows_who_refused_it_and_why(client, db_session, login_as, world):
    number = submitted_exception(client, db_session, login_as, world)
    decide(client, login_as, world.rep, number, "reject", "Too soon after the purchase.")
    assert rma_of(db_session, number).state == "rejected"

    login_as(world.retailer)
    html = section(page(client, number))
    assert 'data-exception-outcome="refused"' in html
    assert "Refused</strong> by Rita Rep" in html
    assert "Too soon after the purchase." in html and WHY in html

    login_as(make_user(db_session, Role.ADMIN))
    row = export(client)[number]
    assert (row["exception_decision"], row["exception_decided_by"]) == ("refused", "Rita Rep")
    assert row["exception_decision_comment"] == "Too soon after the purchase."


def test_a_pending_exception_and_a_request_within_policy(client, db_session, login_as, world):
    number = submitted_exception(client, db_session, login_as, world)
    html = section(page(client, number))
    assert 'data-exception-outcome="pending"' in html and "Nobody has decided yet." in html

    rtype = return_type(db_session, world, AGE)
    number_ok = start(client, rtype)
    assert add(client, number_ok, {world.lines["velo"].id: 2}).status_code == 200
    complete_lines(client, number_ok)
    assert submit(client, number_ok).status_code == 303
    assert 'id="rma-exception"' not in page(client, number_ok)

    login_as(make_user(db_session, Role.ADMIN))
    rows = export(client)
    assert rows[number]["exception_decision"] == "pending"
    assert rows[number]["exception_decided_by"] == ""
    assert [rows[number_ok][k] for k in ("exception_requested", "exception_decision")] == [
        "no",
        "",
    ]
