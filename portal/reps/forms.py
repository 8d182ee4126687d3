from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField
from wtforms.validators import Length, Optional

from portal.inputs.numbers import PageField
from portal.inputs.text import BaseForm


class AccountSearchForm(BaseForm):
    """The rep's account list: part of a name or account number, and the page."""

    class Meta:
        csrf = False  # a read-only GET form

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=100)])
    page = PageField(validators=[Optional()])

    @property
    def page_number(self) -> int:
        return self.page.data if not self.page.errors and self.page.data else 1
