"""POST /policy-check: the live panel's verdict on lines that are never stored, for each
role and scope; lines named by SKU, order line or invoice; bad bodies refused as problems;
and nothing saved, whatever the outcome."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import (
    ApiIdempotencyKey,
    NumberSequence,
    Order,
    OrderLine,
    OutboxMessage,
    ReplacementLine,
    ReturnType,
    Rma,
    RmaEvent,
    RmaLine,
)
from models.base import utcnow
from portal.api.operations import create_token
from portal.api.scopes import scopes_for
from portal.requests.evaluation import evaluate_draft
from tests.portal.api.conftest import bearer
from tests.support import rule

URL = "/api/v1/policy-check"
IDENTITIES = ("retailer_a", "retailer_b", "rep_a", "rep_other", "warehouse", "admin")
# Per identity, with a token holding rmas:read, asking about account A.
EXPECTED = (200, 404, 200, 404, 403, 200)
COUNTED = (Rma, RmaLine, RmaEvent, ReplacementLine, OutboxMessage, ApiIdempotencyKey)


def _counts(session) -> tuple:
    session.expire_all()
    counts = tuple(session.scalar(select(func.count()).select_from(model)) for model in COUNTED)
    numbers = tuple(session.execute(select(NumberSequence.series, NumberSequence.last_value)))
    return counts, numbers


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json(force=True)


def _body(world, **extra) -> dict:
    return {
        "account": world.account.id,
        "return_type": world.return_type.code,
        "lines": [{"sku": "VEL-2", "quantity": 2}],
        **extra,
    }


def _set_policy(db_session, world, policy: dict) -> None:
    return_type = db_session.get(ReturnType, world.return_type.id)
    return_type.policy = {**(return_type.policy or {}), **policy}
    db_session.commit()


@pytest.mark.parametrize("identity", IDENTITIES)
def test_every_role_and_scope(client, db_session, world, identity):
    user = world.users[identity]
    expected = EXPECTED[IDENTITIES.index(identity)]
    allowed = [s.value for s in scopes_for(user.role)]
    with_scope = create_token(db_session, user, "with", ["rmas:read"])
    without = create_token(db_session, user, "without", [s for s in allowed if s != "rmas:read"])
    db_session.commit()
    before = _counts(db_session)
    refused = client.post(URL, headers=bearer(without.secret), json=_body(world))
    assert _problem(refused, 403)["required_scope"] == "rmas:read"
    response = client.post(URL, headers=bearer(with_scope.secret), json=_body(world))
    assert response.status_code == expected, response.get_data(as_text=True)
    if expected == 404:
        # The same words as an account that does not exist.
        missing = client.post(
            URL, headers=bearer(with_scope.secret), json={**_body(world), "account": 999999}
        )
        assert _problem(response, 404)["detail"] == _problem(missing, 404)["detail"]
    assert _counts(db_session) == before


def test_the_verdict_is_the_live_panels_and_nothing_is_saved(client, db_session, world):
    _set_policy(
        db_session,
        world,
        {
            "allowance": rule("exception", percent="15", period_days=365),
            "request_size": rule(min_units=10, max_units=None),
        },
    )
    token = bearer(world.api_tokens["retailer_a"])
    before = _counts(db_session)
    response = client.post(URL, headers=token, json=_body(world))
    assert response.status_code == 200, response.get_data(as_text=True)
    verdict = response.get_json()
    assert _counts(db_session) == before
    # The same request drafted for real, evaluated as the panel evaluates it.
    draft = {"account": world.account.id, "return_type": world.return_type.code}
    created = client.post("/api/v1/rmas", headers=token, json=draft).get_json()
    velo = world.order.lines[1].id
    client.post(
        f"/api/v1/rmas/{created['number']}/lines",
        headers=token,
        json={"lines": [{"order_line": velo, "quantity": 2}]},
    )
    rma = db_session.scalar(select(Rma).where(Rma.number == created["number"]))
    panel = evaluate_draft(db_session, rma, utcnow().date())
    rules = {finding["rule"]: finding for finding in verdict["findings"]}
    assert [f.rule for f in panel.findings] == [f["rule"] for f in verdict["findings"]]
    for finding in panel.findings:
        shown = rules[finding.rule]
        assert (shown["passed"], shown["message"]) == (finding.passed, finding.message)
        assert shown["blocking"] == finding.blocking
    assert [(c.passed, c.message) for c in panel.checks] == [
        (c["passed"], c["message"]) for c in verdict["checks"]
    ]
    assert rules["request_size"]["passed"] is False and verdict["blocked"] is True
    assert verdict["can_submit"] is False and verdict["passed"] is False
    assert isinstance(rules["allowance"]["figures"]["allowance"], str)
    assert verdict["totals"]["units"] == 2
    assert verdict["totals"]["value"] == {"amount": "66.66", "currency": "EUR"}
    (line,) = verdict["lines"]
    assert (line["sku"], line["order_line_id"], line["quantity"]) == ("VEL-2", velo, 2)


def test_a_passing_request_can_be_submitted(client, world):
    body = _body(world, lines=[{"sku": "AUR-1", "quantity": 1, "reason": "", "condition": "new"}])
    body["lines"][0]["reason"] = world.return_type.reasons[0] if world.return_type.reasons else ""
    verdict = client.post(URL, headers=bearer(world.api_tokens["rep_a"]), json=body).get_json()
    assert verdict["blocked"] is False, verdict
    assert verdict["totals"]["value"] == {"amount": "40.00", "currency": "EUR"}


def test_lines_by_invoice_and_order_line_and_quantity_spread(client, db_session, world):
    token = bearer(world.api_tokens["retailer_a"])
    invoice = world.order.invoice_number
    velo = world.order.lines[1].id
    lines = [
        {"sku": "VEL-2", "quantity": 1, "invoice": invoice},
        {"sku": "VEL-2", "quantity": 1, "order_line": velo},
    ]
    verdict = client.post(URL, headers=token, json=_body(world, lines=lines)).get_json()
    assert [(x["order_line_id"], x["quantity"]) for x in verdict["lines"]] == [(velo, 2)]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"sku": "NOPE", "quantity": 1}, "lines.0.sku"),
        ({"sku": "VEL-2", "quantity": 1, "invoice": "INV-NONE"}, "lines.0.invoice"),
        ({"sku": "VEL-2", "quantity": 1, "order_line": 999999}, "lines.0.order_line"),
        ({"sku": "VEL-2", "quantity": 999}, "lines.0.quantity"),
        ({"sku": "VEL-2", "quantity": 0}, "lines.0.quantity"),
        ({"sku": "VEL-2", "quantity": "two"}, "lines.0.quantity"),
        ({"sku": "VEL-2", "quantity": 1, "colour": "red"}, "lines.0.colour"),
        ({"sku": 5, "quantity": 1}, "lines.0.sku"),
    ],
)
def test_a_line_naming_nothing_of_the_account_is_a_field_error(
    client, db_session, world, line, field
):
    before = _counts(db_session)
    response = client.post(
        URL, headers=bearer(world.api_tokens["retailer_a"]), json=_body(world, lines=[line])
    )
    errors = _problem(response, 422)["errors"]
    assert field in {error["field"] for error in errors}, errors
    assert _counts(db_session) == before


def test_another_accounts_purchases_are_not_this_accounts(client, db_session, world):
    # Account B bought VEL-2 too; account A's retailer cannot return B's.
    theirs = db_session.scalar(
        select(OrderLine.id).join(Order).where(Order.account_id == world.other_account.id)
    )
    body = _body(world, lines=[{"sku": "VEL-2", "quantity": 1, "order_line": theirs}])
    response = client.post(URL, headers=bearer(world.api_tokens["retailer_a"]), json=body)
    _problem(response, 422)


def test_an_operations_refusal_is_422_in_its_words(client, db_session, world):
    before = _counts(db_session)
    body = _body(world, lines=[{"sku": "VEL-2", "quantity": 1, "reason": "boredom"}])
    response = client.post(URL, headers=bearer(world.api_tokens["retailer_a"]), json=body)
    assert "boredom" in _problem(response, 422)["detail"]
    replacement = _body(world, replacement=[{"sku": "AUR-1", "quantity": 1}])
    response = client.post(URL, headers=bearer(world.api_tokens["retailer_a"]), json=replacement)
    assert "replacement" in _problem(response, 422)["detail"]
    unknown = _body(world, replacement=[{"sku": "NOPE", "quantity": 1}])
    response = client.post(URL, headers=bearer(world.api_tokens["retailer_a"]), json=unknown)
    assert _problem(response, 422)["errors"][0]["field"] == "replacement.0.sku"
    assert _counts(db_session) == before


def test_bad_bodies_are_problems_and_change_nothing(app, client, db_session, world):
    token = bearer(world.api_tokens["retailer_a"])
    before = _counts(db_session)
    _problem(client.post(URL, headers=token, data={"account": "1"}), 415)
    _problem(client.post(URL, headers=token, data=b'{"a":', content_type="application/json"), 400)
    unknown = _problem(client.post(URL, headers=token, json={**_body(world), "zz": 1}), 422)
    assert unknown["errors"] == [{"field": "zz", "message": "Extra inputs are not permitted"}]
    wrong = _problem(client.post(URL, headers=token, json={**_body(world), "lines": "x"}), 422)
    assert wrong["errors"][0]["field"] == "lines"
    empty = _problem(client.post(URL, headers=token, json={**_body(world), "lines": []}), 422)
    assert empty["errors"][0]["field"] == "lines"
    too_many = [{"sku": "VEL-2", "quantity": 1}] * 201
    _problem(client.post(URL, headers=token, json=_body(world, lines=too_many)), 422)
    no_type = {**_body(world), "return_type": "nope"}
    assert _problem(client.post(URL, headers=token, json=no_type), 422)["errors"][0]["field"] == (
        "return_type"
    )
    app.config["MAX_CONTENT_LENGTH"] = 1000
    huge = _body(world, lines=[{"sku": "VEL-2", "quantity": 1, "reason": "x" * 2000}])
    _problem(client.post(URL, headers=token, json=huge), 413)
    assert _counts(db_session) == before


def test_a_retailer_may_leave_out_its_account_a_rep_may_not(client, world):
    body = _body(world)
    del body["account"]
    ok = client.post(URL, headers=bearer(world.api_tokens["retailer_a"]), json=body)
    assert ok.status_code == 200
    rep = client.post(URL, headers=bearer(world.api_tokens["rep_a"]), json=body)
    assert _problem(rep, 422)["errors"][0]["field"] == "account"
