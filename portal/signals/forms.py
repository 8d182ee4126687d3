"""The admin's form of the risk signal thresholds: each signal on or off, and its figures
within the bounds the rules accept (``rules.BOUNDS``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import InputRequired

from portal.inputs.numbers import BoundedIntegerField
from portal.inputs.text import BaseForm
from portal.signals.rules import BOUNDS, Thresholds


def _figure(name: str, label, description) -> BoundedIntegerField:
    bound = BOUNDS[name]
    return BoundedIntegerField(
        label,
        validators=[InputRequired(_l("Give a whole number."))],
        minimum=bound.low,
        maximum=bound.high,
        description=description,
    )


class RiskSignalsForm(BaseForm):
    period_days = _figure(
        "period_days",
        _l("Period (days)"),
        _l("Every signal looks at this many days up to today; 365 is the last 12 months."),
    )
    return_rate_on = BooleanField(_l("High return rate"))
    return_rate_percentile = _figure(
        "return_rate_percentile",
        _l("Percentile of the network"),
        _l(
            "An account whose returned share of purchases is above this percentile of all "
            "accounts' shares is signalled."
        ),
    )
    repeat_sku_on = BooleanField(_l("Same SKU returned again"))
    repeat_sku_times = _figure(
        "repeat_sku_times", _l("RMAs with the same SKU"), _l("From this many RMAs on.")
    )
    condition_mismatch_on = BooleanField(_l("Condition not as stated"))
    mismatch_lines = _figure(
        "mismatch_lines",
        _l("Lines graded worse than stated"),
        _l(
            "Worse wear than the retailer stated, or no fault found on a line said to be defective."
        ),
    )
    over_receipt_on = BooleanField(_l("More units than authorized"))
    over_receipt_lines = _figure(
        "over_receipt_lines", _l("Lines received over the authorized quantity"), None
    )
    exceptions_on = BooleanField(_l("Many exceptions"))
    exceptions_requested = _figure(
        "exceptions_requested", _l("Exceptions requested"), _l("From this many requests on.")
    )
    exceptions_approved_percent = _figure(
        "exceptions_approved_percent",
        _l("Of which approved (%)"),
        _l("Only when at least this share was approved; 0 signals any."),
    )
    rotation_rush_on = BooleanField(_l("Allowance used at once"))
    rotation_rush_percent = _figure(
        "rotation_rush_percent",
        _l("Share of the allowance (%)"),
        _l("Rotations that together used at least this share of the rotation allowance…"),
    )
    rotation_rush_days = _figure(
        "rotation_rush_days",
        _l("Days after the window opened"),
        _l("…within this many days of a rotation window opening."),
    )

    # The switch and the figures of each signal, in the order the page shows them.
    GROUPS = {
        "return_rate": ("return_rate_percentile",),
        "repeat_sku": ("repeat_sku_times",),
        "condition_mismatch": ("mismatch_lines",),
        "over_receipt": ("over_receipt_lines",),
        "exceptions": ("exceptions_requested", "exceptions_approved_percent"),
        "rotation_rush": ("rotation_rush_percent", "rotation_rush_days"),
    }

    def thresholds(self) -> Thresholds:
        return Thresholds(**{name: self[name].data for name in Thresholds.__dataclass_fields__})
