from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.validators import Optional

from models import OutboxStatus
from portal.forms import choices
from portal.inputs.numbers import PageField

STATUS_CHOICES = choices((s.value, s.value.capitalize()) for s in OutboxStatus)


class ListForm(FlaskForm):
    class Meta:
        csrf = False  # a read-only GET form

    unread = BooleanField("Unread only")
    page = PageField(validators=[Optional()])


class OutboxFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField("Status", choices=STATUS_CHOICES, default=OutboxStatus.PARKED.value)
    page = PageField(validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A bare POST form: CSRF protection for one-button actions."""
