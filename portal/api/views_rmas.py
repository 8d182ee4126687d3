"""The API's writes on RMAs, through the operations the pages call: a draft, its lines and
its submission (``portal.requests``: the retailer's and the rep's, as on the request
pages), and a workflow transition (``portal.rmas.operations.fire_action``: staff's, as on
the RMA page). A refusal of an operation is its own message in a 422 problem. Routes: the
URL table in ``portal.api.views``.
"""

from __future__ import annotations

import uuid

from flask import Response, jsonify, request, url_for
from sqlalchemy import select

from models import ReturnType, Rma, Role, User
from models.base import utcnow
from portal.api import queries, shapes
from portal.api.auth import api_user, for_roles, requires
from portal.api.bodies import json_body
from portal.api.idempotency import idempotent
from portal.api.problems import Problem, ValidationProblem
from portal.api.schemas import RmaCreate, RmaDetail, RmaLinesAdd, RmaSubmit, TransitionIn
from portal.api.scopes import Scope
from portal.api.spec import IDEMPOTENCY_KEY, IF_MATCH, api, documents_headers, write_responses
from portal.db import get_session
from portal.requests import operations
from portal.requests.contents import draft_contents
from portal.requests.rendering import today
from portal.requests.submission import SubmitPayload, content_digest, submit_request
from portal.rmas.operations import fire_action
from portal.rmas.queries import load_rma
from portal.scope import load_account
from workflow_designer.runtime.firing import TransitionRefused

# Who may do what, as the pages let them: requests are the retailer's and the rep's
# (portal.requests.views); transitions on the RMA page are staff's here.
requesters = for_roles(
    (Role.RETAILER, Role.SALES_REP), "Requests are made by retailer and sales rep tokens."
)
staff = for_roles(
    (Role.ADMIN, Role.SALES_REP, Role.WAREHOUSE), "Transitions are fired by staff tokens."
)
DRAFT_ERRORS = (404, 409, 413, 415, 400)


@documents_headers(IDEMPOTENCY_KEY)
@requires(Scope.RMAS_WRITE)
@requesters
@json_body(RmaCreate)
@idempotent
@api.validate(json=RmaCreate, resp=write_responses(RmaDetail, 201, *DRAFT_ERRORS), tags=["RMAs"])
def rma_create(json: RmaCreate) -> Response:
    """Create a draft RMA

    For an account and a return type; empty, in the workflow's first state."""
    user = api_user()
    session = get_session()
    account = load_account(session, user, account_id_of(user, json.account))
    return_type = session.scalar(select(ReturnType).where(ReturnType.code == json.return_type))
    if return_type is None:
        raise ValidationProblem([{"field": "return_type", "message": "No such return type."}])
    rma = operations.create_draft(session, user, account, return_type, utcnow())
    return _detail(rma.number, 201)


@documents_headers(IDEMPOTENCY_KEY)
@requires(Scope.RMAS_WRITE)
@requesters
@json_body(RmaLinesAdd)
@idempotent
@api.validate(json=RmaLinesAdd, resp=write_responses(RmaDetail, 200, *DRAFT_ERRORS), tags=["RMAs"])
def rma_lines_add(number: str, json: RmaLinesAdd) -> Response:
    """Add lines to a draft

    Order lines of the RMA's account, each with a quantity (left out: all that can still be
    returned), one reason and condition for them all. A line already on the draft gets the
    quantity added to it."""
    user = api_user()
    session = get_session()
    rma = _draft(session, user, number)
    picks = {pick.order_line: pick.quantity for pick in json.lines}
    if len(picks) != len(json.lines):
        raise ValidationProblem([{"field": "lines", "message": "An order line is named twice."}])
    operations.add_lines(
        session, user, rma, picks, reason=json.reason, condition=json.condition or ""
    )
    return _detail(rma.number)


@documents_headers(IDEMPOTENCY_KEY)
@requires(Scope.RMAS_WRITE)
@requesters
@json_body(RmaSubmit)
@idempotent
@api.validate(json=RmaSubmit, resp=write_responses(RmaDetail, 200, *DRAFT_ERRORS), tags=["RMAs"])
def rma_submit(number: str, json: RmaSubmit) -> Response:
    """Submit a draft

    The policy is evaluated again; a request that breaks it is refused (422) with the
    policy's own messages, unless every rule it breaks allows an exception and
    `exception_justification` asks for one. The draft is submitted as it is stored now."""
    user = api_user()
    session = get_session()
    rma = _draft(session, user, number)
    if json.exception_justification is not None:
        operations.request_exception(session, user, rma, json.exception_justification)
    digest = content_digest(rma, draft_contents(session, rma))
    payload = SubmitPayload(rma.number, json.resolution or "", digest)
    # A fresh form key: replays are answered by the API's own Idempotency-Key.
    key = uuid.uuid4().hex
    submit_request(session, user, rma, key=key, payload=payload, today=today(), now=utcnow())
    return _detail(rma.number)


@documents_headers(IF_MATCH, IDEMPOTENCY_KEY)
@requires(Scope.RMAS_WRITE)
@staff
@json_body(TransitionIn)
@idempotent
@api.validate(
    json=TransitionIn,
    resp=write_responses(RmaDetail, 200, 400, 404, 409, 412, 413, 415, 428),
    tags=["RMAs"],
)
def rma_transition(number: str, json: TransitionIn) -> Response:
    """Fire a workflow transition

    As the RMA page's buttons do, through the same operation. `If-Match` must carry the
    RMA's current ETag (428 without it, 412 when the RMA changed since)."""
    user = api_user()
    session = get_session()
    rma = load_rma(session, user, number)
    seen = _if_match(rma)
    try:
        fire_action(session, rma, user, json.trigger, json.comment, seen)
    except TransitionRefused as refused:
        raise Problem(403 if refused.forbidden else 422, refused.reason) from None
    return _detail(rma.number)


def account_id_of(user: User, given: int | None) -> int:
    """The account a body names; a retailer's token may leave it out for its own."""
    if given is not None:
        return given
    if user.role is Role.RETAILER and user.account_id is not None:
        return user.account_id
    raise ValidationProblem([{"field": "account", "message": "Field required"}])


def _draft(session, user: User, number: str) -> Rma:
    rma = load_rma(session, user, number)
    if rma.submitted_at is not None:
        raise Problem(409, f"{rma.number} has been submitted; it can no longer be changed.")
    return rma


def _if_match(rma: Rma) -> int:
    """The RMA's version the caller read, from If-Match: required, and current."""
    given = request.headers.get("If-Match")
    if not given:
        raise Problem(428, "If-Match is required: send the ETag of the RMA as last read.")
    current = shapes.etag(rma)
    tags = {tag.strip() for tag in given.split(",")}
    if "*" not in tags and current not in tags:
        raise Problem(412, "The RMA changed since this ETag was read.", etag=current)
    return rma.version


def _detail(number: str, status: int = 200) -> Response:
    session = get_session()
    rma, lines, events, credit = queries.rma_detail(session, api_user(), number)
    response = jsonify(shapes.rma_detail(rma, lines, events, credit).model_dump(mode="json"))
    response.status_code = status
    response.headers["ETag"] = shapes.etag(rma)
    if status == 201:
        response.headers["Location"] = url_for("api.rma_get", number=rma.number)
    return response
