"""Forms of the admin's settings: the distributor's profile and an account's tax details."""

from __future__ import annotations

from decimal import Decimal

from wtforms import DecimalField, EmailField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from portal.inputs.text import BaseForm

COUNTRY = Regexp(r"^[A-Z]{2}$", message="Two capital letters, e.g. DE.")


def _text(length: int) -> list:
    return [DataRequired(), Length(max=length)]


class DistributorForm(BaseForm):
    legal_name = StringField("Legal name", validators=_text(200))
    street = StringField("Street and number", validators=_text(200))
    postal_code = StringField("Postal code", validators=_text(20))
    city = StringField("City", validators=_text(100))
    country = StringField("Country", validators=[DataRequired(), COUNTRY])
    vat_number = StringField("VAT number", validators=_text(32))
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])


def tax_rate(form, field) -> None:
    value = field.data
    if value is None:
        return
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise ValidationError("A rate from 0 to 100.")
    if value != round(value, 2):
        raise ValidationError("At most two decimals.")


class AccountTaxForm(BaseForm):
    vat_number = StringField(
        "VAT number",
        validators=[Optional(), Length(max=32)],
        description="Printed on the account's credit memos.",
    )
    tax_rate_percent = DecimalField(
        "VAT rate (%)",
        places=None,
        validators=[InputRequired("Give a rate from 0 to 100."), tax_rate],
        description=(
            "Credit memos issued from now on are taxed at this rate; "
            "0 for reverse charge or export."
        ),
    )
