"""What the simulation page shows: a workflow and a policy tried on real account data.

Reads only: nothing here changes a row. The page posts its whole state (setup, situation,
triggers fired so far) each time and the simulation is replayed from it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from werkzeug.datastructures import MultiDict

from models import (
    Order,
    OrderLine,
    RetailerAccount,
    ReturnType,
    Workflow,
    WorkflowVersion,
)
from portal.designer import forms, operations, queries
from portal.inputs.numbers import parse_decimal, parse_id
from portal.requests.display import figure_rows, without_label
from workflow_designer.engine.compiler import CompiledWorkflow
from workflow_designer.engine.errors import InvalidWorkflow
from workflow_designer.engine.resolutions import RESOLUTION_LABELS
from workflow_designer.engine.schema import ROLES, is_name
from workflow_designer.engine.simulation import (
    Move,
    SimulatedLine,
    SimulatedRma,
    compile_for_simulation,
    role_label,
    simulate,
)
from workflow_designer.engine.workspace import build_workspace
from workflow_designer.policy import (
    AccountFacts,
    PolicyEvaluation,
    PolicyRequest,
    ReplacementRequestLine,
    evaluate,
)
from workflow_designer.runtime.policy_facts import load_facts, returnable_quantities
from workflow_designer.runtime.policy_loading import request_line_for
from workflow_designer.runtime.versions import published_version

MAX_LINES = 60


def page(session: Session, form: MultiDict[str, str]) -> dict[str, Any]:
    """The page's context for ``form``: its choices, and the run once a return type and an
    account are chosen."""
    return_types = list(session.scalars(select(ReturnType).order_by(ReturnType.name)))
    return_type = next((rt for rt in return_types if str(rt.id) == form.get("return_type")), None)
    workflow_id = form.get("workflow", type=parse_id)
    if return_type is None and workflow_id:
        return_type = next((rt for rt in return_types if rt.workflow_id == workflow_id), None)
    account = session.get(RetailerAccount, form.get("account", type=parse_id) or 0)
    which = form.get("version") or "draft"
    context = {
        "return_types": return_types,
        "return_type": return_type,
        "account": account,
        "accounts": queries.accounts(session),
        "which": which,
        "resolutions": RESOLUTION_LABELS,
        "role_label": role_label,
        # A finding's figures under the labels and formats the retailer's panel uses.
        "figure_rows": figure_rows,
        "without_label": without_label,
        "roles": ROLES,
        "scenarios": queries.scenarios(session),
    }
    if return_type is None or account is None:
        return context
    return {**context, **_run(session, return_type, account, form, which)}


def _order_lines(session: Session, account: RetailerAccount) -> list[OrderLine]:
    return list(
        session.scalars(
            select(OrderLine)
            .join(Order)
            .options(joinedload(OrderLine.order), joinedload(OrderLine.product))
            .where(Order.account_id == account.id)
            .order_by(Order.invoice_date.desc(), OrderLine.id)
            .limit(MAX_LINES)
        )
    )


def _policy(
    session: Session,
    account: RetailerAccount,
    return_type: ReturnType,
    lines: list[OrderLine],
    quantities: dict[int, int],
    form: MultiDict[str, str],
) -> tuple[PolicyRequest, PolicyEvaluation]:
    today = date.today()
    policy = return_type.policy or {}
    evidence = form.get("evidence") == "on"
    extras = {"photos": 1, "description": "Described in the simulation."} if evidence else {}
    request_lines = tuple(
        request_line_for(line, quantities[line.id], **extras)
        for line in lines
        if quantities[line.id]
    )
    facts = load_facts(session, account, return_type, policy, today) if account else AccountFacts()
    replacements: tuple[ReplacementRequestLine, ...] = ()
    amount = parse_decimal((form.get("replacement_value") or "").strip() or "0") or Decimal(0)
    if amount > 0:
        replacements = (ReplacementRequestLine("SIMULATED", 1, amount, available=1),)
    policy_request = PolicyRequest(today, request_lines, replacements, facts)
    return policy_request, evaluate(policy, policy_request)


def _version_doc(
    session: Session, workflow: Workflow, which: str
) -> tuple[WorkflowVersion | None, Any]:
    draft, doc = operations.working_config(session, workflow, lock=False)
    if which == "published":
        version = published_version(session, workflow.id)
        return version, (version.config if version else None)
    return draft, doc


def _run(
    session: Session,
    return_type: ReturnType,
    account: RetailerAccount,
    form: MultiDict[str, str],
    which: str,
) -> dict[str, Any]:
    lines = _order_lines(session, account)
    returnable = returnable_quantities(session, [line.id for line in lines])
    quantities = {
        line.id: forms.line_quantity(form, line.id, returnable.get(line.id, 0)) for line in lines
    }
    policy_request, evaluation = _policy(session, account, return_type, lines, quantities, form)
    version, doc = _version_doc(session, return_type.workflow, which)
    result = {
        "lines": lines,
        "returnable": returnable,
        "quantities": quantities,
        "evaluation": evaluation,
        "policy_request": policy_request,
        "version": version,
    }
    if doc is None:
        return {**result, "error": _("This workflow has no published version yet.")}
    try:
        compiled = compile_for_simulation(doc)
    except InvalidWorkflow as error:
        return {
            **result,
            "error": _(
                "This version has %(count)s problem(s) to fix "
                "in the editor before it can be tried.",
                count=len(error.problems),
            ),
        }
    rma = SimulatedRma(
        policy_request.value,
        evaluation.passed,
        [SimulatedLine(quantities[line.id]) for line in lines if quantities[line.id]],
        account.status.value,
    )
    return {**result, **_replay(compiled, rma, evaluation, form), "ws": build_workspace(doc)}


def _replay(
    compiled: CompiledWorkflow,
    rma: SimulatedRma,
    evaluation: PolicyEvaluation,
    form: MultiDict[str, str],
) -> dict[str, Any]:
    """The triggers fired so far, then the one just clicked, replayed from the start."""
    moves = [] if form.get("restart") else forms.moves(form.get("moves"))
    situation = forms.situation(form)
    if "exception_requested" not in form:
        situation.exception_requested = evaluation.exception_needed
    fire = form.get("fire", "")
    if ":" in fire:
        role, trigger = fire.split(":", 1)
        if role in ROLES and is_name(trigger):
            moves.append(Move(role, trigger, situation))
    sim = simulate(compiled, rma, moves)
    return {
        "sim": sim,
        "situation": situation,
        "options": sim.options(situation),
        "moves_json": forms.moves_json(moves),
    }
