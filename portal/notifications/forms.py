from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField
from wtforms.validators import Optional

from models import OutboxStatus
from portal.forms import choices
from portal.inputs.numbers import PageField
from portal.inputs.text import BaseForm

# Each status as people read it, and what an empty list of it says.
STATUS_LABELS = {
    OutboxStatus.PENDING.value: _l("Pending"),
    OutboxStatus.SENT.value: _l("Sent"),
    OutboxStatus.PARKED.value: _l("Parked"),
}
EMPTY_LABELS = {
    OutboxStatus.PENDING.value: _l("No pending e-mails."),
    OutboxStatus.SENT.value: _l("No sent e-mails."),
    OutboxStatus.PARKED.value: _l("No parked e-mails."),
}
STATUS_CHOICES = choices((s.value, STATUS_LABELS[s.value]) for s in OutboxStatus)


class ListForm(BaseForm):
    class Meta:
        csrf = False  # a read-only GET form

    unread = BooleanField(_l("Unread only"))
    page = PageField(validators=[Optional()])


class OutboxFilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=STATUS_CHOICES, default=OutboxStatus.PARKED.value)
    page = PageField(validators=[Optional()])


class ConfirmForm(BaseForm):
    """A bare POST form: CSRF protection for one-button actions."""
