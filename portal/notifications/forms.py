from __future__ import annotations

from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from models import OutboxStatus
from portal.forms import choices
from portal.inputs.text import BaseForm

STATUS_CHOICES = choices((s.value, s.value.capitalize()) for s in OutboxStatus)


class ListForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    unread = BooleanField("Unread only")
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1)])


class OutboxFilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField("Status", choices=STATUS_CHOICES, default=OutboxStatus.PARKED.value)
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1)])


class ConfirmForm(BaseForm):
    """A bare POST form: CSRF protection for one-button actions."""
