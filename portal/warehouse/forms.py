"""The warehouse's input boundary: scanning, receiving, grading, actions and stock filters."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from sqlalchemy.orm import Session
from wtforms import (
    HiddenField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import FieldList, FormField
from wtforms.validators import InputRequired, Length, Optional

from models import Grade, HeldDecision, Product, Rma, UnexpectedItem
from portal.forms import choices
from portal.inputs.numbers import BoundedIntegerField, PageField, parse_id
from portal.inputs.text import BaseForm, BaseSubForm, column_length
from portal.warehouse import queries
from portal.warehouse.corrections import MAX_REASON
from portal.warehouse.operations import MAX_UNITS, ReceivingError, Unexpected
from portal.warehouse.stock_queries import StockFilters
from workflow_designer.policy.vocabulary import B_STOCK_GRADES

MAX_COMMENT = 2000
MAX_NOTE = 1000
MAX_UNEXPECTED_ROWS = 50
B_STOCK_GRADE_CHOICES = [(g.value, g.lazy_label) for g in B_STOCK_GRADES]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _units(label: str, minimum: int = 0) -> BoundedIntegerField:
    return BoundedIntegerField(
        label,
        validators=[Optional()],
        minimum=minimum,
        maximum=MAX_UNITS,
        message=_l("Enter %(min)s to %(max)s.", min=minimum, max=MAX_UNITS),
    )


class StockFilterForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    warehouse = SelectField(
        _l("Warehouse"), default="", choices=choices([("", _l("All warehouses"))])
    )
    grade = SelectField(
        _l("Grade"),
        default="",
        choices=choices([("", _l("All grades"))] + [(g.value, g.lazy_label) for g in Grade]),
    )
    sku = SearchField(_l("SKU starts with"), validators=[Optional()])
    page = PageField(validators=[Optional()])

    def selection(self) -> tuple[StockFilters, int]:
        """The filters and the page validly asked for; all stock's first page otherwise."""
        if not self.validate():
            return StockFilters(), 1
        return self.filters(), self.page.data or 1

    def filters(self) -> StockFilters:
        return StockFilters(
            warehouse_id=int(self.warehouse.data) if self.warehouse.data else None,
            grade=Grade(self.grade.data) if self.grade.data else None,
            sku=self.sku.data or "",
        )


class BStockFilterForm(StockFilterForm):
    grade = SelectField(
        _l("Grade"),
        default="",
        choices=choices([("", _l("All B-stock grades")), *B_STOCK_GRADE_CHOICES]),
    )
    brand = SelectField(_l("Brand"), default="", choices=choices([("", _l("All brands"))]))

    def filters(self) -> StockFilters:
        return replace(super().filters(), brand=self.brand.data or "")


class ScanForm(BaseForm):
    class Meta:
        csrf = False  # a lookup: it changes nothing

    q = SearchField(
        _l("Scan the label or type the RMA number"),
        filters=[_strip],
        validators=[Length(max=200, message=_l("That is too long to be an RMA number."))],
    )


class ReceivedLineForm(BaseSubForm):
    line_id = HiddenField()
    quantity = BoundedIntegerField(
        _l("Received"),
        validators=[InputRequired(_l("Enter how many arrived (0 if none)."))],
        maximum=MAX_UNITS,
        message=_l("Enter %(min)s to %(max)s.", min=0, max=MAX_UNITS),
    )


class UnexpectedItemForm(BaseSubForm):
    """A row for something in the parcel that is not on the RMA; a blank row is ignored."""

    sku = StringField(
        _l("SKU"), filters=[_strip], validators=[Length(max=column_length(Product.sku))]
    )
    description = StringField(
        _l("Description"),
        filters=[_strip],
        validators=[Length(max=column_length(UnexpectedItem.description))],
    )
    quantity = _units(_l("Quantity"), minimum=1)

    @property
    def is_blank(self) -> bool:
        return not (self.sku.data or self.description.data or self.quantity.raw_data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_blank:
            return valid
        if self.quantity.data is None and not self.quantity.errors:
            self.quantity.errors.append(_("How many arrived?"))
            valid = False
        if not (self.sku.data or self.description.data):
            self.description.errors.append(_("Describe the item or enter its SKU."))
            valid = False
        return valid


class ReceiveForm(BaseForm):
    lines = FieldList(FormField(ReceivedLineForm))
    unexpected = FieldList(
        FormField(UnexpectedItemForm),
        validators=[
            Length(
                max=MAX_UNEXPECTED_ROWS,
                message=_l("At most %(max)s rows.", max=MAX_UNEXPECTED_ROWS),
            )
        ],
    )
    comment = TextAreaField(
        _l("Comment"),
        filters=[_strip],
        validators=[
            Length(max=MAX_COMMENT, message=_l("At most %(max)s characters.", max=MAX_COMMENT))
        ],
    )
    # Ticked to confirm units beyond the RMA: carries what was confirmed (its signature).
    confirm = StringField(validators=[Length(max=4000)])

    def line_entries(self) -> dict[int, FormField]:
        """The line entries by line id (entries with a bad id are left out)."""
        entries = {}
        for entry in self.lines:
            line_id = parse_id(entry.line_id.data)
            if line_id is not None:
                entries[line_id] = entry
        return entries


class FormMismatch(ReceivingError):
    """The posted rows are not the RMA's lines: a tampered form, or lines changed since it
    was opened. The posted form cannot be shown again: its rows are not the RMA's lines."""


@dataclass(frozen=True)
class Receipt:
    """What the receiving form says arrived."""

    received: dict[int, int]
    unexpected: list[Unexpected]
    comment: str
    confirmation: str


def read_receipt(session: Session, rma: Rma, form: ReceiveForm) -> Receipt:
    """The posted receipt; ReceivingError when a field is marked, FormMismatch when the
    rows are not the RMA's lines."""
    valid = form.validate_on_submit()
    entries = form.line_entries()
    if set(entries) != {line.id for line in rma.lines}:
        raise FormMismatch(
            _("The form does not match this RMA's lines. Check the quantities again.")
        )
    unexpected = _unexpected(session, form) if valid else None
    if unexpected is None:
        raise ReceivingError(_("Check the marked fields."))
    received = {line_id: entry.quantity.data for line_id, entry in entries.items()}
    return Receipt(received, unexpected, form.comment.data or "", form.confirm.data or "")


def _unexpected(session: Session, form: ReceiveForm) -> list[Unexpected] | None:
    """The filled-in rows as items, SKUs resolved to products; None (with the errors on
    the rows) when a SKU is unknown."""
    rows = [entry.form for entry in form.unexpected if not entry.form.is_blank]
    products = queries.products_by_sku(session, [row.sku.data for row in rows])
    items, valid = [], True
    for row in rows:
        product = products.get((row.sku.data or "").upper()) if row.sku.data else None
        if row.sku.data and product is None:
            row.sku.errors.append(
                _(
                    "No product has SKU %(sku)s; leave it empty and describe the item.",
                    sku=row.sku.data,
                )
            )
            valid = False
            continue
        description = row.description.data or (_describe(product) if product else "")
        items.append(Unexpected(description, row.quantity.data, product.id if product else None))
    return items if valid else None


def _describe(product: Product) -> str:
    return f"{product.sku} {product.brand} {product.model}, {product.colour}, {product.size}"


class GradeCountsForm(BaseForm):
    """Units per grade for one line."""

    new = _units(Grade.NEW.lazy_label)
    open_packaging = _units(Grade.OPEN_PACKAGING.lazy_label)
    used = _units(Grade.USED.lazy_label)
    lightly_damaged = _units(Grade.LIGHTLY_DAMAGED.lazy_label)
    heavily_damaged = _units(Grade.HEAVILY_DAMAGED.lazy_label)
    defective = _units(Grade.DEFECTIVE.lazy_label)

    def grade_fields(self) -> list[tuple[Grade, BoundedIntegerField]]:
        return [(grade, self[grade.value]) for grade in Grade]

    def counts(self) -> dict[Grade, int]:
        return {grade: field.data or 0 for grade, field in self.grade_fields()}


def counts_refused(form: GradeCountsForm, prefix: str) -> str | None:
    """Why the posted counts cannot be used (the fields marked), or None when they can."""
    unknown = unknown_grades(form, prefix)
    if form.validate_on_submit() and not unknown:
        return None
    if unknown:
        return _("No such grade: %(grades)s.", grades=", ".join(unknown))
    return _("Check the marked fields.")


def unknown_grades(form: GradeCountsForm, prefix: str) -> list[str]:
    """Fields posted for the line that the form does not have: a grade outside the
    vocabulary (a tampered or outdated form)."""
    start = f"{prefix}-"
    names = [key[len(start) :] for key in request.form if key.startswith(start)]
    return sorted(name[:40] for name in names if name not in form._fields)


class GradeForm(GradeCountsForm):
    """Units per grade for one line (built with ``prefix=line_prefix(line)``)."""

    note = TextAreaField(
        _l("Note"),
        filters=[_strip],
        validators=[Length(max=MAX_NOTE, message=_l("At most %(max)s characters.", max=MAX_NOTE))],
    )
    photo = FileField(_l("Photo"))


class CorrectionForm(GradeCountsForm):
    """A line's received quantity and grades as they should be, and why (built with
    ``prefix=correction_prefix(line)``)."""

    quantity = BoundedIntegerField(
        _l("Received"),
        validators=[InputRequired(_l("Enter how many arrived (0 if none)."))],
        maximum=MAX_UNITS,
        message=_l("Enter %(min)s to %(max)s.", min=0, max=MAX_UNITS),
    )
    reason = TextAreaField(
        _l("Reason for the correction"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Say why: a correction needs a reason.")),
            Length(max=MAX_REASON, message=_l("At most %(max)s characters.", max=MAX_REASON)),
        ],
    )


def correction_prefix(line_id: int) -> str:
    return f"correct-{line_id}"


class ShipHeldForm(BaseForm):
    """Marks held units shipped back: the CSRF token is all it carries."""


class HeldDecisionForm(BaseForm):
    decision = SelectField(
        _l("Decision"),
        choices=choices([("", _l("Choose…"))] + [(d.value, d.lazy_label) for d in HeldDecision]),
        validators=[InputRequired(_l("Choose return to sender or dispose."))],
    )
    comment = TextAreaField(
        _l("Comment"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Say why: a decision needs a comment.")),
            Length(max=MAX_COMMENT, message=_l("At most %(max)s characters.", max=MAX_COMMENT)),
        ],
    )


def line_prefix(line_id: int) -> str:
    return f"line-{line_id}"


class ActionForm(BaseForm):
    """One workflow action. ``version`` is the RMA version the page showed: acting on an
    RMA someone changed since is refused rather than applied to a state nobody saw."""

    trigger = HiddenField()
    version = BoundedIntegerField(
        validators=[InputRequired(_l("Reload the page and try again."))],
        minimum=1,
        message=_l("Reload the page and try again."),
    )
    comment = TextAreaField(
        _l("Comment"),
        filters=[_strip],
        validators=[
            Length(max=MAX_COMMENT, message=_l("At most %(max)s characters.", max=MAX_COMMENT))
        ],
    )
