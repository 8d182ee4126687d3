from __future__ import annotations

from wtforms import DecimalField, HiddenField, SelectMultipleField, TextAreaField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.approvals.operations import DECISIONS
from portal.inputs.text import BaseForm


class DecisionForm(BaseForm):
    decision = HiddenField(validators=[DataRequired(), AnyOf(list(DECISIONS))])
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=2000)])
    restocking_fee_percent = DecimalField(
        "Restocking fee %",
        places=2,
        validators=[
            Optional(),
            NumberRange(min=0, max=100, message="Enter a percentage between 0 and 100."),
        ],
        description="Leave empty to keep the return type's fee; 0 waives it.",
    )


class BulkApproveForm(BaseForm):
    numbers = SelectMultipleField("RMAs", choices=[], validate_choice=False)
    comment = TextAreaField("Comment for all", validators=[Optional(), Length(max=2000)])

    def validate_numbers(self, field) -> None:
        if not field.data:
            raise ValidationError("Select at least one RMA to approve.")
