"""The header row of a CSV export: column labels in the reader's language, or column codes.

An export people open in a spreadsheet names each column in their language; a script or
an import reads the same file by stable column codes (``?headers=codes``). Each export
defines its columns once, as an ordered mapping of code to lazily translated label, so the
set and the order of columns cannot differ between the two headers. Only the header row
changes: the cells stay machine-readable either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import SelectField
from wtforms.validators import AnyOf

from portal.forms import choices, refuse_filters
from portal.inputs.text import BaseForm

Columns = Mapping[str, LazyString]


class HeaderStyle(StrEnum):
    LABELS = "labels"  # for people: the column's label in the reader's language
    CODES = "codes"  # for scripts and imports: the column's code, the same in every language


class ExportHeadersForm(BaseForm):
    """``?headers=labels`` (the default) or ``?headers=codes``."""

    class Meta:
        csrf = False  # a download: it changes nothing

    headers = SelectField(
        _l("Column headings"),
        choices=choices(
            [
                (HeaderStyle.LABELS.value, _l("Column names in your language")),
                (HeaderStyle.CODES.value, _l("Column codes, for scripts and imports")),
            ]
        ),
        default=HeaderStyle.LABELS.value,
        validate_choice=False,
        # An empty value means the default, as an empty filter means "any".
        filters=[lambda value: value or HeaderStyle.LABELS.value],
        validators=[
            AnyOf(
                [style.value for style in HeaderStyle],
                message=_l(
                    "Choose labels (column names in your language) or codes (column codes, "
                    "for scripts and imports)."
                ),
            )
        ],
    )


def header_style(args: MultiDict[str, str]) -> HeaderStyle:
    """The header row the query string asks for; an unknown one is refused (400) like an
    export filter that was not understood, before anything is exported."""
    form = ExportHeadersForm(args)
    form.validate()
    refuse_filters(form)
    return HeaderStyle(form.headers.data)


def header_row(columns: Columns, style: HeaderStyle) -> list[str]:
    """The first row of an export: its column codes, or their labels as the reader reads."""
    if style is HeaderStyle.CODES:
        return list(columns)
    return [str(label) for label in columns.values()]
