"""The credit area's input: ledger filters, refunds, reversals."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from models import CreditMemo, Refund, RefundMethod
from portal.credits.documents import Payout
from portal.credits.queries import LEDGER_KIND_LABELS
from portal.forms import choices
from portal.inputs.numbers import FiniteDecimalField
from portal.inputs.text import BaseForm, column_length

KIND_LABELS = {kind: label for kind, label in LEDGER_KIND_LABELS.items() if kind != "entry"}
METHOD_LABELS = {
    RefundMethod.BANK_TRANSFER: _l("Bank transfer"),
    RefundMethod.CARD: _l("Card refund"),
    RefundMethod.CHEQUE: _l("Cheque"),
    RefundMethod.CASH: _l("Cash"),
}
# Dates a ledger or a payout can sensibly name (and whose next day still exists).
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


def sensible_date(form, field) -> None:
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s.", earliest=EARLIEST, latest=LATEST)
        )


def positive_amount(form, field) -> None:
    value = field.data
    if value is not None and (not value.is_finite() or value <= 0):
        raise ValidationError(_("The amount must be a number more than zero."))
    if value is not None and value >= 10**9:
        raise ValidationError(_("The amount is too large."))


class LedgerFilterForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    kind = SelectField(
        _l("Kind"), choices=choices([("", _l("All kinds")), *KIND_LABELS.items()]), default=""
    )
    date_from = DateField(_l("From"), validators=[Optional(), sensible_date])
    date_to = DateField(_l("To"), validators=[Optional(), sensible_date])
    q = StringField(_l("RMA or document number"), validators=[Optional(), Length(max=40)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start, end = self.date_from.data, self.date_to.data
        if valid and start and end and start > end:
            self.date_to.errors.append(_("The end date is before the start date."))
            valid = False
        return valid


class RefundForm(BaseForm):
    method = SelectField(
        _l("Method"), choices=choices((m.value, METHOD_LABELS[m]) for m in RefundMethod)
    )
    reference = StringField(
        _l("Payment reference"),
        validators=[
            DataRequired(_l("Give the payment's reference.")),
            Length(max=column_length(Refund.reference)),
        ],
        description=_l("The bank transfer's or card refund's reference, as on the statement."),
    )
    paid_on = DateField(
        _l("Paid on"), validators=[DataRequired(_l("Give the date it was paid.")), sensible_date]
    )
    amount = FiniteDecimalField(
        _l("Amount"),
        minimum=None,
        maximum=None,
        message=_l(
            "Give an amount more than zero with at most 2 decimals; "
            "1,000,000,000 or more is too large."
        ),
        validators=[Optional(), positive_amount],
        description=_l("Leave empty to refund everything still unpaid."),
    )

    def payout(self) -> Payout:
        return Payout(
            method=RefundMethod(self.method.data),
            reference=self.reference.data,
            paid_on=self.paid_on.data,
            amount=self.amount.data,
        )


class ReasonForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Give a reason: it is printed on the document.")),
            Length(max=column_length(CreditMemo.reason)),
        ],
    )
