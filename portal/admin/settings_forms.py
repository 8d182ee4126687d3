"""Forms of the admin's settings: the distributor's profile and defaults, an account's tax
details and language."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from models import DistributorProfile, RetailerAccount
from portal.i18n.choices import LanguageField, TimeZoneField
from portal.inputs.numbers import FiniteDecimalField
from portal.inputs.text import BaseForm, column_length

COUNTRY = Regexp(r"^[A-Z]{2}$", message=_l("Two capital letters, e.g. DE."))


def _text(column) -> list:
    return [DataRequired(), Length(max=column_length(column))]


class DistributorForm(BaseForm):
    legal_name = StringField(_l("Legal name"), validators=_text(DistributorProfile.legal_name))
    street = StringField(_l("Street and number"), validators=_text(DistributorProfile.street))
    postal_code = StringField(_l("Postal code"), validators=_text(DistributorProfile.postal_code))
    city = StringField(_l("City"), validators=_text(DistributorProfile.city))
    country = StringField(_l("Country"), validators=[DataRequired(), COUNTRY])
    vat_number = StringField(_l("VAT number"), validators=_text(DistributorProfile.vat_number))
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(), Length(max=column_length(DistributorProfile.email))],
    )
    locale = LanguageField(
        _l("Language of staff"),
        default_label=_l("Each browser's language"),
        description=_l("For staff who chose none; without it, each browser's language."),
    )
    time_zone = TimeZoneField(
        _l("Time zone of staff"),
        default_label="UTC",
        description=_l("For staff who chose none, and for retailers; without it, UTC."),
    )


class AccountLanguageForm(BaseForm):
    locale = LanguageField(
        _l("Language of the account's users"),
        default_label=_l("Each browser's language"),
        description=_l("For its users who chose none; without it, each browser's language."),
    )


def tax_rate(form, field) -> None:
    value = field.data
    if value is None:
        return
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise ValidationError(_("A rate from 0 to 100."))
    if value != round(value, 2):
        raise ValidationError(_("At most two decimals."))


class AccountTaxForm(BaseForm):
    vat_number = StringField(
        _l("VAT number"),
        validators=[Optional(), Length(max=column_length(RetailerAccount.vat_number))],
        description=_l("Printed on the account's credit memos."),
    )
    tax_rate_percent = FiniteDecimalField(
        _l("VAT rate (%)"),
        minimum=None,
        maximum=None,
        message=_l("A rate from 0 to 100. At most two decimals."),
        validators=[InputRequired(_l("Give a rate from 0 to 100.")), tax_rate],
        description=_l(
            "Credit memos issued from now on are taxed at this rate; "
            "0 for reverse charge or export."
        ),
    )
