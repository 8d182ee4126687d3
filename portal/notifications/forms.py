from __future__ import annotations

from wtforms import BooleanField, SelectField
from wtforms.validators import Optional

from models import OutboxStatus
from portal.forms import choices
from portal.inputs.numbers import PageField
from portal.inputs.text import BaseForm

STATUS_CHOICES = choices((s.value, s.value.capitalize()) for s in OutboxStatus)


class ListForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    unread = BooleanField("Unread only")
    page = PageField(validators=[Optional()])


class OutboxFilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField("Status", choices=STATUS_CHOICES, default=OutboxStatus.PARKED.value)
    page = PageField(validators=[Optional()])


class ConfirmForm(BaseForm):
    """A bare POST form: CSRF protection for one-button actions."""
