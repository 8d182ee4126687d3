from __future__ import annotations

from wtforms import IntegerField, SearchField
from wtforms.validators import Length, NumberRange, Optional

from portal.inputs.text import BaseForm


class AccountSearchForm(BaseForm):
    """The rep's account list: part of a name or account number, and the page."""

    class Meta:
        csrf = False  # a read-only GET form

    q = SearchField("Search", validators=[Optional(), Length(max=100)])
    page = IntegerField("Page", default=1, validators=[Optional(), NumberRange(min=1)])

    @property
    def page_number(self) -> int:
        return self.page.data if not self.page.errors and self.page.data else 1
