"""Starting a request: the return types with their rules in plain words, the draft it
creates, and who may start one for which account."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from models import Rma, RmaEvent, Role
from tests.factories import make_published_workflow, make_user
from tests.portal.requests.helpers import return_type, start
from tests.support import rule
from workflow_designer.runtime.versions import create_workflow


def test_the_types_show_their_policy_before_anything_is_entered(
    client, db_session, login_as, world
):
    return_type(
        db_session,
        world,
        {
            "request_size": rule(min_units=10, max_units=None),
            "return_window": rule(days=60, **{"from": "invoice"}),
        },
        name="Stock rotation",
    )
    login_as(world.retailer)
    page = client.get("/requests/new").get_data(as_text=True)
    assert "Stock rotation" in page
    assert "Minimum 10 frames per request." in page
    assert "60 days" in page


def test_archived_types_and_types_without_a_published_workflow_are_not_offered(
    client, db_session, login_as, world
):
    return_type(db_session, world, name="Offered type")
    return_type(db_session, world, name="Archived type", is_archived=True)
    draft_only = create_workflow(
        db_session, code="unpublished", name="Unpublished", config=world.version.config, actor=None
    )
    return_type(db_session, world, name="Unpublished type", workflow_id=draft_only.workflow_id)
    login_as(world.retailer)
    page = client.get("/requests/new").get_data(as_text=True)
    assert "Offered type" in page
    assert "Archived type" not in page and "Unpublished type" not in page


def test_starting_creates_an_empty_draft_pinned_to_the_published_version(
    client, db_session, login_as, world
):
    rtype = return_type(db_session, world)
    login_as(world.retailer)
    number = start(client, rtype)
    rma = db_session.scalar(select(Rma).where(Rma.number == number))
    assert re.fullmatch(r"RMA-\d{4}-\d{6}", number)
    assert rma.state == world.version.config["initial"] == "draft"
    assert rma.workflow_version_id == world.version.id
    assert rma.account_id == world.account.id and rma.currency == "EUR"
    assert rma.submitted_at is None and rma.created_by_id == world.retailer.id
    assert db_session.scalar(select(func.count()).where(RmaEvent.rma_id == rma.id)) == 0
    assert client.get(f"/requests/{number}").status_code == 200


def test_a_retailer_always_acts_for_their_own_account(client, db_session, login_as, world):
    rtype = return_type(db_session, world)
    login_as(world.retailer)
    number = start(client, rtype, account_id=world.other_account.id)
    rma = db_session.scalar(select(Rma).where(Rma.number == number))
    assert rma.account_id == world.account.id


def test_an_archived_or_unknown_type_cannot_be_started(client, db_session, login_as, world):
    archived = return_type(db_session, world, is_archived=True)
    login_as(world.retailer)
    assert (
        client.post("/requests/new", data={"return_type_id": str(archived.id)}).status_code == 404
    )
    assert client.post("/requests/new", data={"return_type_id": "999999"}).status_code == 404
    assert client.post("/requests/new", data={"return_type_id": "x"}).status_code == 400
    assert db_session.scalar(select(func.count()).select_from(Rma)) == 0


def test_a_rep_picks_one_of_their_accounts_first(client, db_session, login_as, world):
    rtype = return_type(db_session, world, name="Rotation for reps")
    login_as(world.rep)
    picker = client.get("/requests/new").get_data(as_text=True)
    assert "Optik Sonne" in picker and "Brillen Fremd" not in picker
    page = client.get(f"/requests/new?account={world.account.id}").get_data(as_text=True)
    assert "Rotation for reps" in page and "Optik Sonne" in page
    number = start(client, rtype, account_id=world.account.id)
    rma = db_session.scalar(select(Rma).where(Rma.number == number))
    assert rma.account_id == world.account.id and rma.created_by_id == world.rep.id


def test_an_account_out_of_a_reps_scope_is_404(client, db_session, login_as, world):
    rtype = return_type(db_session, world)
    login_as(world.rep)
    assert client.get(f"/requests/new?account={world.other_account.id}").status_code == 404
    response = client.post(
        "/requests/new",
        data={"return_type_id": str(rtype.id), "account_id": str(world.other_account.id)},
    )
    assert response.status_code == 404
    response = client.post("/requests/new", data={"return_type_id": str(rtype.id)})
    assert response.status_code == 404
    assert db_session.scalar(select(func.count()).select_from(Rma)) == 0


def test_other_roles_cannot_request_returns(client, db_session, login_as, world):
    for role in (Role.WAREHOUSE, Role.ADMIN):
        login_as(make_user(db_session, role))
        assert client.get("/requests/new").status_code == 403
        assert client.get("/requests/").status_code == 403


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get("/requests/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_draft_of_another_account_is_404(client, db_session, login_as, world):
    rtype = return_type(db_session, world)
    login_as(world.other_retailer)
    number = start(client, rtype)
    login_as(world.retailer)
    assert client.get(f"/requests/{number}").status_code == 404
    assert client.post(f"/requests/{number}/discard").status_code == 404
    login_as(world.rep)
    assert client.get(f"/requests/{number}").status_code == 404


def test_the_nav_offers_the_request_flow(client, db_session, login_as, world):
    make_published_workflow(db_session)
    login_as(world.retailer)
    page = client.get("/requests/").get_data(as_text=True)
    assert "New return" in page and "My RMAs" in page
    login_as(world.rep)
    assert "New return for an account" in client.get("/requests/").get_data(as_text=True)


def test_evidence_is_said_once_whether_the_type_or_its_policy_asks(
    client, db_session, login_as, world
):
    return_type(
        db_session,
        world,
        {"evidence": rule(photos=True, description=False)},
        name="Defective",
        requires_photos=True,
        requires_description=True,
    )
    login_as(world.retailer)
    page = client.get("/requests/new").get_data(as_text=True)
    assert page.count("photo") == 1  # the policy's sentence; the flag adds nothing new
    assert "Each line needs a description of the problem." in page
