"""A return type's policy versions: the history, a version beside the current one, restore."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from portal.db import get_session
from portal.designer import operations, queries
from portal.designer.forms import PolicyRestoreForm
from portal.inputs.numbers import parse_id
from portal.web import render
from workflow_designer.policy.changes import diff_policies
from workflow_designer.runtime import policy_versions


def policy_history(return_type_id: int) -> ResponseReturnValue:
    session = get_session()
    return_type = queries.load_return_type(session, return_type_id)
    versions = policy_versions.history(session, return_type.id)
    # What each version changed from the one before it (the first: from nothing set).
    changed = {
        v.number: diff_policies(older.params if older else {}, v.params)
        for v, older in zip(versions, [*versions[1:], None], strict=False)
    }
    return render(
        "designer/policy_history.html",
        return_type=return_type,
        versions=versions,
        changed=changed,
        form=PolicyRestoreForm(formdata=None),
    )


def policy_diff(return_type_id: int) -> ResponseReturnValue:
    session = get_session()
    return_type = queries.load_return_type(session, return_type_id)
    numbers = [v.number for v in policy_versions.history(session, return_type.id)]
    # Without a version asked for: the one before the current one.
    default = numbers[1] if len(numbers) > 1 else next(iter(numbers), None)
    number = parse_id(request.args["version"]) if "version" in request.args else default
    if number is None:
        abort(404)
    version = queries.load_policy_version(session, return_type, number)
    current = policy_versions.current_version(session, return_type.id)
    assert current is not None  # ``version`` exists, so a current one does
    return render(
        "designer/policy_diff.html",
        return_type=return_type,
        version=version,
        current=current,
        numbers=numbers,
        changes=diff_policies(version.params, current.params),
        form=PolicyRestoreForm(formdata=None),
    )


def _restored(number: int, restored) -> tuple[str, str]:
    """The flash after a restore: ``restored`` is the new version, None if nothing changed."""
    if restored is None:
        text = _(
            "Version %(number)s says the same as the current policy: nothing changed.",
            number=number,
        )
        return text, "info"
    text = _(
        "Version %(number)s restored as version %(new)s. New requests are "
        "checked against it; submitted returns keep the verdict they were given.",
        number=number,
        new=restored.number,
    )
    return text, "success"


def policy_restore(return_type_id: int, number: int) -> ResponseReturnValue:
    session = get_session()
    return_type = queries.load_return_type(session, return_type_id)
    version = queries.load_policy_version(session, return_type, number)
    form = PolicyRestoreForm()
    expected = parse_id(form.current.data) if form.validate_on_submit() else None
    if expected is None:
        abort(400)
    restored = operations.restore_policy(session, current_user, return_type, version, expected)
    flash(*_restored(number, restored))
    return redirect(url_for("designer.policy_history", return_type_id=return_type.id), 303)
