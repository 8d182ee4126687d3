"""Input boundary of the RMA page: messages and workflow actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

MAX_MESSAGE = 4000
MAX_COMMENT = 2000


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class MessageForm(FlaskForm):
    body = TextAreaField(
        "Message",
        filters=[_strip],
        validators=[
            DataRequired("Write a message before sending it."),
            Length(
                max=MAX_MESSAGE,
                message=f"A message can be at most {MAX_MESSAGE:,} characters long.",
            ),
        ],
    )


class ActionForm(FlaskForm):
    """One workflow action. ``version`` is the RMA version the page showed: acting on an
    RMA someone changed since is refused rather than applied to a state nobody saw."""

    trigger = HiddenField(
        validators=[DataRequired(), Regexp(r"^[a-z][a-z0-9_]{0,63}$", message="Unknown action.")]
    )
    version = IntegerField(
        validators=[InputRequired("Reload the page and try again."), NumberRange(min=1)]
    )
    comment = TextAreaField(
        "Comment",
        filters=[_strip],
        validators=[
            Length(
                max=MAX_COMMENT,
                message=f"A comment can be at most {MAX_COMMENT:,} characters long.",
            )
        ],
    )
