"""Trying a workflow and a policy on real account data, writing nothing.

The page posts its whole state (setup, situation, triggers fired so far) each time; the
simulation is replayed from it. Reads only: no operation is called and nothing commits.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from flask import flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from models import Order, OrderLine, RetailerAccount, ReturnType, SimulationScenario, Workflow
from portal.db import get_session
from portal.designer import operations, queries
from portal.designer.forms import RESOLUTION_LABELS, ConfirmForm
from portal.designer.views import bp
from portal.inputs.numbers import MAX_QUANTITY, load_json, parse_decimal, parse_id, parse_int
from portal.inputs.text import unstorable
from portal.web import render
from workflow_designer.engine.errors import InvalidWorkflow
from workflow_designer.engine.schema import ROLES, is_name
from workflow_designer.engine.simulation import (
    Move,
    SimulatedLine,
    SimulatedRma,
    Situation,
    compile_for_simulation,
    role_label,
    simulate,
)
from workflow_designer.engine.workspace import build_workspace
from workflow_designer.policy import AccountFacts, PolicyRequest, ReplacementRequestLine, evaluate
from workflow_designer.runtime.policy_facts import load_facts, returnable_quantities
from workflow_designer.runtime.policy_loading import request_line_for
from workflow_designer.runtime.versions import published_version

MAX_MOVES = 200
MAX_LINES = 60


def _situation(form) -> Situation:
    return Situation(
        exception_requested=form.get("exception_requested") == "on",
        resolution=form.get("resolution") if form.get("resolution") in RESOLUTION_LABELS else "",
        received=form.get("received") == "on",
        discrepancy=form.get("discrepancy") == "on",
        graded=form.get("graded") == "on",
    )


def _moves(raw: str | None) -> list[Move]:
    """The triggers fired so far, as posted back by the page; anything malformed is dropped."""
    try:
        items = load_json(raw or "[]")
    except ValueError:
        return []
    moves = []
    for item in items[:MAX_MOVES] if isinstance(items, list) else []:
        if not isinstance(item, dict) or item.get("role") not in ROLES:
            continue
        if not is_name(item.get("trigger")) or not isinstance(item.get("situation"), dict):
            continue
        situation = Situation(
            **{k: v for k, v in item["situation"].items() if k in Situation.__dataclass_fields__}
        )
        moves.append(Move(item["role"], item["trigger"], situation))
    return moves


def _moves_json(moves: list[Move]) -> str:
    return json.dumps(
        [{"role": m.role, "trigger": m.trigger, "situation": m.situation.__dict__} for m in moves]
    )


def _order_lines(session, account: RetailerAccount) -> list[OrderLine]:
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


def _quantity(form, line: OrderLine, returnable: int) -> int:
    quantity = parse_int(form.get(f"qty-{line.id}"), 0, MAX_QUANTITY)
    return min(quantity, returnable) if quantity else 0


def _policy(session, account, return_type, lines, quantities, form):
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
    replacements = ()
    amount = parse_decimal((form.get("replacement_value") or "").strip() or "0") or Decimal(0)
    if amount > 0:
        replacements = (ReplacementRequestLine("SIMULATED", 1, amount, available=1),)
    policy_request = PolicyRequest(today, request_lines, replacements, facts)
    return policy_request, evaluate(policy, policy_request)


def _version_doc(session, workflow: Workflow, which: str):
    draft, doc = operations.working_config(session, workflow, lock=False)
    if which == "published":
        version = published_version(session, workflow.id)
        return version, (version.config if version else None)
    return draft, doc


def _scenario_form(scenario: SimulationScenario) -> MultiDict:
    """The simulation form as a saved scenario fills it."""
    settings = scenario.settings or {}
    values = MultiDict(
        {
            "return_type": str(scenario.return_type_id),
            "account": str(scenario.account_id),
            "version": str(settings.get("version") or "draft"),
            "replacement_value": str(settings.get("replacement_value") or ""),
        }
    )
    if settings.get("evidence"):
        values["evidence"] = "on"
    for line_id, quantity in (settings.get("quantities") or {}).items():
        values[f"qty-{line_id}"] = str(quantity)
    return values


def _settings(form) -> dict:
    """What a saved scenario keeps: only values this page's form can produce, since they
    are stored (a NUL or any other stray text in a key or value would be stored too)."""
    quantities = {
        key.removeprefix("qty-"): quantity
        for key, value in form.items()
        if key.startswith("qty-")
        and parse_id(key.removeprefix("qty-"))
        and (quantity := parse_int(value, 1, MAX_QUANTITY))
    }
    replacement_value = (form.get("replacement_value") or "").strip()[:20]
    return {
        "version": "published" if form.get("version") == "published" else "draft",
        "quantities": quantities,
        "evidence": form.get("evidence") == "on",
        "replacement_value": "" if unstorable(replacement_value) else replacement_value,
    }


def _save_scenario(session, form):
    return_type = session.get(ReturnType, form.get("return_type", type=parse_id) or 0)
    account = session.get(RetailerAccount, form.get("account", type=parse_id) or 0)
    if return_type is None or account is None:
        raise operations.DesignerError("Choose a return type and an account first.")
    scenario = operations.save_scenario(
        session,
        current_user,
        name=form.get("scenario_name", ""),
        return_type=return_type,
        account_id=account.id,
        settings=_settings(form),
    )
    session.commit()
    flash(f"Scenario “{scenario.name}” saved.", "success")
    return redirect(url_for("designer.simulate_page", scenario=scenario.id), 303)


@bp.route("/simulate", methods=["GET", "POST"])
def simulate_page():
    session = get_session()
    form = request.form if request.method == "POST" else request.args
    if request.method == "POST" and not ConfirmForm().validate_on_submit():
        return render("designer/simulate.html", error="The form expired. Reload."), 400
    save_error = ""
    if request.method == "POST" and form.get("save_scenario"):
        try:
            return _save_scenario(session, form)
        except operations.DesignerError as error:
            session.rollback()
            save_error = str(error)
    scenario = session.get(SimulationScenario, request.args.get("scenario", type=parse_id) or 0)
    if scenario is not None and request.method == "GET":
        form = _scenario_form(scenario)
    return_types = session.scalars(select(ReturnType).order_by(ReturnType.name)).all()
    return_type = next((rt for rt in return_types if str(rt.id) == form.get("return_type")), None)
    workflow_id = form.get("workflow", type=parse_id)
    if return_type is None and workflow_id:
        return_type = next((rt for rt in return_types if rt.workflow_id == workflow_id), None)
    account = session.get(RetailerAccount, form.get("account", type=parse_id) or 0)
    context = {
        "return_types": return_types,
        "return_type": return_type,
        "account": account,
        "accounts": queries.accounts(session),
        "which": form.get("version") or "draft",
        "form": ConfirmForm(),
        "values": form,
        "resolutions": RESOLUTION_LABELS,
        "role_label": role_label,
        "roles": ROLES,
        "scenarios": queries.scenarios(session),
        "scenario": scenario,
        "save_error": save_error,
    }
    status = 422 if save_error else 200
    if return_type is None or account is None:
        return render("designer/simulate.html", **context), status
    result = _run(session, return_type, account, form, context["which"])
    return render("designer/simulate.html", **context, **result), status


def _run(session, return_type, account, form, which) -> dict:
    lines = _order_lines(session, account)
    returnable = returnable_quantities(session, [line.id for line in lines])
    quantities = {line.id: _quantity(form, line, returnable.get(line.id, 0)) for line in lines}
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
        return {**result, "error": "This workflow has no published version yet."}
    try:
        compiled = compile_for_simulation(doc)
    except InvalidWorkflow as error:
        return {
            **result,
            "error": f"This version has {len(error.problems)} problem(s) to fix "
            "in the editor before it can be tried.",
        }
    moves = [] if form.get("restart") else _moves(form.get("moves"))
    situation = _situation(form)
    if "exception_requested" not in form:
        situation.exception_requested = evaluation.exception_needed
    fire = form.get("fire", "")
    if ":" in fire:
        role, trigger = fire.split(":", 1)
        if role in ROLES and is_name(trigger):
            moves.append(Move(role, trigger, situation))
    rma = SimulatedRma(
        policy_request.value,
        evaluation.passed,
        [SimulatedLine(quantities[line.id]) for line in lines if quantities[line.id]],
        account.status.value,
    )
    sim = simulate(compiled, rma, moves)
    return {
        **result,
        "sim": sim,
        "situation": situation,
        "options": sim.options(situation),
        "moves_json": _moves_json(moves),
        "ws": build_workspace(doc),
    }
