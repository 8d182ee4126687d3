"""The API tokens page's forms: a new token (name, scopes, expiry), a new integration
token (and, for admins, whose: the distributor's or an account's), a revocation."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from models import RetailerAccount, Role, TokenKind
from models.api_token import TOKEN_NAME_LENGTH
from portal.api.scopes import integration_scopes_for, scopes_for
from portal.forms import choices
from portal.inputs.text import BaseForm


class ScopesField(SelectMultipleField):
    """The scopes as checkboxes; only those offered are accepted."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: BaseForm) -> None:
        known = {choice.value for choice in self.choices or ()}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_("Choose only from the scopes listed."))


class NewTokenForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=TOKEN_NAME_LENGTH)],
        description=_l("What the token is for, e.g. the ERP that uses it."),
    )
    scopes = ScopesField(
        _l("Scopes"),
        validators=[DataRequired(message=_l("Choose at least one scope."))],
        description=_l("What the token may do; it never sees more than you do."),
    )
    expires = SelectField(
        _l("Expires"),
        choices=choices(
            [
                ("30", _l("In 30 days")),
                ("90", _l("In 90 days")),
                ("365", _l("In a year")),
                ("", _l("Never")),
            ]
        ),
        default="90",
    )

    def __init__(self, role: Role, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.scopes.choices = choices((scope.value, scope.value) for scope in scopes_for(role))

    @property
    def expires_in_days(self) -> int | None:
        return int(self.expires.data) if self.expires.data else None


class NewIntegrationTokenForm(BaseForm):
    """An integration token: an admin's of the distributor or of the account they name, a
    retailer user's of their own account."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=TOKEN_NAME_LENGTH)],
        description=_l("The system that uses it, e.g. the shop or the ERP."),
    )
    account = StringField(
        _l("Retailer account number"),
        validators=[Optional(), Length(max=32)],
        description=_l(
            "Leave empty for a distributor token, which sees what an admin sees; with an "
            "account number it sees what that account's users see."
        ),
    )
    scopes = ScopesField(
        _l("Scopes"), validators=[DataRequired(message=_l("Choose at least one scope."))]
    )
    expires = NewTokenForm.expires

    def __init__(
        self,
        role: Role,
        find_account: Callable[[str], RetailerAccount | None],
        **kwargs: object,
    ) -> None:
        super().__init__(prefix="integration", **kwargs)
        self.role, self.find_account = role, find_account
        self.chosen_account: RetailerAccount | None = None
        widest = TokenKind.ACCOUNT if role is Role.RETAILER else TokenKind.DISTRIBUTOR
        self.scopes.choices = choices(
            (scope.value, scope.value) for scope in integration_scopes_for(widest)
        )
        if role is Role.RETAILER:
            del self.account  # always their own account

    @property
    def kind(self) -> TokenKind:
        """A retailer's are their account's; an admin's, the distributor's unless an
        account is named."""
        if self.role is Role.RETAILER or self.chosen_account is not None:
            return TokenKind.ACCOUNT
        return TokenKind.DISTRIBUTOR

    @property
    def expires_in_days(self) -> int | None:
        return int(self.expires.data) if self.expires.data else None

    def validate_account(self, field: StringField) -> None:
        number = (field.data or "").strip()
        if number:
            found = self.find_account(number)
            if found is None:
                raise ValidationError(_("No retailer account has this number."))
            self.chosen_account = found

    def validate(self, extra_validators: object = None) -> bool:
        if not super().validate(extra_validators):
            return False
        allowed = {scope.value for scope in integration_scopes_for(self.kind)}
        refused = [scope for scope in self.scopes.data or () if scope not in allowed]
        if refused:
            self.scopes.errors = [
                _("Only a distributor token may hold %(scopes)s.", scopes=", ".join(refused))
            ]
            return False
        return True


class RevokeTokenForm(BaseForm):
    """A bare POST form: CSRF protection for the button."""
