"""Submitting: the server evaluates again and trusts nothing posted; the workflow fires
once however often the form is posted; exceptions need a justification; reps act on
behalf of their accounts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models import ReplacementLine, Rma, RmaEvent
from tests.portal.requests.helpers import (
    add,
    can_submit,
    complete_lines,
    draft_page,
    line_ids,
    return_type,
    start,
    submit,
    submit_fields,
    update,
)
from tests.support import rule

SIZE = {"request_size": rule(min_units=2, max_units=None)}
AGE = {"purchase_age": rule("exception", min_days=90, max_days=730)}


def rma_of(session, number: str) -> Rma:
    rma = session.scalar(select(Rma).where(Rma.number == number))
    session.refresh(rma)
    return rma


def events(session, rma: Rma) -> list[RmaEvent]:
    return list(session.scalars(select(RmaEvent).where(RmaEvent.rma_id == rma.id)))


def ready_draft(client, db_session, login_as, world, policy=SIZE, picks=None, user=None):
    rtype = return_type(db_session, world, policy)
    login_as(user or world.retailer)
    account_id = world.account.id if user is not None else None
    number = start(client, rtype, account_id=account_id)
    picks = picks or {"velo": 3, "red": 2}
    assert add(client, number, {world.lines[k].id: q for k, q in picks.items()}).status_code == 200
    complete_lines(client, number)
    return number


def test_submit_writes_the_figures_and_fires_the_workflow(client, db_session, login_as, world):
    number = ready_draft(client, db_session, login_as, world)
    assert can_submit(draft_page(client, number))
    response = submit(client, number, resolution="credit")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/rmas/{number}")
    rma = rma_of(db_session, number)
    assert rma.state == "authorized"  # policy passed, value under 2,500
    assert rma.total_value == Decimal("235.00")  # 3 × 50.00 + 2 × 42.50
    assert rma.policy_passed is True and rma.resolution == "credit"
    assert [f["rule"] for f in rma.policy_findings] == ["request_size"]
    assert rma.policy_findings[0]["passed"] is True
    assert rma.submitted_at is not None and rma.idempotency_key
    (event,) = events(db_session, rma)
    assert (event.trigger, event.from_state, event.to_state) == ("submit", "draft", "authorized")
    assert event.actor_id == world.retailer.id and event.on_behalf_of_account_id is None
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and number in page.get_data(as_text=True)
    # A submitted request is no longer a draft: its edit page sends to the RMA page.
    assert client.get(f"/requests/{number}").status_code == 303


def test_a_double_post_submits_once(client, db_session, login_as, world):
    number = ready_draft(client, db_session, login_as, world)
    fields = submit_fields(draft_page(client, number))
    first = client.post(f"/requests/{number}/submit", data=fields)
    second = client.post(f"/requests/{number}/submit", data=fields)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    rma = rma_of(db_session, number)
    assert len(events(db_session, rma)) == 1
    assert db_session.scalar(select(func.count()).select_from(Rma)) == 1


def test_the_same_key_with_another_payload_is_refused(client, db_session, login_as, world):
    number = ready_draft(client, db_session, login_as, world)
    fields = submit_fields(draft_page(client, number))
    assert client.post(f"/requests/{number}/submit", data=fields).status_code == 303
    changed = {**fields, "resolution": "replacement_order"}
    response = client.post(f"/requests/{number}/submit", data=changed)
    assert response.status_code == 409
    assert "already used to submit" in response.get_data(as_text=True)
    rma = rma_of(db_session, number)
    assert rma.resolution == fields["resolution"] and len(events(db_session, rma)) == 1


def test_a_key_cannot_submit_a_second_draft(client, db_session, login_as, world):
    number = ready_draft(client, db_session, login_as, world)
    fields = submit_fields(draft_page(client, number))
    assert client.post(f"/requests/{number}/submit", data=fields).status_code == 303
    other = ready_draft(client, db_session, login_as, world, picks={"old": 2})
    other_fields = submit_fields(draft_page(client, other))
    reused = {**other_fields, "idempotency_key": fields["idempotency_key"]}
    response = client.post(f"/requests/{other}/submit", data=reused)
    assert response.status_code == 409
    assert rma_of(db_session, other).submitted_at is None


def test_a_draft_changed_since_the_page_loaded_is_not_submitted(
    client, db_session, login_as, world
):
    number = ready_draft(client, db_session, login_as, world)
    fields = submit_fields(draft_page(client, number))
    (first, _) = line_ids(draft_page(client, number))
    assert update(client, number, first, quantity=1).status_code == 200  # another tab
    response = client.post(f"/requests/{number}/submit", data=fields)
    assert response.status_code == 422
    assert "changed after the page was loaded" in response.get_data(as_text=True)
    assert rma_of(db_session, number).submitted_at is None
    assert submit(client, number).status_code == 303


def test_a_second_submit_from_another_tab_lands_on_the_rma(client, db_session, login_as, world):
    number = ready_draft(client, db_session, login_as, world)
    tab_one = submit_fields(draft_page(client, number))
    tab_two = submit_fields(draft_page(client, number))
    assert client.post(f"/requests/{number}/submit", data=tab_one).status_code == 303
    response = client.post(f"/requests/{number}/submit", data=tab_two)
    assert response.status_code == 303 and response.headers["Location"].endswith(number)
    assert len(events(db_session, rma_of(db_session, number))) == 1


def test_a_blocking_failure_cannot_be_submitted_whatever_is_posted(
    client, db_session, login_as, world
):
    policy = {"request_size": rule(min_units=10, max_units=None)}
    number = ready_draft(client, db_session, login_as, world, policy)
    assert not can_submit(draft_page(client, number))
    response = submit(client, number)
    assert response.status_code == 422
    assert "allows no exception" in response.get_data(as_text=True)
    # Even with an exception requested through a crafted post.
    client.post(f"/requests/{number}/exception", data={"justification": "Please"})
    assert submit(client, number).status_code == 422
    rma = rma_of(db_session, number)
    assert rma.submitted_at is None and rma.state == "draft" and events(db_session, rma) == []


def test_incomplete_lines_cannot_be_submitted(client, db_session, login_as, world):
    rtype = return_type(db_session, world, SIZE)
    login_as(world.retailer)
    number = start(client, rtype)
    add(client, number, {world.lines["velo"].id: 3})
    response = submit(client, number)
    assert response.status_code == 422
    assert "No reason or condition yet: VEL-200" in response.get_data(as_text=True)
    assert rma_of(db_session, number).submitted_at is None


def test_an_empty_draft_cannot_be_submitted(client, db_session, login_as, world):
    rtype = return_type(db_session, world)
    login_as(world.retailer)
    number = start(client, rtype)
    assert submit(client, number).status_code == 422
    assert rma_of(db_session, number).submitted_at is None


def test_a_missing_or_foreign_resolution_is_refused(client, db_session, login_as, world):
    number = ready_draft(client, db_session, login_as, world)
    assert submit(client, number, resolution="cash").status_code == 422
    assert submit(client, number, idempotency_key="").status_code == 422
    assert rma_of(db_session, number).submitted_at is None


def test_a_return_type_offering_no_resolution_takes_none(client, db_session, login_as, world):
    rtype = return_type(db_session, world, SIZE, resolutions=[])
    login_as(world.retailer)
    number = start(client, rtype)
    assert add(client, number, {world.lines["velo"].id: 2}).status_code == 200
    complete_lines(client, number)
    assert submit(client, number, resolution="x" * 40).status_code == 422
    assert rma_of(db_session, number).submitted_at is None
    assert submit(client, number, resolution="").status_code == 303
    assert rma_of(db_session, number).resolution in ("", None)


def test_an_exception_needs_a_justification(client, db_session, login_as, world):
    number = ready_draft(client, db_session, login_as, world, AGE, picks={"recent": 3})
    html = draft_page(client, number)
    assert 'id="exception-form"' in html and not can_submit(html)
    assert submit(client, number).status_code == 422  # no exception requested yet
    response = client.post(
        f"/requests/{number}/exception",
        data={"justification": "   "},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Explain why this request should be an exception." in response.get_data(as_text=True)
    assert rma_of(db_session, number).exception_requested is False
    response = client.post(
        f"/requests/{number}/exception",
        data={"justification": "The range was replaced a month after we bought it."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'data-can-submit="true"' in response.get_data(as_text=True)
    assert submit(client, number).status_code == 303
    rma = rma_of(db_session, number)
    assert rma.state == "rep_review" and rma.exception_requested is True
    assert rma.exception_justification.startswith("The range was replaced")
    assert rma.policy_passed is False
    assert rma.policy_findings[0]["exception_allowed"] is True


def test_an_exception_can_be_withdrawn(client, db_session, login_as, world):
    number = ready_draft(client, db_session, login_as, world, AGE, picks={"recent": 3})
    client.post(f"/requests/{number}/exception", data={"justification": "New shop layout"})
    assert rma_of(db_session, number).exception_requested is True
    client.post(f"/requests/{number}/exception/withdraw")
    rma = rma_of(db_session, number)
    assert rma.exception_requested is False and rma.exception_justification == ""


def test_an_exception_that_is_no_longer_needed_is_dropped(client, db_session, login_as, world):
    number = ready_draft(client, db_session, login_as, world, AGE, picks={"velo": 3})
    client.post(f"/requests/{number}/exception", data={"justification": "Just in case"})
    assert submit(client, number).status_code == 303
    rma = rma_of(db_session, number)
    assert rma.exception_requested is False and rma.state == "authorized"


def test_a_rep_submits_on_behalf_of_an_account(client, db_session, login_as, world):
    number = ready_draft(client, db_session, login_as, world, user=world.rep)
    assert submit(client, number).status_code == 303
    rma = rma_of(db_session, number)
    assert rma.account_id == world.account.id and rma.created_by_id == world.rep.id
    (event,) = events(db_session, rma)
    assert event.actor_id == world.rep.id
    assert event.on_behalf_of_account_id == world.account.id


def test_the_retailer_sees_and_resumes_a_draft_the_rep_started(client, db_session, login_as, world):
    number = ready_draft(client, db_session, login_as, world, user=world.rep)
    login_as(world.retailer)
    assert "VEL-200" in draft_page(client, number)
    assert submit(client, number).status_code == 303
    (event,) = events(db_session, rma_of(db_session, number))
    assert event.actor_id == world.retailer.id and event.on_behalf_of_account_id is None


def test_replacement_prices_come_from_the_catalog(client, db_session, login_as, world):
    policy = {"replacement_order": rule("exception", min_ratio_percent="100", min_amount=None)}
    number = ready_draft(client, db_session, login_as, world, policy, picks={"velo": 2})
    product = world.products["new_stock"]
    response = client.post(f"/requests/{number}/replacements", data={f"add-{product.id}": "1"})
    assert response.status_code == 303
    product.list_price = Decimal("130.00")  # the catalog changes before submit
    db_session.flush()
    assert submit(client, number).status_code == 303
    line = db_session.scalar(select(ReplacementLine))
    db_session.refresh(line)
    assert line.unit_price == Decimal("130.00")
    assert rma_of(db_session, number).policy_passed is True


@pytest.mark.parametrize("path", ["lines", "exception", "replacements", "discard"])
def test_a_submitted_request_cannot_be_edited(client, db_session, login_as, world, path):
    number = ready_draft(client, db_session, login_as, world)
    assert submit(client, number).status_code == 303
    response = client.post(f"/requests/{number}/{path}", data={"justification": "x"})
    assert response.status_code in (303, 409)
    rma = rma_of(db_session, number)
    assert rma.submitted_at is not None and len(rma.lines) == 2
