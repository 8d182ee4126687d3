from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.auth.passwords import MIN_LENGTH
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
