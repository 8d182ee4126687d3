"""The retailer's writes: a draft, its lines, its submission, each endpoint × scope × role,
bad bodies refused before anything is validated or changed, and policy refusals in the
policy's own words."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Order, OrderLine, Rma, RmaLine
from portal.api.operations import create_token
from portal.api.scopes import scopes_for
from tests.portal.api.conftest import bearer
from tests.support import rule

IDENTITIES = ("retailer_a", "retailer_b", "rep_a", "rep_other", "warehouse", "admin")


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json(force=True)


def _counts(session) -> tuple[int, int]:
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(Rma)),
        session.scalar(select(func.count()).select_from(RmaLine)),
    )


def _create_body(world) -> dict:
    return {"account": world.account.id, "return_type": world.return_type.code}


def _lines_body(world, quantity: int = 2) -> dict:
    return {"lines": [{"order_line": world.order.lines[0].id, "quantity": quantity}]}


# --- bodies -----------------------------------------------------------------------------

POSTS = ("/api/v1/rmas", "/api/v1/rmas/{draft}/lines", "/api/v1/rmas/{draft}/submit")


def _post_url(template: str, world) -> str:
    return template.format(draft=world.rmas["draft"].number)


@pytest.mark.parametrize("template", POSTS)
def test_a_body_that_is_not_json_is_refused_first(client, db_session, world, template):
    token = bearer(world.api_tokens["retailer_a"])
    url = _post_url(template, world)
    before = _counts(db_session)
    as_form = client.post(url, headers=token, data={"account": "1"})
    assert "json" in _problem(as_form, 415)["detail"]
    no_type = client.post(url, headers=token, data=b'{"account": 1}')
    _problem(no_type, 415)
    malformed = client.post(
        url, headers=token, data=b'{"account": ', content_type="application/json"
    )
    assert "not valid JSON" in _problem(malformed, 400)["detail"]
    latin = client.post(url, headers=token, data=b'{"a": "\xe9"}', content_type="application/json")
    _problem(latin, 400)
    deep = client.post(url, headers=token, data=b"[" * 100_000, content_type="application/json")
    _problem(deep, 400)
    unknown = client.post(url, headers=token, json={"colour": "red", "zz": 1})
    errors = _problem(unknown, 422)["errors"]
    assert {"field": "colour", "message": "Extra inputs are not permitted"} in errors
    assert [e["field"] for e in errors] == ["colour", "zz"]
    assert _problem(client.post(url, headers=token, json=[1]), 422)["errors"]
    assert _counts(db_session) == before


def test_a_body_over_the_limit_is_413(app, client, db_session, world):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    token = bearer(world.api_tokens["retailer_a"])
    body = {"account": world.account.id, "return_type": "x" * 2000}
    _problem(client.post("/api/v1/rmas", headers=token, json=body), 413)
    assert _counts(db_session)[0] == len(world.rmas)


def test_wrong_types_are_field_errors(client, world):
    token = bearer(world.api_tokens["retailer_a"])
    body = {"lines": [{"order_line": "x", "quantity": 0}], "reason": 5}
    refused = client.post(_post_url(POSTS[1], world), headers=token, json=body)
    fields = {e["field"] for e in _problem(refused, 422)["errors"]}
    assert {"lines.0.order_line", "lines.0.quantity", "reason"} <= fields


# --- every endpoint × scope × role --------------------------------------------------------

# endpoint → status per identity in IDENTITIES' order, with a token holding rmas:write.
EXPECTED = {
    "create": (201, 404, 201, 404, 403, 403),
    "lines": (200, 404, 200, 404, 403, 403),
    "submit": (200, 404, 200, 404, 403, 403),
}


def _request(endpoint: str, world) -> tuple[str, dict]:
    draft = world.rmas["draft"].number
    if endpoint == "create":
        return "/api/v1/rmas", _create_body(world)
    if endpoint == "lines":
        return f"/api/v1/rmas/{draft}/lines", _lines_body(world, 1)
    return f"/api/v1/rmas/{draft}/submit", _submit_body(world)


def _submit_body(world) -> dict:
    return {"resolution": world.return_type.resolutions[0]}


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
@pytest.mark.parametrize("identity", IDENTITIES)
def test_every_write_by_scope_and_role(client, db_session, world, endpoint, identity):
    user = world.users[identity]
    expected = EXPECTED[endpoint][IDENTITIES.index(identity)]
    allowed = [s.value for s in scopes_for(user.role)]
    with_scope = create_token(db_session, user, "with", ["rmas:write"])
    without = create_token(db_session, user, "without", [s for s in allowed if s != "rmas:write"])
    db_session.commit()
    url, body = _request(endpoint, world)
    before = _counts(db_session)
    refused = client.post(url, headers=bearer(without.secret), json=body)
    assert _problem(refused, 403)["required_scope"] == "rmas:write"
    assert _counts(db_session) == before
    response = client.post(url, headers=bearer(with_scope.secret), json=body)
    assert response.status_code == expected, response.get_data(as_text=True)
    if expected >= 400:
        assert response.mimetype == "application/problem+json"
        assert _counts(db_session) == before


# --- what each write does ------------------------------------------------------------------


def test_a_retailer_drafts_fills_and_submits_a_request(client, db_session, world):
    token = bearer(world.api_tokens["retailer_a"])
    body = {"return_type": world.return_type.code}  # a retailer's own account
    created = client.post("/api/v1/rmas", headers=token, json=body)
    assert created.status_code == 201
    draft = created.get_json()
    assert draft["state"] == "draft" and draft["lines"] == []
    assert created.headers["Location"] == f"/api/v1/rmas/{draft['number']}"
    assert created.headers["ETag"]
    url = f"/api/v1/rmas/{draft['number']}"
    lines = {**_lines_body(world, 12), "reason": world.return_type.reasons[0], "condition": "new"}
    added = client.post(f"{url}/lines", headers=token, json=lines)
    assert added.status_code == 200, added.get_data(as_text=True)
    assert [line["quantity_requested"] for line in added.get_json()["lines"]] == [12]
    submitted = client.post(f"{url}/submit", headers=token, json=_submit_body(world))
    assert submitted.status_code == 200, submitted.get_data(as_text=True)
    assert submitted.get_json()["submitted_at"] is not None
    assert submitted.get_json()["events"][-1]["trigger"] == "submit"
    again = client.post(f"{url}/lines", headers=token, json=_lines_body(world, 1))
    assert "can no longer be changed" in _problem(again, 409)["detail"]
    _problem(client.post(f"{url}/submit", headers=token, json=_submit_body(world)), 409)


def test_a_rep_names_the_account(client, world):
    token = bearer(world.api_tokens["rep_a"])
    missing = client.post("/api/v1/rmas", headers=token, json={"return_type": "x"})
    assert _problem(missing, 422)["errors"][0]["field"] == "account"
    unknown = {"account": world.account.id, "return_type": "no-such-type"}
    refused = client.post("/api/v1/rmas", headers=token, json=unknown)
    assert _problem(refused, 422)["errors"][0]["field"] == "return_type"


def test_operations_refuse_in_their_own_words(client, db_session, world):
    token = bearer(world.api_tokens["retailer_a"])
    url = f"/api/v1/rmas/{world.rmas['draft'].number}"
    before = _counts(db_session)
    too_many = client.post(f"{url}/lines", headers=token, json=_lines_body(world, 999))
    assert "can be returned" in _problem(too_many, 422)["detail"]
    other_line = db_session.scalar(
        select(OrderLine.id).join(Order).where(Order.account_id == world.other_account.id)
    )
    other = {"lines": [{"order_line": other_line}]}
    foreign = client.post(f"{url}/lines", headers=token, json=other)
    assert "purchase history" in _problem(foreign, 422)["detail"]
    twice = {"lines": [{"order_line": world.order.lines[0].id}] * 2}
    _problem(client.post(f"{url}/lines", headers=token, json=twice), 422)
    reason = {**_lines_body(world, 1), "reason": "no such reason"}
    assert (
        "not a reason"
        in _problem(client.post(f"{url}/lines", headers=token, json=reason), 422)["detail"]
    )
    assert _counts(db_session) == before


def test_a_policy_refusal_is_422_with_the_policys_messages(client, db_session, world):
    token = bearer(world.api_tokens["retailer_a"])
    created = client.post("/api/v1/rmas", headers=token, json=_create_body(world)).get_json()
    url = f"/api/v1/rmas/{created['number']}"
    refused = client.post(f"{url}/submit", headers=token, json=_submit_body(world))  # empty
    detail = _problem(refused, 422)["detail"]
    assert detail
    db_session.expire_all()
    rma = db_session.scalar(select(Rma).where(Rma.number == created["number"]))
    assert rma.submitted_at is None and rma.state == "draft"


HOSTILE = (
    None,
    "",
    "\x00",
    "A" * 5000,
    -1,
    0,
    2**63,
    1e308,
    True,
    [],
    {},
    {"$gt": ""},
    "RMA-0000-000000",
    "' OR 1=1 --",
)


@pytest.mark.parametrize("template", [*POSTS, "/api/v1/rmas/{draft}/transitions"])
def test_hostile_json_values_never_fail(client, db_session, world, template):
    """Each member of each write's body given values of every wrong kind: a 4xx problem,
    never a 500, and nothing changed."""
    url = _post_url(template, world)
    fields = {
        "/api/v1/rmas": ("account", "return_type"),
        "/api/v1/rmas/{draft}/lines": ("lines", "reason", "condition"),
        "/api/v1/rmas/{draft}/submit": ("resolution", "exception_justification"),
    }.get(template, ("trigger", "comment"))
    identity = "admin" if template.endswith("transitions") else "retailer_a"
    headers = {**bearer(world.api_tokens[identity]), "If-Match": "*"}
    before = _counts(db_session)
    for field in fields:
        for value in HOSTILE:
            for body in ({field: value}, {field: [value]}, {field: {"order_line": value}}):
                response = client.post(url, headers=headers, json=body)
                assert 400 <= response.status_code < 500, (field, value, response.status_code)
                assert response.mimetype == "application/problem+json"
    assert _counts(db_session) == before


def test_a_submit_may_ask_for_an_exception(client, db_session, world):
    world.return_type.policy = {"request_size": rule("exception", min_units=100, max_units=None)}
    db_session.commit()
    token = bearer(world.api_tokens["retailer_a"])
    url = f"/api/v1/rmas/{world.rmas['draft'].number}/submit"
    refused = client.post(url, headers=token, json=_submit_body(world))
    assert "exception" in _problem(refused, 422)["detail"]
    blank = {**_submit_body(world), "exception_justification": "  "}
    assert "Explain why" in _problem(client.post(url, headers=token, json=blank), 422)["detail"]
    db_session.expire_all()
    assert db_session.get(Rma, world.rmas["draft"].id).exception_requested is False
    asked = {**_submit_body(world), "exception_justification": "Our shop is being refitted."}
    submitted = client.post(url, headers=token, json=asked)
    assert submitted.status_code == 200, submitted.get_data(as_text=True)
    body = submitted.get_json()
    assert body["exception_requested"] is True and body["policy_passed"] is False
