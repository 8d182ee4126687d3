"""Transitions through the API: staff tokens, the RMA page's one operation, If-Match
required (428) and current (412), and nothing changed after a refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Rma, RmaEvent
from portal.api.operations import create_token
from portal.api.scopes import scopes_for
from tests.portal.api.conftest import bearer

IDENTITIES = ("retailer_a", "retailer_b", "rep_a", "rep_other", "warehouse", "admin")
# Approving the exception of account A's RMA in rep review, per identity.
EXPECTED = (403, 403, 200, 404, 403, 200)
APPROVE = {"trigger": "approve", "comment": "A loyal customer."}


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json(force=True)


def _state(session, number: str) -> tuple[str, int, int]:
    session.expire_all()
    rma = session.scalar(select(Rma).where(Rma.number == number))
    events = session.scalar(select(func.count()).where(RmaEvent.rma_id == rma.id))
    return rma.state, rma.version, events


def _url(world, name: str = "approval") -> str:
    return f"/api/v1/rmas/{world.rmas[name].number}/transitions"


def _etag(client, world, identity: str, name: str = "approval") -> str:
    headers = bearer(world.api_tokens["admin"])
    return client.get(f"/api/v1/rmas/{world.rmas[name].number}", headers=headers).headers["ETag"]


@pytest.mark.parametrize("identity", IDENTITIES)
def test_transitions_by_scope_and_role(client, db_session, world, identity):
    user = world.users[identity]
    expected = EXPECTED[IDENTITIES.index(identity)]
    allowed = [s.value for s in scopes_for(user.role)]
    with_scope = create_token(db_session, user, "with", ["rmas:write"])
    without = create_token(db_session, user, "without", [s for s in allowed if s != "rmas:write"])
    db_session.commit()
    number = world.rmas["approval"].number
    before = _state(db_session, number)
    headers = {"If-Match": _etag(client, world, identity)}
    refused = client.post(_url(world), headers={**headers, **bearer(without.secret)}, json=APPROVE)
    assert _problem(refused, 403)["required_scope"] == "rmas:write"
    response = client.post(
        _url(world), headers={**headers, **bearer(with_scope.secret)}, json=APPROVE
    )
    assert response.status_code == expected, response.get_data(as_text=True)
    if expected == 200:
        body = response.get_json()
        assert body["state"] == "authorized"
        assert body["events"][-1]["trigger"] == "approve"
        assert body["events"][-1]["comment"] == APPROVE["comment"]
        assert response.headers["ETag"] != headers["If-Match"]
    else:
        assert response.mimetype == "application/problem+json"
        assert _state(db_session, number) == before


def test_if_match_is_required_and_must_be_current(client, db_session, world):
    token = bearer(world.api_tokens["rep_a"])
    number = world.rmas["approval"].number
    before = _state(db_session, number)
    missing = client.post(_url(world), headers=token, json=APPROVE)
    assert "If-Match" in _problem(missing, 428)["detail"]
    etag = _etag(client, world, "rep_a")
    stale = etag.replace(f'-{before[1]}"', f'-{before[1] - 1}"') if before[1] > 1 else '"rma-0-0"'
    refused = client.post(_url(world), headers={**token, "If-Match": stale}, json=APPROVE)
    assert _problem(refused, 412)["etag"] == etag
    assert _state(db_session, number) == before
    done = client.post(_url(world), headers={**token, "If-Match": etag}, json=APPROVE)
    assert done.status_code == 200
    # The ETag read before is stale now.
    again = client.post(_url(world), headers={**token, "If-Match": etag}, json=APPROVE)
    _problem(again, 412)


def test_refusals_carry_the_workflows_words(client, db_session, world):
    token = bearer(world.api_tokens["rep_a"])
    number = world.rmas["approval"].number
    before = _state(db_session, number)
    headers = {**token, "If-Match": _etag(client, world, "rep_a")}
    no_comment = client.post(_url(world), headers=headers, json={"trigger": "approve"})
    assert _problem(no_comment, 422)["detail"]
    unknown = client.post(_url(world), headers=headers, json={"trigger": "fly_away"})
    _problem(unknown, 422)
    assert _state(db_session, number) == before
    warehouse = {**bearer(world.api_tokens["warehouse"])}
    awaiting = world.rmas["awaiting"].number
    receive = client.post(
        _url(world, "awaiting"),
        headers={**warehouse, "If-Match": _etag(client, world, "warehouse", "awaiting")},
        json={"trigger": "receive"},
    )
    assert "own page" in _problem(receive, 403)["detail"]
    assert _state(db_session, awaiting)[0] == "awaiting_receipt"


def test_a_transition_replays_under_its_key(client, db_session, world):
    etag = _etag(client, world, "rep_a")
    headers = {**bearer(world.api_tokens["rep_a"]), "If-Match": etag, "Idempotency-Key": "t-1"}
    first = client.post(_url(world), headers=headers, json=APPROVE)
    events = _state(db_session, world.rmas["approval"].number)[2]
    again = client.post(_url(world), headers=headers, json=APPROVE)
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json()
    assert _state(db_session, world.rmas["approval"].number)[2] == events
