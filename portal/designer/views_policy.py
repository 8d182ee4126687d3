"""The policy editor of a return type: every rule of ``policy.RULES``, switchable."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from models import ReturnType
from portal.db import get_session
from portal.designer import operations, queries
from portal.designer.forms import PolicySaveForm
from portal.designer.policy_form import (
    MONTHS,
    check_policy,
    multichoice_options,
    parse_policy,
    rule_views,
)
from portal.web import render, wants_fragment
from workflow_designer.policy import GRADES, MODES, UNITS, PolicyProblem, describe_policy
from workflow_designer.runtime.policy_versions import current_number

GROUPS = {
    "common": _l("Every return"),
    "rotation": _l("Stock rotation limits"),
    "credit": _l("Credit"),
}
MODE_LABELS = {
    "blocking": _l("Blocking: the return cannot be submitted"),
    "exception": _l("Exception allowed: the retailer may ask their sales rep"),
}


def _render(
    return_type: ReturnType,
    policy: Any,
    problems: list[PolicyProblem],
    http_status: int = 200,
    saved: str = "",
    form: PolicySaveForm | None = None,
) -> Response:
    session = get_session()
    catalog = queries.catalog(session)
    return render(
        "designer/policy.html",
        fragment="designer/_policy_editor.html",
        return_type=return_type,
        rules=rule_views(policy, problems),
        problems=problems,
        groups=GROUPS,
        modes=[(m, MODE_LABELS[m]) for m in MODES],
        options=lambda param, selected: multichoice_options(param, catalog, selected),
        summary=describe_policy(policy, "EUR", date.today()) if not problems else [],
        form=form or PolicySaveForm(formdata=None),
        grade_choices=GRADES,
        units=UNITS,
        months=MONTHS,
        saved=saved,
        version_number=current_number(session, return_type.id),
        http_status=http_status,
    )


def policy(return_type_id: int) -> ResponseReturnValue:
    session = get_session()
    return_type = queries.load_return_type(session, return_type_id)
    if request.method == "GET":
        return _render(return_type, return_type.policy, [])
    form = PolicySaveForm()
    if not form.validate_on_submit():
        if not form.note.errors:  # no CSRF token: show the policy as stored
            return _render(return_type, return_type.policy, [], 400)
        return _render(return_type, parse_policy(request.form), [], 422, form=form)
    stored, problems = check_policy(parse_policy(request.form))
    if problems:
        return _render(return_type, parse_policy(request.form), problems, 422, form=form)
    version = operations.save_policy(session, current_user, return_type, stored, form.note.data)
    if wants_fragment():
        return _render(return_type, return_type.policy, [], saved=_saved(version))
    flash(_saved(version, return_type.name), "success")
    return redirect(url_for("designer.policy", return_type_id=return_type.id), 303)


def _saved(version, name: str | None = None) -> str:
    """What a save did, for the page (``name`` None) or as a flash naming the type."""
    if name is None:
        if version:
            return _("Saved as version %(number)s.", number=version.number)
        return _("No change: nothing to save.")
    if version:
        return _(
            "Policy of “%(name)s”: saved as version %(number)s.", name=name, number=version.number
        )
    return _("Policy of “%(name)s”: no change: nothing to save.", name=name)


def policy_check(return_type_id: int) -> ResponseReturnValue:
    """Check what is being typed without saving it (the editor calls this on each change)."""
    return_type = queries.load_return_type(get_session(), return_type_id)
    policy = parse_policy(request.form)
    _, problems = check_policy(policy)
    return _render(return_type, policy, problems, form=PolicySaveForm())  # keeps the note
