"""Input boundary of the RMA page: messages and workflow actions."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Regexp

from portal.forms import choices
from portal.i18n.formats import number
from portal.inputs.numbers import BoundedIntegerField
from portal.inputs.text import BaseForm
from portal.rmas.labels import LabelFormat
from workflow_designer.engine.errors import Refusal

MAX_MESSAGE = 4000
MAX_COMMENT = 2000


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class MessageForm(BaseForm):
    body = TextAreaField(
        _l("Message"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Write a message before sending it.")),
            Length(
                max=MAX_MESSAGE,
                message=LazyString(
                    lambda: _(
                        "A message can be at most %(max)s characters long.",
                        max=number(MAX_MESSAGE),
                    )
                ),
            ),
        ],
    )


class ActionForm(BaseForm):
    """One workflow action. ``version`` is the RMA version the page showed: acting on an
    RMA someone changed since is refused rather than applied to a state nobody saw."""

    trigger = HiddenField(
        validators=[
            DataRequired(),
            Regexp(r"^[a-z][a-z0-9_]{0,63}$", message=_l("Unknown action.")),
        ]
    )
    version = BoundedIntegerField(
        validators=[InputRequired(_l("Reload the page and try again."))],
        minimum=1,
        message=_l("Reload the page and try again."),
    )
    comment = TextAreaField(
        _l("Comment"),
        filters=[_strip],
        validators=[
            Length(
                max=MAX_COMMENT,
                message=LazyString(
                    lambda: _(
                        "A comment can be at most %(max)s characters long.",
                        max=number(MAX_COMMENT),
                    )
                ),
            )
        ],
    )


class LabelFormatForm(BaseForm):
    """Which label to print: ``?format=a4`` (the default) or ``?format=4x6``."""

    class Meta:
        csrf = False  # a download: it changes nothing

    format = SelectField(
        _l("Label format"),
        choices=choices((item.value, item.label) for item in LabelFormat),
        default=LabelFormat.A4.value,
        validate_choice=False,
        validators=[
            AnyOf(
                [item.value for item in LabelFormat],
                message=_l("Unknown label format: choose a4 (A4 sheet) or 4x6 (4×6 in label)."),
            )
        ],
    )


class UnknownLabelFormat(Refusal):
    status = 400


def label_format(args: MultiDict[str, str]) -> LabelFormat:
    """The label format the query string asks for; an unknown one is refused (400)."""
    form = LabelFormatForm(args)
    if not form.validate():
        raise UnknownLabelFormat(" ".join(str(e) for e in form.format.errors))
    return LabelFormat(form.format.data)
