from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, PasswordField, SearchField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from models import RetailerAccount, Role, User
from portal.auth.passwords import MIN_LENGTH
from portal.erp.importing import KINDS
from portal.forms import choices
from portal.inputs.numbers import PageField
from portal.inputs.text import BaseForm, column_length

ROLE_CHOICES = choices((r.value, r.label) for r in Role)


class SearchForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    q = SearchField("Search", validators=[Optional(), Length(max=100)])
    page = PageField(validators=[Optional()])


class NewPasswordMixin:
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=200)],
        description=f"At least {MIN_LENGTH} characters. Give it to the user in person.",
    )


class UserCreateForm(NewPasswordMixin, BaseForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=column_length(User.name))])
    email = EmailField(
        "E-mail", validators=[DataRequired(), Email(), Length(max=column_length(User.email))]
    )
    role = SelectField("Role", choices=ROLE_CHOICES)
    account_number = StringField(
        "Retailer account number",
        validators=[Optional(), Length(max=column_length(RetailerAccount.number))],
        description="Required for retailer users; leave empty for staff.",
    )

    def validate(self, extra_validators=None) -> bool:
        # Checked at form level: Optional() would stop a field validator on an empty value.
        valid = super().validate(extra_validators)
        is_retailer = self.role.data == Role.RETAILER.value
        if is_retailer and not self.account_number.data:
            self.account_number.errors.append("A retailer user needs the number of their account.")
            valid = False
        elif not is_retailer and self.account_number.data:
            self.account_number.errors.append("Only retailer users belong to an account.")
            valid = False
        return valid


class PasswordResetForm(NewPasswordMixin, BaseForm):
    pass


class ConfirmForm(BaseForm):
    """A bare POST form: CSRF protection for one-button actions."""


class ImportForm(BaseForm):
    kind = SelectField("What the file holds", choices=choices((k, k.capitalize()) for k in KINDS))
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to import.")])


def _strip(value: str | None) -> str:
    return value.strip() if isinstance(value, str) else ""


class AccountAddressForm(BaseForm):
    """The account's street address: the sender block of its return labels."""

    street = StringField(
        "Street and number",
        filters=[_strip],
        validators=[Length(max=column_length(RetailerAccount.street))],
        description="As on a parcel, e.g. Friedrichstraße 123 or 12 rue de la République.",
    )
    postal_code = StringField(
        "Postal code",
        filters=[_strip],
        validators=[Length(max=column_length(RetailerAccount.postal_code))],
    )
    city = StringField(
        "City",
        filters=[_strip],
        validators=[Length(max=column_length(RetailerAccount.city))],
    )
