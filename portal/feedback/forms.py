"""Input boundary of the survey (the retailer's answer) and of the staff summary's filters."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import Field, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from models import FeedbackAnswer, FeedbackTag
from models.feedback import COMMENT_LENGTH, MAX_RATING, MIN_RATING, WENT_BADLY, WENT_WELL
from portal.analytics.period import MAX_MONTHS, MonthRange
from portal.feedback.operations import Response
from portal.feedback.queries import GroupBy
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


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(Field):
    """A month as ``YYYY-MM`` (what ``<input type="month">`` sends)."""

    widget = TextInput(input_type="month")

    def _value(self) -> str:
        if isinstance(self.data, date):
            return f"{self.data.year:04d}-{self.data.month:02d}"
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not valuelist[0]:
            return
        match = MONTH.match(valuelist[0].strip())
        year, month = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        if not (1 <= month <= 12 and 1900 <= year <= 9999):
            raise ValueError(_("Give a month as year and month, e.g. 2026-03."))
        self.data = date(year, month, 1)


class SummaryForm(BaseForm):
    """The summary's period (first and last month) and grouping; read from the query."""

    class Meta:
        csrf = False  # a read-only GET form

    first = MonthField(_l("From month"))
    last = MonthField(_l("To month"))
    group = SelectField(
        _l("Group by"),
        choices=choices(
            [
                (GroupBy.REP.value, _l("Sales rep")),
                (GroupBy.RETURN_TYPE.value, _l("Return type")),
                (GroupBy.MONTH.value, _l("Month")),
            ]
        ),
        default=GroupBy.REP.value,
        validate_choice=False,
        validators=[
            AnyOf(
                [g.value for g in GroupBy],
                message=_l("Group by sales rep, return type or month."),
            )
        ],
    )

    def __init__(self, *args, default_period: MonthRange, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.default_period = default_period
        if not self.first.raw_data:
            self.first.data = default_period.first
        if not self.last.raw_data:
            self.last.data = default_period.last

    def validate_last(self, field: Field) -> None:
        first, last = self.first.data, field.data
        if first is None or last is None:
            return
        if last < first:
            raise ValidationError(_("The last month comes before the first."))
        if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
            raise ValidationError(
                _("A period covers at most %(months)s months.", months=number(MAX_MONTHS))
            )

    def period(self) -> MonthRange:
        """The chosen period; the default one while the form has errors."""
        if self.errors or self.first.data is None or self.last.data is None:
            return self.default_period
        return MonthRange(self.first.data, self.last.data)

    def group_by(self) -> GroupBy:
        value = self.group.data
        return GroupBy(value) if value in {g.value for g in GroupBy} else GroupBy.REP
