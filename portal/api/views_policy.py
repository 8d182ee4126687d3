"""The policy check: a request evaluated as the draft page's live policy panel evaluates
it, and not kept (``portal.requests.dry_run``). Route: the URL table in
``portal.api.views``.

It needs ``rmas:read``, not ``rmas:write``: it changes nothing, so a shop or an ERP that
only reads may ask whether a return would pass before anyone drafts it. It is for the
people who make requests (retailers, their reps) and for admins; warehouse staff have no
request pages.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from sqlalchemy import select

from models import ReturnType, Role
from models.base import utcnow
from portal.api import shapes
from portal.api.auth import api_user, for_roles, requires
from portal.api.bodies import json_body
from portal.api.problems import ValidationProblem
from portal.api.schemas import PolicyCheckIn, PolicyCheckOut
from portal.api.scopes import Scope
from portal.api.spec import api, write_responses
from portal.api.views_rmas import account_id_of
from portal.db import get_session
from portal.requests.dry_run import (
    PlannedLine,
    PlannedReplacement,
    PlanRefused,
    evaluate_unsaved,
)
from portal.requests.rendering import today
from portal.scope import load_account

checkers = for_roles(
    (Role.RETAILER, Role.SALES_REP, Role.ADMIN),
    "Policy checks are for those who make requests and for admins.",
)


@requires(Scope.RMAS_READ)
@checkers
@json_body(PolicyCheckIn)
@api.validate(
    json=PolicyCheckIn,
    resp=write_responses(PolicyCheckOut, 200, 400, 404, 413, 415),
    tags=["RMAs"],
)
def policy_check(json: PolicyCheckIn) -> Response:
    """Check a request against the policy

    The verdict the draft page's live policy panel would show for these lines: each
    rule's finding with its figures, the request's own checks, each line with its issues,
    and the totals. Nothing is saved, so it can be asked again freely (no
    Idempotency-Key needed). A line is named by its SKU, and optionally the order line or
    invoice it comes from; without them the account's newest invoices are used first."""
    user = api_user()
    session = get_session()
    account = load_account(session, user, account_id_of(user, json.account))
    try:
        verdict = _evaluate(session, user, account, json)
    except PlanRefused as refused:
        field = f"{refused.group}.{refused.index}.{refused.field}"
        raise ValidationProblem([{"field": field, "message": refused.message}]) from None
    return jsonify(verdict.model_dump(mode="json"))


def _evaluate(session: Any, user: Any, account: Any, json: PolicyCheckIn) -> Any:
    """The verdict on the request as ``json`` plans it, drafted and rolled back."""
    return_type = _return_type(session, json.return_type)
    lines = [_planned(line) for line in json.lines]
    replacement = [PlannedReplacement(item.sku, item.quantity) for item in json.replacement]
    return evaluate_unsaved(
        session, user, account, return_type, lines, replacement,
        today=today(), now=utcnow(), read=shapes.policy_check,
    )  # fmt: skip


def _planned(line: Any) -> PlannedLine:
    return PlannedLine(
        sku=line.sku,
        quantity=line.quantity,
        reason=line.reason,
        condition=line.condition or "",
        order_line_id=line.order_line,
        invoice_number=line.invoice,
    )


def _return_type(session: Any, code: str) -> ReturnType:
    return_type = session.scalar(select(ReturnType).where(ReturnType.code == code))
    if return_type is None:
        raise ValidationProblem([{"field": "return_type", "message": "No such return type."}])
    return return_type
