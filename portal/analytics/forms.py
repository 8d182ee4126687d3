"""The analytics pages' input: the period (whole months) and the filters.

One read-only GET form for every analytics page, so a link carries the same period and
filters from one view to the next, and a CSV export reads exactly what its page read.
Choices (regions, brands, return types) are the ones the user may see; an account is
named by its number and must be one of theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import MonthField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from portal.analytics.period import MAX_MONTHS, MonthRange, add_months, month_start
from portal.forms import choices
from portal.inputs.text import BaseForm

# Months a page can sensibly be asked about.
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 1)
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Filters:
    """What a page shows: a period, and optionally one account, region, brand, return type."""

    period: MonthRange
    account_id: int | None = None
    region: str | None = None
    brand: str | None = None
    return_type_id: int | None = None


@dataclass(frozen=True)
class Preset:
    label: str
    start: date
    end: date


def presets(today: date) -> list[Preset]:
    """The periods offered as links beside the form."""
    this_month = month_start(today)
    january = this_month.replace(month=1)
    return [
        Preset(_("Last 12 months"), add_months(this_month, -11), this_month),
        Preset(_("This year"), january, this_month),
        Preset(_("Last year"), add_months(january, -12), add_months(january, -1)),
    ]


def sensible_month(form, field) -> None:
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(
            _(
                "Give a month between %(earliest)s and %(latest)s.",
                earliest=EARLIEST.strftime("%Y-%m"),
                latest=LATEST.strftime("%Y-%m"),
            )
        )


MONTH_MESSAGE = _l("Give a month as year and month, e.g. 2026-03.")


class AnalyticsFilterForm(BaseForm):
    """``start``/``end`` months (default: the last 12), ``account`` number, ``region``,
    ``brand``, ``return_type`` code. Built with the choices the user may see."""

    class Meta:
        csrf = False  # a read-only GET form

    start = MonthField(
        _l("From"),
        validators=[Optional(), sensible_month],
        invalid_value_message=MONTH_MESSAGE,
    )
    end = MonthField(
        _l("To"), validators=[Optional(), sensible_month], invalid_value_message=MONTH_MESSAGE
    )
    account = StringField(
        _l("Account number"),
        validators=[Optional(), Length(max=32)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    region = SelectField(_l("Region"), default="")
    brand = SelectField(_l("Brand"), default="")
    return_type = SelectField(_l("Return type"), default="")

    def __init__(
        self,
        formdata,
        *,
        today: date,
        regions: Sequence[str],
        brands: Sequence[str],
        return_types: Sequence[tuple[int, str, str]],
        find_account: Callable[[str], int | None],
    ) -> None:
        super().__init__(formdata)
        self.today = today
        self.find_account = find_account
        self.account_id: int | None = None
        self.region.choices = choices([("", _("All regions")), *((r, r) for r in regions)])
        self.brand.choices = choices([("", _("All brands")), *((b, b) for b in brands)])
        self.return_type.choices = choices(
            [("", _("All return types")), *((code, label) for _id, code, label in return_types)]
        )
        self.return_type_ids = {code: id_ for id_, code, _label in return_types}

    def validate_account(self, field) -> None:
        if not field.data:
            return
        self.account_id = self.find_account(field.data)
        if self.account_id is None:
            # The same words whether it does not exist or is someone else's account.
            raise ValidationError(
                _("No account numbered %(number)s among the accounts you see.", number=field.data)
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start, end = self.start.data, self.end.data
        if valid and start and end and start > end:
            self.end.errors.append(_("The last month comes before the first."))
            return False
        if valid and self._months_asked() > MAX_MONTHS:
            self.start.errors.append(
                _("A period covers at most %(months)s months.", months=MAX_MONTHS)
            )
            return False
        if valid and self._bounds()[0] > self._bounds()[1]:
            self.start.errors.append(_("The first month comes after the last."))
            return False
        return valid

    def _bounds(self) -> tuple[date, date]:
        """A missing end is this month; a missing start, 11 months before the end."""
        end = self.end.data or month_start(self.today)
        return self.start.data or add_months(end, 1 - DEFAULT_MONTHS), end

    def _months_asked(self) -> int:
        start, end = self._bounds()
        return (end.year - start.year) * 12 + end.month - start.month + 1

    def period(self) -> MonthRange:
        """The months asked for (call after a successful ``validate``)."""
        return MonthRange(*self._bounds())

    def filters(self) -> Filters:
        """The filters read; the defaults (the last 12 months, everything) when invalid."""
        if self.errors:
            return Filters(MonthRange.trailing(DEFAULT_MONTHS, self.today))
        return Filters(
            period=self.period(),
            account_id=self.account_id,
            region=self.region.data or None,
            brand=self.brand.data or None,
            return_type_id=self._return_type_id(),
        )

    def _return_type_id(self) -> int | None:
        code = self.return_type.data
        return self.return_type_ids.get(code) if code else None
