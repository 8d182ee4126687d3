"""The request flow's input boundary. Forms check shape and type; what the values mean
(ownership, returnable quantities, stock) is checked again by the operations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    HiddenField,
    SearchField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from models import Grade, ReturnType
from portal.forms import choices
from portal.i18n.formats import number
from portal.inputs.numbers import MAX_QUANTITY, BoundedIntegerField, PageField, parse_id, parse_int
from portal.inputs.text import BaseForm
from portal.requests.errors import RequestError
from portal.requests.operations import MAX_DESCRIPTION, MAX_JUSTIFICATION
from portal.rmas.words import WORDS
from workflow_designer.engine.resolutions import resolution_label

CONDITION_CHOICES = [("", _l("Choose…"))] + [(g.value, WORDS[g.value]) for g in Grade]


def reason_choices(return_type: ReturnType, empty: str | None = None):
    """The reasons offered: the value is the reason as typed (what a line stores), the label
    the reader's language."""
    offered = [(r, return_type.shown_reason(r)) for r in return_type.reasons or []]
    return choices([("", empty or _("Choose…")), *offered])


class StartForm(BaseForm):
    return_type_id = HiddenField(validators=[DataRequired()])
    account_id = HiddenField(validators=[Optional()])


class AccountSearchForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    q = SearchField(_l("Account"), validators=[Optional(), Length(max=100)])
    page = PageField(validators=[Optional()])


SHOW_CHOICES = [
    ("eligible", _l("Lines I can return")),
    ("returnable", _l("Lines with units left, eligible or not")),
    ("all", _l("Everything I bought")),
]


class HistorySearchForm(BaseForm):
    """Searching the purchase history for lines to add (a GET form)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search purchases"),
        validators=[Optional(), Length(max=100)],
        description=_l("SKU, brand, model or invoice number"),
    )
    show = SelectField(_l("Show"), choices=choices(SHOW_CHOICES), default="eligible")
    page = PageField(validators=[Optional()])

    @property
    def page_number(self) -> int:
        return self.page.data if not self.page.errors and self.page.data else 1


class AddLinesForm(BaseForm):
    """Reason and condition for every line added at once; the picks themselves are the
    dynamic ``pick`` / ``qty-<order line id>`` fields (see ``parse_picks``)."""

    reason = SelectField(_l("Reason for these lines"), validate_choice=False)
    condition = SelectField(
        _l("Their condition"), choices=choices(CONDITION_CHOICES), validate_choice=False
    )

    def line_choices(self) -> dict[str, str]:
        """Reason and condition for ``operations.add_lines`` ("" when left to set later)."""
        return {"reason": self.reason.data or "", "condition": self.condition.data or ""}


@dataclass(frozen=True)
class Picks:
    quantities: dict[int, int | None]
    errors: list[str]

    def checked(self) -> dict[int, int | None]:
        """The quantities, or a RequestError with the first thing not understood."""
        if self.errors:
            raise RequestError(self.errors[0])
        return self.quantities


QTY_FIELD = re.compile(r"qty-([0-9]{1,10})")


def parse_picks(form: Mapping, getlist) -> Picks:
    """Lines to add: ticked (``pick=<id>``) or given a quantity (``qty-<id>``). A ticked line
    with no quantity adds everything still returnable (None)."""
    quantities: dict[int, int | None] = {}
    errors: list[str] = []
    for value in getlist("pick"):
        line_id = parse_id(value)
        if line_id is not None:
            quantities[line_id] = None
        else:
            errors.append(_("A ticked line was not understood."))
    for name, raw in form.items():
        match = QTY_FIELD.fullmatch(name)
        if match is None or not raw.strip():
            continue
        line_id, quantity = parse_id(match[1]), parse_int(raw, 1, MAX_QUANTITY)
        if line_id is None:
            errors.append(_("A line was not understood."))
        elif quantity is None:
            errors.append(
                _(
                    "“%(text)s” is not a quantity; type a whole number from 1 to %(max)s.",
                    text=raw.strip()[:20],
                    max=number(MAX_QUANTITY),
                )
            )
        else:
            quantities[line_id] = quantity
    return Picks(quantities, errors)


class LineForm(BaseForm):
    quantity = BoundedIntegerField(
        _l("Quantity"),
        validators=[InputRequired(_l("Type a quantity."))],
        minimum=1,
        maximum=MAX_QUANTITY,
        message=LazyString(
            lambda: _(
                "Type a whole number of at least 1 and at most %(max)s.", max=number(MAX_QUANTITY)
            )
        ),
        invalid=_l("Type a whole number of at least 1."),
    )
    reason = SelectField(_l("Reason"), validate_choice=False)
    condition = SelectField(
        _l("Condition"), choices=choices(CONDITION_CHOICES), validate_choice=False
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=MAX_DESCRIPTION)])

    def changes(self) -> dict[str, Any]:
        """The line's new values, as ``operations.update_line`` takes them."""
        return {
            "quantity": self.quantity.data,
            "reason": self.reason.data or "",
            "condition": self.condition.data or "",
            "description": self.description.data or "",
        }


ANSWER_FIELD = "l{line_id}-answer-"


def posted_answers(form: Mapping, line_id: int) -> dict[str, str] | None:
    """The questionnaire answers posted for a line (``l<id>-answer-<question key>``),
    None when the post has none (a form without the questions keeps those given)."""
    prefix = ANSWER_FIELD.format(line_id=line_id)
    found = {key[len(prefix) :]: str(form[key]) for key in form if key.startswith(prefix)}
    return found or None


class PhotoForm(BaseForm):
    photos = MultipleFileField(_l("Photos"))


ADD_FIELD = re.compile(r"add-([0-9]{1,10})")


def parse_replacement_quantities(
    form: Mapping, current: Mapping[int, int]
) -> tuple[dict[int, int], list[str]]:
    """New quantities per product id: ``qty-<id>`` sets one (0 or empty removes it),
    ``add-<id>`` adds to what is already ordered."""
    quantities: dict[int, int] = {}
    errors: list[str] = []
    for name, raw in form.items():
        match = QTY_FIELD.fullmatch(name) or ADD_FIELD.fullmatch(name)
        if match is None:
            continue
        raw = raw.strip() or "0"
        product_id, quantity = parse_id(match[1]), parse_int(raw, 0, MAX_QUANTITY)
        if product_id is None or quantity is None:
            errors.append(
                _(
                    "“%(text)s” is not a quantity; type a whole number up to %(max)s (0 removes).",
                    text=raw[:20],
                    max=number(MAX_QUANTITY),
                )
            )
            continue
        adding = name.startswith("add-")
        total = current.get(product_id, 0) + quantity if adding else quantity
        if total > MAX_QUANTITY:
            errors.append(_("At most %(max)s of one product.", max=number(MAX_QUANTITY)))
            continue
        quantities[product_id] = total
    return quantities, errors


def checked_replacement_quantities(form: Mapping, current: Mapping[int, int]) -> dict[int, int]:
    """``parse_replacement_quantities``, or a RequestError with its first problem."""
    quantities, errors = parse_replacement_quantities(form, current)
    if errors:
        raise RequestError(errors[0])
    return quantities


class ReplacementSearchForm(BaseForm):
    class Meta:
        csrf = False

    q = SearchField(
        _l("Find a product"),
        validators=[Optional(), Length(max=100)],
        description=_l("SKU, brand or model"),
    )


class ExceptionForm(BaseForm):
    justification = TextAreaField(
        _l("Why should this request be accepted anyway?"),
        validators=[
            DataRequired(_l("Explain why this request should be an exception.")),
            Length(max=MAX_JUSTIFICATION),
        ],
        description=_l("Your sales rep reads this before deciding."),
    )


class SubmitForm(BaseForm):
    # Generated when the page renders: a double click or a re-posted form finds the RMA
    # the first post submitted instead of submitting again.
    idempotency_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])
    # What the page showed; refused if the draft changed since (e.g. in another tab).
    digest = HiddenField(validators=[DataRequired(), Length(max=64)])
    resolution = SelectField(_l("What would you like in return?"), validate_choice=False)

    def set_resolutions(self, offered: list[str]) -> None:
        """The resolutions to choose from, in the order given."""
        self.resolution.choices = choices((r, resolution_label(r)) for r in offered)


class ConfirmForm(BaseForm):
    """A bare POST form: CSRF protection for one-button actions."""


class RmaFilterForm(BaseForm):
    """Filters of "My RMAs" (a GET form); bad values are reported, not silently ignored."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search"), validators=[Optional(), Length(max=100)], description=_l("RMA or SKU")
    )
    # Choices are filled by the view from what the user may see; anything else is refused.
    state = SelectField(_l("State"), default="")
    return_type = SelectField(_l("Return type"), default="")
    account = SelectField(_l("Account"), default="")
    created_from = DateField(_l("Created from"), validators=[Optional()])
    created_to = DateField(_l("Created to"), validators=[Optional()])
    page = PageField(validators=[Optional()])

    def validate_created_to(self, field) -> None:
        start = self.created_from.data
        if field.data and start and field.data < start:
            raise ValidationError(_("The end date is before the start date."))

    @property
    def page_number(self) -> int:
        return self.page.data if not self.page.errors and self.page.data else 1
