"""Forms of the admin's RMA screens: the list's filters, resolution, replacement orders."""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SearchField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from models import ReplacementOrderStatus, Rma
from portal.admin.rma_queries import SORTS, RmaFilter
from portal.forms import choices
from portal.fulfilment.queries import OrderFilter
from portal.inputs.numbers import (
    BoundedIntegerField,
    FiniteDecimalField,
    PageField,
    id_or_blank,
    parse_id,
)
from portal.inputs.text import BaseForm
from workflow_designer.engine.resolutions import resolution_label

SORT_LABELS = {
    "submitted_desc": _l("Newest submitted first"),
    "submitted_asc": _l("Oldest submitted first"),
    "value_desc": _l("Highest value first"),
    "value_asc": _l("Lowest value first"),
}
MAX_AGE_DAYS = 36_500
VALUE_MESSAGE = _l("Enter an amount from 0 to 9,999,999,999.99. At most two decimals.")


def _id(field) -> int | None:
    return None if field.errors else parse_id(field.data)


class RmaFilterForm(BaseForm):
    """Query-string filters of the RMA list and its CSV exports; bad values are reported.

    The select fields do not check their choices: the options are only loaded for the full
    page, and an id that matches nothing simply finds no RMA.
    """

    class Meta:
        csrf = False  # a read-only GET form

    state = SelectField(_l("State"), default="", validate_choice=False)
    return_type = SelectField(
        _l("Return type"), default="", validate_choice=False, validators=[id_or_blank()]
    )
    account = SearchField(
        _l("Account"), validators=[Optional(), Length(max=100)], description=_l("Number or name")
    )
    sales_rep = SelectField(
        _l("Sales rep"), default="", validate_choice=False, validators=[id_or_blank()]
    )
    older_than = BoundedIntegerField(
        _l("Submitted over … days ago"),
        validators=[Optional()],
        maximum=MAX_AGE_DAYS,
        message=_l("Enter a number of days from 0 to 36500."),
    )
    min_value = FiniteDecimalField(_l("Value from"), validators=[Optional()], message=VALUE_MESSAGE)
    max_value = FiniteDecimalField(_l("Value to"), validators=[Optional()], message=VALUE_MESSAGE)
    sort = SelectField(_l("Sort"), default="submitted_desc", choices=choices(SORT_LABELS.items()))
    page = PageField(validators=[Optional()])

    def set_options(
        self,
        states: Iterable[tuple[str, str]],
        return_types: Iterable[tuple[int, str]],
        reps: Iterable[tuple[int, str]],
    ) -> None:
        self.state.choices = choices([("", _("Any state")), *states])
        self.return_type.choices = choices(
            [("", _("Any return type")), *((str(i), n) for i, n in return_types)]
        )
        self.sales_rep.choices = choices(
            [("", _("Any sales rep")), *((str(i), n) for i, n in reps)]
        )

    def validate_max_value(self, field) -> None:
        low = self.min_value.data
        if field.data is not None and low is not None and field.data < low:
            raise ValidationError(_("The maximum is below the minimum."))

    def to_filter(self) -> RmaFilter:
        """The filters that were understood; a field with an error filters nothing."""

        def ok(field):
            return None if field.errors else field.data

        return RmaFilter(
            state=(ok(self.state) or "")[:64],
            return_type_id=_id(self.return_type),
            account=ok(self.account) or "",
            sales_rep_id=_id(self.sales_rep),
            older_than_days=ok(self.older_than),
            min_value=ok(self.min_value),
            max_value=ok(self.max_value),
            sort=self.sort.data if self.sort.data in SORTS and not self.sort.errors else "",
        )

    @property
    def page_number(self) -> int:
        return self.page.data if not self.page.errors and self.page.data else 1


class ResolveForm(BaseForm):
    """Choose one of the resolutions the RMA's workflow can carry out."""

    # The choice is checked by resolve_rma, whose message names what can be chosen; it also
    # requires the comment when the choice is not what the retailer asked for.
    resolution = RadioField(
        _l("Resolution"),
        validate_choice=False,
        validators=[DataRequired(_l("Choose a resolution."))],
    )
    comment = TextAreaField(
        _l("Comment (kept in the RMA's history)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Required when you choose another resolution than the retailer asked for."),
    )

    def __init__(self, offered: Iterable[tuple[str, str]], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.resolution.choices = choices(offered)


def resolve_form(rma: Rma, executable: list[str]) -> ResolveForm:
    """The resolution form of ``rma``, first showing what the retailer asked for."""
    form = ResolveForm([(r, resolution_label(r)) for r in executable])
    if request.method == "GET" and rma.requested_resolution in executable:
        form.resolution.data = rma.requested_resolution
    return form


class ReplacementOrderFilterForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    status = SelectField(
        _l("Status"),
        default=ReplacementOrderStatus.TO_FULFIL.value,
        choices=choices(
            [(s.value, s.lazy_label) for s in ReplacementOrderStatus] + [("any", _l("Any status"))]
        ),
    )
    account = SearchField(
        _l("Account"), validators=[Optional(), Length(max=100)], description=_l("Number or name")
    )
    page = PageField(validators=[Optional()])

    def to_filter(self) -> OrderFilter:
        status = None
        if not self.status.errors and self.status.data != "any":
            status = ReplacementOrderStatus(self.status.data or "to_fulfil")
        account = "" if self.account.errors else self.account.data or ""
        return OrderFilter(status=status, account=account)

    @property
    def page_number(self) -> int:
        return self.page.data if not self.page.errors and self.page.data else 1
