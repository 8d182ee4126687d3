from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, PasswordField, SearchField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from models import RetailerAccount, Role, User
from portal.auth.passwords import MIN_LENGTH
from portal.erp.importing import KINDS
from portal.erp.results import KIND_LABELS
from portal.forms import choices
from portal.inputs.numbers import PageField
from portal.inputs.text import BaseForm, column_length

ROLE_CHOICES = choices((r.value, r.lazy_label) for r in Role)


class SearchForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    page = PageField(validators=[Optional()])


class NewPasswordMixin:
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=200)],
        description=_l(
            "At least %(min)s characters. Give it to the user in person.", min=MIN_LENGTH
        ),
    )


class UserCreateForm(NewPasswordMixin, BaseForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=column_length(User.name))]
    )
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Email(), Length(max=column_length(User.email))]
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    account_number = StringField(
        _l("Retailer account number"),
        validators=[Optional(), Length(max=column_length(RetailerAccount.number))],
        description=_l("Required for retailer users; leave empty for staff."),
    )

    def validate(self, extra_validators=None) -> bool:
        # Checked at form level: Optional() would stop a field validator on an empty value.
        valid = super().validate(extra_validators)
        is_retailer = self.role.data == Role.RETAILER.value
        if is_retailer and not self.account_number.data:
            self.account_number.errors.append(
                _("A retailer user needs the number of their account.")
            )
            valid = False
        elif not is_retailer and self.account_number.data:
            self.account_number.errors.append(_("Only retailer users belong to an account."))
            valid = False
        return valid


class PasswordResetForm(NewPasswordMixin, BaseForm):
    pass


class ConfirmForm(BaseForm):
    """A bare POST form: CSRF protection for one-button actions."""


class ImportForm(BaseForm):
    kind = SelectField(
        _l("What the file holds"), choices=choices((k, KIND_LABELS[k]) for k in KINDS)
    )
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file to import."))])


def _strip(value: str | None) -> str:
    return value.strip() if isinstance(value, str) else ""


class AccountAddressForm(BaseForm):
    """The account's street address: the sender block of its return labels."""

    street = StringField(
        _l("Street and number"),
        filters=[_strip],
        validators=[Length(max=column_length(RetailerAccount.street))],
        description=_l("As on a parcel, e.g. Friedrichstraße 123 or 12 rue de la République."),
    )
    postal_code = StringField(
        _l("Postal code"),
        filters=[_strip],
        validators=[Length(max=column_length(RetailerAccount.postal_code))],
    )
    city = StringField(
        _l("City"),
        filters=[_strip],
        validators=[Length(max=column_length(RetailerAccount.city))],
    )
