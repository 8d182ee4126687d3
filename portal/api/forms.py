"""The API tokens page's forms: a new token (name, scopes, expiry), a revocation."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from models import Role
from models.api_token import TOKEN_NAME_LENGTH
from portal.api.scopes import scopes_for
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


class RevokeTokenForm(BaseForm):
    """A bare POST form: CSRF protection for the button."""
