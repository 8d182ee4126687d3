from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.auth.passwords import MIN_LENGTH
from portal.i18n.choices import LanguageField, TimeZoneField
from portal.inputs.text import BaseForm


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=200)]
    )
    # The same rules as the password an admin sets (portal.admin.forms).
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=200)],
        description=_l("At least %(num)d characters.", num=MIN_LENGTH),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two new passwords differ.")),
        ],
    )


class SignOutEverywhereForm(BaseForm):
    """A bare POST form: CSRF protection for the one button."""


class PreferencesForm(BaseForm):
    """The user's language and time zone; empty follows the account or the distributor."""

    locale = LanguageField(_l("Language"), default_label=_l("The default of my company"))
    time_zone = TimeZoneField(
        _l("Time zone"),
        default_label=_l("The default of my company"),
        description=_l("Dates and times are shown in this zone."),
    )
    # Shown to reps and admins only (the digest's recipients); ignored for anyone else.
    weekly_digest = BooleanField(
        _l("Send me the weekly digest"),
        description=_l("What waits on your decision and the risk signals of your accounts."),
    )


class SwitchLanguageForm(BaseForm):
    """A bare POST form: CSRF protection for the language switch's buttons."""
