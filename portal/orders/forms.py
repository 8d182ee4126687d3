from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SearchField, SelectField
from wtforms.validators import Optional, ValidationError

from models import Lifecycle
from portal.forms import choices
from portal.inputs.numbers import PageField
from portal.inputs.text import BaseForm
from portal.orders.queries import OrderHistoryFilter

# A product's lifecycle as people read it, as a choice and as a tag in the results.
LIFECYCLES = {lifecycle: lifecycle.lazy_label for lifecycle in Lifecycle}


class OrderHistoryFilterForm(BaseForm):
    """Query-string filters of the order history; bad values are reported, not ignored."""

    class Meta:
        csrf = False  # a read-only GET form

    q = SearchField(
        _l("Search"), validators=[Optional()], description=_l("SKU, brand, model or invoice")
    )
    brand = SelectField(
        _l("Brand"), default="", choices=choices([("", _l("All brands"))]), validate_choice=False
    )
    lifecycle = SelectField(
        _l("Lifecycle"),
        default="",
        choices=choices(
            [("", _l("Any lifecycle"))] + [(m.value, LIFECYCLES[m]) for m in Lifecycle]
        ),
    )
    invoiced_from = DateField(_l("Invoiced from"), validators=[Optional()])
    invoiced_to = DateField(_l("Invoiced to"), validators=[Optional()])
    page = PageField(validators=[Optional()])

    def validate_invoiced_to(self, field) -> None:
        start = self.invoiced_from.data
        if field.data and start and field.data < start:
            raise ValidationError(_("The end date is before the start date."))

    def to_filter(self) -> OrderHistoryFilter:
        if self.errors:
            return OrderHistoryFilter(text="" if self.q.errors else (self.q.data or "")[:100])
        return OrderHistoryFilter(
            text=(self.q.data or "")[:100],
            brand=self.brand.data or "",
            lifecycle=Lifecycle(self.lifecycle.data) if self.lifecycle.data else None,
            invoiced_from=self.invoiced_from.data,
            invoiced_to=self.invoiced_to.data,
        )

    @property
    def page_number(self) -> int:
        return self.page.data if not self.page.errors and self.page.data else 1
