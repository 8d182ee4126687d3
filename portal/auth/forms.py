from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from portal.auth.passwords import MIN_LENGTH
from portal.i18n import LANGUAGES
from portal.i18n.zones import zone_choices
from portal.inputs.text import BaseForm


class LoginForm(BaseForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=200)]
    )
    # The same rules as the password an admin sets (portal.admin.forms).
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=200)],
        description=f"At least {MIN_LENGTH} characters.",
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("password", message="The two new passwords differ.")],
    )


class SignOutEverywhereForm(BaseForm):
    """A bare POST form: CSRF protection for the one button."""


class PreferencesForm(BaseForm):
    """The user's language and time zone; empty follows the account or the distributor."""

    locale = SelectField(
        _l("Language"),
        # Each language named in itself, and marked so that screen readers say it so.
        choices=[
            SelectChoice("", _l("The default of my company")),
            *(SelectChoice(code, name, {"lang": code}) for code, name in LANGUAGES.items()),
        ],
        validate_choice=True,
    )
    time_zone = SelectField(
        _l("Time zone"),
        description=_l("Dates and times are shown in this zone."),
        validate_choice=True,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        zones = zone_choices(str(get_locale()))
        self.time_zone.choices = [
            SelectChoice("", gettext("The default of my company")),
            *(SelectChoice(zone, label) for zone, label in zones),
        ]


class SwitchLanguageForm(BaseForm):
    """A bare POST form: CSRF protection for the language switch's buttons."""
