from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectMultipleField, TextAreaField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Length,
    Optional,
    ValidationError,
)

from portal.approvals.operations import DECISIONS
from portal.inputs.numbers import FiniteDecimalField
from portal.inputs.text import BaseForm

FEE_MESSAGE = _l("Enter a percentage between 0 and 100. At most two decimals.")


class DecisionForm(BaseForm):
    decision = HiddenField(validators=[DataRequired(), AnyOf(list(DECISIONS))])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
    restocking_fee_percent = FiniteDecimalField(
        _l("Restocking fee %%"),
        minimum=0,
        maximum=100,
        message=FEE_MESSAGE,
        invalid=FEE_MESSAGE,
        validators=[Optional()],
        description=_l("Leave empty to keep the return type's fee; 0 waives it."),
    )


class BulkApproveForm(BaseForm):
    numbers = SelectMultipleField(_l("RMAs"), choices=[], validate_choice=False)
    comment = TextAreaField(_l("Comment for all"), validators=[Optional(), Length(max=2000)])

    def validate_numbers(self, field) -> None:
        if not field.data:
            raise ValidationError(_("Select at least one RMA to approve."))
