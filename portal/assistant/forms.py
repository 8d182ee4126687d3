"""The assistant's input boundary: the ticked lines and products, as ids. What they mean
(the account's, still returnable, in stock) is checked by the draft operations."""

from __future__ import annotations

from wtforms import SelectMultipleField, SubmitField

from portal.inputs.numbers import parse_id
from portal.inputs.text import BaseForm

MAX_PICKS = 200


class IdsField(SelectMultipleField):
    """Ids as posted, each 1 … 2³¹ − 1; anything else fails the form."""

    def pre_validate(self, form) -> None:  # any id: the operations check what it is
        pass

    def process_formdata(self, valuelist) -> None:
        ids = [parse_id(value) for value in valuelist[: MAX_PICKS + 1]]
        self.data = [i for i in ids if i is not None]
        if len(ids) > MAX_PICKS or len(self.data) != len(ids):
            self.data = []
            raise ValueError("not a list of ids")


class RotationForm(BaseForm):
    lines = IdsField(choices=[])
    products = IdsField(choices=[])
    send = SubmitField()
