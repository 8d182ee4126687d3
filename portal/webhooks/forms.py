"""The webhooks pages' forms: a new subscription (URL, events), and confirmations."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from models import WebhookEvent
from models.webhook import URL_LENGTH
from portal.forms import choices
from portal.inputs.text import BaseForm
from portal.webhooks.operations import url_refusal


class EventsField(SelectMultipleField):
    """The events as checkboxes; only those offered are accepted."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: BaseForm) -> None:
        known = {kind.value for kind in WebhookEvent}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_("Choose only from the events listed."))


class SubscriptionForm(BaseForm):
    url = StringField(
        _l("URL"),
        validators=[DataRequired(), Length(max=URL_LENGTH)],
        description=_l("Where Rotaflow POSTs each event, e.g. https://erp.example.com/hooks."),
    )
    events = EventsField(
        _l("Events"),
        validators=[DataRequired(message=_l("Choose at least one event."))],
        choices=choices((kind.value, kind.value) for kind in WebhookEvent),
    )

    def __init__(self, allow_http: bool, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.allow_http = allow_http

    def validate_url(self, field: StringField) -> None:
        refusal = url_refusal(field.data or "", self.allow_http)
        if refusal:
            raise ValidationError(refusal)


class ConfirmForm(BaseForm):
    """A POST button: only the CSRF token."""


STATE_LABELS = {
    "pending": _l("waiting"),
    "delivered": _l("delivered"),
    "parked": _l("parked"),
}
