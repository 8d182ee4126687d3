"""Trying a return type on real account data writes nothing to the database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.factories import make_account, make_order, make_product
from tests.portal.designer.helpers import row_counts
from workflow_designer.engine import load_template
from workflow_designer.engine.simulation import (
    Move,
    SimulatedLine,
    SimulatedRma,
    Situation,
    compile_for_simulation,
    dry_registry,
    simulate,
)


@pytest.fixture
def scene(db_session, return_type):
    account = make_account(db_session, name="Optik Probe")
    frame = make_product(db_session, sku="SIM-1", brand="Aurora")
    order = make_order(
        db_session,
        account,
        [(frame, 10, "120.00")],
        invoice_date=date.today() - timedelta(days=200),
    )
    return_type.policy = {
        "purchase_age": {"enabled": True, "mode": "exception", "min_days": 365, "max_days": None},
        "request_size": {"enabled": True, "mode": "blocking", "min_units": 1, "max_units": 50},
    }
    db_session.commit()
    return account, order.lines[0]


def _post(client, return_type, account, line, **fields):
    data = {
        "return_type": str(return_type.id),
        "account": str(account.id),
        "version": "published",
        f"qty-{line.id}": "3",
    }
    data.update(fields)
    return client.post("/designer/simulate", data=data)


def test_setting_up_shows_findings_with_figures(client, db_session, admin, return_type, scene):
    account, line = scene
    response = _post(client, return_type, account, line, restart="1")
    assert response.status_code == 200
    html = response.data.decode()
    assert "Optik Probe" in html and "SIM-1" in html
    assert "needs an exception" in html  # purchase age fails, exception allowed
    assert "Purchase age" in html and "Request size" in html
    assert "3 unit(s) worth €360.00" in html
    assert "Now: “Draft”" in html
    # The exception is asked for by default since the policy needs one.
    assert 'name="exception_requested" checked' in html


def test_stepping_through_triggers_as_different_roles(
    client, db_session, admin, return_type, scene
):
    account, line = scene
    before = row_counts(db_session)
    first = _post(
        client, return_type, account, line, fire="retailer:submit", exception_requested="on"
    )
    html = first.data.decode()
    assert "Now: “Sales rep review”" in html
    assert "✓ Exception requested" in html
    assert (
        "Would run: Assign approver: 1 · Set due time: 48 · Notify: approver, approval requested"
        in html
    )
    moves = html.split('name="moves" value="')[1].split('"')[0].replace("&#34;", '"')
    second = _post(
        client,
        return_type,
        account,
        line,
        fire="retailer:approve",
        moves=moves,
        exception_requested="on",
    )
    text = second.data.decode()
    assert "refused" in text and "may not" in text
    assert "Now: “Sales rep review”" in text
    db_session.expire_all()
    assert row_counts(db_session) == before


def test_a_draft_with_problems_cannot_be_tried(
    client, db_session, admin, return_type, scene, workflow
):
    from workflow_designer.runtime.versions import draft_from, update_draft

    draft = draft_from(db_session, workflow.versions[0], admin)
    broken = load_template("stock_rotation")
    broken["initial"] = "nowhere"
    update_draft(db_session, draft, broken)
    db_session.commit()
    account, line = scene
    html = _post(client, return_type, account, line, version="draft").data.decode()
    assert "problem(s) to fix in the editor before it can be tried" in html


def test_the_setup_page_without_choices(client, admin, workflow, return_type):
    html = client.get(f"/designer/simulate?workflow={workflow.id}").data.decode()
    assert "Try a return type" in html
    assert f'<option value="{return_type.id}" selected' in html


def test_actions_that_need_the_database_only_record_themselves():
    registry = dry_registry()
    for name in registry.action_names():
        assert registry.action(name).needs_session is False


def test_replaying_moves_is_deterministic_and_refusals_change_nothing():
    compiled = compile_for_simulation(load_template("stock_rotation"))
    rma = SimulatedRma(Decimal("3000"), True, [SimulatedLine(2)])
    moves = [
        Move("retailer", "submit", Situation()),
        Move("warehouse", "approve", Situation()),
        Move("admin", "approve", Situation()),
        Move("retailer", "ship", Situation()),
    ]
    sim = simulate(compiled, rma, moves)
    assert [s.state for s in sim.steps] == [
        "admin_review",
        "admin_review",
        "authorized",
        "awaiting_receipt",
    ]
    assert [s.fired for s in sim.steps] == [True, False, True, True]
    options = sim.options(Situation(received=True))
    assert [o.trigger for o in options["warehouse"]] == ["receive"]
    assert options["retailer"] == []


def test_saving_and_loading_a_scenario(client, db_session, admin, return_type, scene):
    from sqlalchemy import select

    from models import SimulationScenario

    account, line = scene
    response = _post(
        client,
        return_type,
        account,
        line,
        save_scenario="1",
        scenario_name="Three old frames",
        evidence="on",
        replacement_value="400",
    )
    assert response.status_code == 303
    scenario = db_session.scalar(select(SimulationScenario))
    assert scenario.settings == {
        "version": "published",
        "quantities": {str(line.id): 3},
        "evidence": True,
        "replacement_value": "400",
    }
    html = client.get(response.headers["Location"]).data.decode()
    assert "Scenario “Three old frames” saved." in html
    assert f'name="qty-{line.id}" value="3"' in html and "3 unit(s) worth €360.00" in html
    again = _post(
        client, return_type, account, line, save_scenario="1", scenario_name="Three old frames"
    )
    assert again.status_code == 422
    assert "A scenario named “Three old frames” already exists." in again.data.decode()
    blank = _post(client, return_type, account, line, save_scenario="1", scenario_name=" ")
    assert "Give the scenario a name." in blank.data.decode()


def test_a_scenario_name_that_cannot_be_stored_is_refused(
    client, db_session, admin, return_type, scene
):
    from sqlalchemy import func, select

    from models import SimulationScenario

    account, line = scene
    taken = "x" * 120
    assert (
        _post(
            client, return_type, account, line, save_scenario="1", scenario_name=taken
        ).status_code
        == 303
    )
    for name, message in [
        ("Three\x00old", "can&#39;t be stored"),
        ("Three\x1bold", "can&#39;t be stored"),
        (taken + "y", "Keep the name to 120 characters."),  # was cut, then collided: a 500
    ]:
        response = _post(client, return_type, account, line, save_scenario="1", scenario_name=name)
        assert response.status_code == 422
        assert message in response.data.decode()
    assert db_session.scalar(select(func.count(SimulationScenario.id))) == 1


def test_a_saved_scenario_keeps_only_what_the_form_can_produce(
    client, db_session, admin, return_type, scene
):
    from sqlalchemy import select

    from models import SimulationScenario

    account, line = scene
    extra = {"qty-\x00": "2", "qty-²": "2", "qty-7": "²"}
    response = _post(
        client,
        return_type,
        account,
        line,
        save_scenario="1",
        scenario_name="Odd",
        version="published\x00",
        replacement_value="40\x1b",
        **extra,
    )
    assert response.status_code == 303
    scenario = db_session.scalar(select(SimulationScenario))
    assert scenario.settings == {
        "version": "draft",
        "quantities": {str(line.id): 3},
        "evidence": False,
        "replacement_value": "",
    }
