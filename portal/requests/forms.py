"""The request flow's input boundary. Forms check shape and type; what the values mean
(ownership, returnable quantities, stock) is checked again by the operations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
from portal.inputs.numbers import MAX_QUANTITY, BoundedIntegerField, PageField, parse_id, parse_int
from portal.inputs.text import BaseForm
from portal.requests.errors import RequestError
from portal.requests.operations import MAX_DESCRIPTION, MAX_JUSTIFICATION
from workflow_designer.engine.resolutions import resolution_label

CONDITION_CHOICES = [("", "Choose…")] + [(g.value, g.label) for g in Grade]


def reason_choices(return_type: ReturnType, empty: str = "Choose…"):
    return choices([("", empty)] + [(r, r) for r in return_type.reasons or []])


class StartForm(BaseForm):
    return_type_id = HiddenField(validators=[DataRequired()])
    account_id = HiddenField(validators=[Optional()])


class AccountSearchForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    q = SearchField("Account", validators=[Optional(), Length(max=100)])
    page = PageField(validators=[Optional()])


SHOW_CHOICES = [
    ("eligible", "Lines I can return"),
    ("returnable", "Lines with units left, eligible or not"),
    ("all", "Everything I bought"),
]


class HistorySearchForm(BaseForm):
    """Searching the purchase history for lines to add (a GET form)."""

    class Meta:
        csrf = False

    q = SearchField(
        "Search purchases",
        validators=[Optional(), Length(max=100)],
        description="SKU, brand, model or invoice number",
    )
    show = SelectField("Show", choices=choices(SHOW_CHOICES), default="eligible")
    page = PageField(validators=[Optional()])

    @property
    def page_number(self) -> int:
        return self.page.data if not self.page.errors and self.page.data else 1


class AddLinesForm(BaseForm):
    """Reason and condition for every line added at once; the picks themselves are the
    dynamic ``pick`` / ``qty-<order line id>`` fields (see ``parse_picks``)."""

    reason = SelectField("Reason for these lines", validate_choice=False)
    condition = SelectField(
        "Their condition", choices=choices(CONDITION_CHOICES), validate_choice=False
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
            errors.append("A ticked line was not understood.")
    for name, raw in form.items():
        match = QTY_FIELD.fullmatch(name)
        if match is None or not raw.strip():
            continue
        line_id, quantity = parse_id(match[1]), parse_int(raw, 1, MAX_QUANTITY)
        if line_id is None:
            errors.append("A line was not understood.")
        elif quantity is None:
            errors.append(
                f"“{raw.strip()[:20]}” is not a quantity; type a whole number from 1 to "
                f"{MAX_QUANTITY:,}."
            )
        else:
            quantities[line_id] = quantity
    return Picks(quantities, errors)


class LineForm(BaseForm):
    quantity = BoundedIntegerField(
        "Quantity",
        validators=[InputRequired("Type a quantity.")],
        minimum=1,
        maximum=MAX_QUANTITY,
        message=f"Type a whole number of at least 1 and at most {MAX_QUANTITY:,}.",
        invalid="Type a whole number of at least 1.",
    )
    reason = SelectField("Reason", validate_choice=False)
    condition = SelectField("Condition", choices=choices(CONDITION_CHOICES), validate_choice=False)
    description = TextAreaField("Description", validators=[Length(max=MAX_DESCRIPTION)])

    def changes(self) -> dict[str, Any]:
        """The line's new values, as ``operations.update_line`` takes them."""
        return {
            "quantity": self.quantity.data,
            "reason": self.reason.data or "",
            "condition": self.condition.data or "",
            "description": self.description.data or "",
        }


class PhotoForm(BaseForm):
    photos = MultipleFileField("Photos")


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
                f"“{raw[:20]}” is not a quantity; type a whole number up to {MAX_QUANTITY:,} "
                "(0 removes)."
            )
            continue
        adding = name.startswith("add-")
        total = current.get(product_id, 0) + quantity if adding else quantity
        if total > MAX_QUANTITY:
            errors.append(f"At most {MAX_QUANTITY:,} of one product.")
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
        "Find a product",
        validators=[Optional(), Length(max=100)],
        description="SKU, brand or model",
    )


class ExceptionForm(BaseForm):
    justification = TextAreaField(
        "Why should this request be accepted anyway?",
        validators=[
            DataRequired("Explain why this request should be an exception."),
            Length(max=MAX_JUSTIFICATION),
        ],
        description="Your sales rep reads this before deciding.",
    )


class SubmitForm(BaseForm):
    # Generated when the page renders: a double click or a re-posted form finds the RMA
    # the first post submitted instead of submitting again.
    idempotency_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])
    # What the page showed; refused if the draft changed since (e.g. in another tab).
    digest = HiddenField(validators=[DataRequired(), Length(max=64)])
    resolution = SelectField("What would you like in return?", validate_choice=False)

    def set_resolutions(self, return_type: ReturnType) -> None:
        offered = return_type.resolutions or []
        self.resolution.choices = choices((r, resolution_label(r)) for r in offered)


class ConfirmForm(BaseForm):
    """A bare POST form: CSRF protection for one-button actions."""


class RmaFilterForm(BaseForm):
    """Filters of "My RMAs" (a GET form); bad values are reported, not silently ignored."""

    class Meta:
        csrf = False

    q = SearchField("Search", validators=[Optional(), Length(max=100)], description="RMA or SKU")
    # Choices are filled by the view from what the user may see; anything else is refused.
    state = SelectField("State", default="")
    return_type = SelectField("Return type", default="")
    account = SelectField("Account", default="")
    created_from = DateField("Created from", validators=[Optional()])
    created_to = DateField("Created to", validators=[Optional()])
    page = PageField(validators=[Optional()])

    def validate_created_to(self, field) -> None:
        start = self.created_from.data
        if field.data and start and field.data < start:
            raise ValidationError("The end date is before the start date.")

    @property
    def page_number(self) -> int:
        return self.page.data if not self.page.errors and self.page.data else 1
