"""Small helpers shared by the areas' WTForms forms."""

from __future__ import annotations

from collections.abc import Iterable

from flask import abort
from flask_babel import gettext as _
from wtforms import Form
from wtforms.fields.choices import SelectChoice


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def refuse_filters(form: Form) -> None:
    """Answer 400 naming the filters ``form`` could not read. An export has no form to show
    its errors beside, so it refuses rather than quietly exporting something else."""
    if form.errors:
        problems = "; ".join(
            _(
                "%(filter)s: %(problems)s",
                filter=form[name].label.text,
                problems=" ".join(map(str, errors)),
            )
            for name, errors in form.errors.items()
        )
        abort(
            400,
            description=_("Some filters were not understood (%(problems)s).", problems=problems),
        )
