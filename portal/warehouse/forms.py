"""The warehouse's input boundary: scanning, receiving, grading, actions and stock filters."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    HiddenField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import FieldList, FormField
from wtforms.validators import InputRequired, Length, Optional

from models import Grade, HeldDecision, Product, UnexpectedItem
from portal.forms import choices
from portal.inputs.numbers import BoundedIntegerField, PageField
from portal.inputs.text import BaseForm, BaseSubForm, column_length
from portal.warehouse.corrections import MAX_REASON
from portal.warehouse.operations import MAX_UNITS
from workflow_designer.policy.vocabulary import B_STOCK_GRADES

MAX_COMMENT = 2000
MAX_NOTE = 1000
MAX_UNEXPECTED_ROWS = 50
B_STOCK_GRADE_CHOICES = [(g.value, g.label) for g in B_STOCK_GRADES]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _units(label: str, minimum: int = 0) -> BoundedIntegerField:
    return BoundedIntegerField(
        label,
        validators=[Optional()],
        minimum=minimum,
        maximum=MAX_UNITS,
        message=f"Enter {minimum} to {MAX_UNITS}.",
    )


class StockFilterForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    warehouse = SelectField("Warehouse", default="", choices=choices([("", "All warehouses")]))
    grade = SelectField(
        "Grade",
        default="",
        choices=choices([("", "All grades")] + [(g.value, g.label) for g in Grade]),
    )
    sku = SearchField("SKU starts with", validators=[Optional()])
    page = PageField(validators=[Optional()])


class BStockFilterForm(StockFilterForm):
    grade = SelectField(
        "Grade", default="", choices=choices([("", "All B-stock grades"), *B_STOCK_GRADE_CHOICES])
    )
    brand = SelectField("Brand", default="", choices=choices([("", "All brands")]))


class ScanForm(BaseForm):
    class Meta:
        csrf = False  # a lookup: it changes nothing

    q = SearchField(
        "Scan the label or type the RMA number",
        filters=[_strip],
        validators=[Length(max=200, message="That is too long to be an RMA number.")],
    )


class ReceivedLineForm(BaseSubForm):
    line_id = HiddenField()
    quantity = BoundedIntegerField(
        "Received",
        validators=[InputRequired("Enter how many arrived (0 if none).")],
        maximum=MAX_UNITS,
        message=f"Enter 0 to {MAX_UNITS}.",
    )


class UnexpectedItemForm(BaseSubForm):
    """A row for something in the parcel that is not on the RMA; a blank row is ignored."""

    sku = StringField("SKU", filters=[_strip], validators=[Length(max=column_length(Product.sku))])
    description = StringField(
        "Description",
        filters=[_strip],
        validators=[Length(max=column_length(UnexpectedItem.description))],
    )
    quantity = _units("Quantity", minimum=1)

    @property
    def is_blank(self) -> bool:
        return not (self.sku.data or self.description.data or self.quantity.raw_data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_blank:
            return valid
        if self.quantity.data is None and not self.quantity.errors:
            self.quantity.errors.append("How many arrived?")
            valid = False
        if not (self.sku.data or self.description.data):
            self.description.errors.append("Describe the item or enter its SKU.")
            valid = False
        return valid


class ReceiveForm(BaseForm):
    lines = FieldList(FormField(ReceivedLineForm))
    unexpected = FieldList(
        FormField(UnexpectedItemForm),
        validators=[
            Length(max=MAX_UNEXPECTED_ROWS, message=f"At most {MAX_UNEXPECTED_ROWS} rows.")
        ],
    )
    comment = TextAreaField(
        "Comment",
        filters=[_strip],
        validators=[Length(max=MAX_COMMENT, message=f"At most {MAX_COMMENT} characters.")],
    )
    # Ticked to confirm units beyond the RMA: carries what was confirmed (its signature).
    confirm = StringField(validators=[Length(max=4000)])


class GradeCountsForm(BaseForm):
    """Units per grade for one line."""

    new = _units(Grade.NEW.label)
    open_packaging = _units(Grade.OPEN_PACKAGING.label)
    used = _units(Grade.USED.label)
    lightly_damaged = _units(Grade.LIGHTLY_DAMAGED.label)
    heavily_damaged = _units(Grade.HEAVILY_DAMAGED.label)
    defective = _units(Grade.DEFECTIVE.label)

    def grade_fields(self) -> list[tuple[Grade, BoundedIntegerField]]:
        return [(grade, self[grade.value]) for grade in Grade]

    def counts(self) -> dict[Grade, int]:
        return {grade: field.data or 0 for grade, field in self.grade_fields()}


class GradeForm(GradeCountsForm):
    """Units per grade for one line (built with ``prefix=line_prefix(line)``)."""

    note = TextAreaField(
        "Note",
        filters=[_strip],
        validators=[Length(max=MAX_NOTE, message=f"At most {MAX_NOTE} characters.")],
    )
    photo = FileField("Photo")


class CorrectionForm(GradeCountsForm):
    """A line's received quantity and grades as they should be, and why (built with
    ``prefix=correction_prefix(line)``)."""

    quantity = BoundedIntegerField(
        "Received",
        validators=[InputRequired("Enter how many arrived (0 if none).")],
        maximum=MAX_UNITS,
        message=f"Enter 0 to {MAX_UNITS}.",
    )
    reason = TextAreaField(
        "Reason for the correction",
        filters=[_strip],
        validators=[
            InputRequired("Say why: a correction needs a reason."),
            Length(max=MAX_REASON, message=f"At most {MAX_REASON} characters."),
        ],
    )


def correction_prefix(line_id: int) -> str:
    return f"correct-{line_id}"


class ShipHeldForm(BaseForm):
    """Marks held units shipped back: the CSRF token is all it carries."""


class HeldDecisionForm(BaseForm):
    decision = SelectField(
        "Decision",
        choices=choices([("", "Choose…")] + [(d.value, d.label) for d in HeldDecision]),
        validators=[InputRequired("Choose return to sender or dispose.")],
    )
    comment = TextAreaField(
        "Comment",
        filters=[_strip],
        validators=[
            InputRequired("Say why: a decision needs a comment."),
            Length(max=MAX_COMMENT, message=f"At most {MAX_COMMENT} characters."),
        ],
    )


def line_prefix(line_id: int) -> str:
    return f"line-{line_id}"


class ActionForm(BaseForm):
    trigger = HiddenField()
    comment = TextAreaField(
        "Comment",
        filters=[_strip],
        validators=[Length(max=MAX_COMMENT, message=f"At most {MAX_COMMENT} characters.")],
    )
