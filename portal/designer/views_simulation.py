"""Trying a workflow and a policy on real account data, writing nothing but saved scenarios.

The page posts its whole state (setup, situation, triggers fired so far) each time; the
simulation is replayed from it (``simulation.py``).
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from models import SimulationScenario
from portal.db import get_session
from portal.designer import operations, simulation
from portal.designer.forms import ConfirmForm, scenario_settings, scenario_values
from portal.inputs.numbers import parse_id
from portal.web import render


def _save_scenario(form: MultiDict[str, str]) -> ResponseReturnValue:
    scenario = operations.save_scenario(
        get_session(),
        current_user,
        name=form.get("scenario_name", ""),
        return_type_id=form.get("return_type", type=parse_id),
        account_id=form.get("account", type=parse_id),
        settings=scenario_settings(form),
    )
    flash(_("Scenario “%(name)s” saved.", name=scenario.name), "success")
    return redirect(url_for("designer.simulate_page", scenario=scenario.id), 303)


EXPIRED = _l("The form expired. Reload.")


def simulate_page() -> ResponseReturnValue:
    posted = request.method == "POST"
    form: MultiDict[str, str] = request.form if posted else request.args
    if posted and not ConfirmForm().validate_on_submit():
        return render("designer/simulate.html", error=EXPIRED, http_status=400)
    save_error = ""
    if posted and form.get("save_scenario"):
        try:
            return _save_scenario(form)
        except operations.DesignerError as error:  # shown beside the scenario's name
            save_error = str(error)
    session = get_session()
    scenario = session.get(SimulationScenario, request.args.get("scenario", type=parse_id) or 0)
    if scenario is not None and not posted:
        form = scenario_values(scenario)
    return render(
        "designer/simulate.html",
        **simulation.page(session, form),
        form=ConfirmForm(),
        values=form,
        scenario=scenario,
        save_error=save_error,
        http_status=422 if save_error else 200,
    )
