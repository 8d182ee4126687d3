from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from portal.inputs.text import BaseForm


class LoginForm(BaseForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
