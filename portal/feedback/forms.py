"""Input boundary of the survey: the retailer's answer."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from models import FeedbackAnswer, FeedbackTag
from models.feedback import COMMENT_LENGTH, MAX_RATING, MIN_RATING, WENT_BADLY, WENT_WELL
from portal.feedback.operations import Response
from portal.forms import choices
from portal.i18n.formats import number
from portal.inputs.text import BaseForm

RATINGS = range(MIN_RATING, MAX_RATING + 1)
RATING_MESSAGE = _l("Choose a rating from 1 (very poor) to 5 (excellent).")
RATING_WORDS = {
    1: _l("Very poor"),
    2: _l("Poor"),
    3: _l("OK"),
    4: _l("Good"),
    5: _l("Excellent"),
}


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: BaseForm) -> None:
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_("Choose only from the tags listed."))


def _tag_choices(tags: tuple[FeedbackTag, ...]) -> list[SelectChoice]:
    return choices((tag.value, tag.lazy_label) for tag in tags)


class FeedbackForm(BaseForm):
    """A rating of 1 to 5, what went well and what went badly, and a comment."""

    rating = RadioField(
        _l("Your rating"),
        choices=choices((str(n), RATING_WORDS[n]) for n in RATINGS),
        # Checked here, so that "6" or "abc" reads the same as no rating at all.
        validate_choice=False,
        validators=[
            InputRequired(RATING_MESSAGE),
            AnyOf([str(n) for n in RATINGS], message=RATING_MESSAGE),
        ],
    )
    went_well = CheckboxesField(_l("What went well"), choices=_tag_choices(WENT_WELL))
    went_badly = CheckboxesField(_l("What went badly"), choices=_tag_choices(WENT_BADLY))
    comment = TextAreaField(
        _l("Comment (optional)"),
        filters=[_strip],
        validators=[
            Length(
                max=COMMENT_LENGTH,
                message=LazyString(
                    lambda: _(
                        "A comment can be at most %(max)s characters long.",
                        max=number(COMMENT_LENGTH),
                    )
                ),
            )
        ],
    )

    @classmethod
    def for_answer(cls, answer: FeedbackAnswer | None) -> FeedbackForm:
        """The form as posted, or on a first GET the answer given so far."""
        form = cls()
        if answer is not None and not form.is_submitted():
            form.rating.data = str(answer.rating)
            form.went_well.data = [t.value for t in answer.tags if t.went_well]
            form.went_badly.data = [t.value for t in answer.tags if not t.went_well]
            form.comment.data = answer.comment
        return form

    def response(self) -> Response:
        tags = [*(self.went_well.data or []), *(self.went_badly.data or [])]
        return Response(
            rating=int(self.rating.data),
            tags=frozenset(FeedbackTag(tag) for tag in tags),
            comment=self.comment.data or "",
        )
