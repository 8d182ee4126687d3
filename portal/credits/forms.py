"""The credit area's input: ledger filters, refunds, reversals."""

from __future__ import annotations

from datetime import date

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from models import CreditMemo, Refund, RefundMethod
from models.ledger import MEMO_KIND_LABELS
from portal.credits.documents import Payout
from portal.forms import choices
from portal.inputs.numbers import FiniteDecimalField
from portal.inputs.text import BaseForm, column_length

KIND_LABELS = {**MEMO_KIND_LABELS, "refund": "Refund"}
# Dates a ledger or a payout can sensibly name (and whose next day still exists).
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


def sensible_date(form, field) -> None:
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(f"Give a date between {EARLIEST} and {LATEST}.")


def positive_amount(form, field) -> None:
    value = field.data
    if value is not None and (not value.is_finite() or value <= 0):
        raise ValidationError("The amount must be a number more than zero.")
    if value is not None and value >= 10**9:
        raise ValidationError("The amount is too large.")


class LedgerFilterForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    kind = SelectField(
        "Kind", choices=choices([("", "All kinds"), *KIND_LABELS.items()]), default=""
    )
    date_from = DateField("From", validators=[Optional(), sensible_date])
    date_to = DateField("To", validators=[Optional(), sensible_date])
    q = StringField("RMA or document number", validators=[Optional(), Length(max=40)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start, end = self.date_from.data, self.date_to.data
        if valid and start and end and start > end:
            self.date_to.errors.append("The end date is before the start date.")
            valid = False
        return valid


class RefundForm(BaseForm):
    method = SelectField("Method", choices=choices((m.value, m.label) for m in RefundMethod))
    reference = StringField(
        "Payment reference",
        validators=[
            DataRequired("Give the payment's reference."),
            Length(max=column_length(Refund.reference)),
        ],
        description="The bank transfer's or card refund's reference, as on the statement.",
    )
    paid_on = DateField(
        "Paid on", validators=[DataRequired("Give the date it was paid."), sensible_date]
    )
    amount = FiniteDecimalField(
        "Amount",
        minimum=None,
        maximum=None,
        message=(
            "Give an amount more than zero with at most 2 decimals; "
            "1,000,000,000 or more is too large."
        ),
        validators=[Optional(), positive_amount],
        description="Leave empty to refund everything still unpaid.",
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
        "Reason",
        validators=[
            DataRequired("Give a reason: it is printed on the document."),
            Length(max=column_length(CreditMemo.reason)),
        ],
    )
