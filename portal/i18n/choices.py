"""Choices for the forms that set a language or a time zone: each language named in
itself (and marked so that screen readers say it so), zones by country and city."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from portal.i18n import LANGUAGES
from portal.i18n.zones import zone_choices


def language_choices(default_label: str) -> list[SelectChoice]:
    return [
        SelectChoice("", default_label),
        *(SelectChoice(code, name, {"lang": code}) for code, name in LANGUAGES.items()),
    ]


def time_zone_choices(default_label: str) -> list[SelectChoice]:
    zones = zone_choices(str(get_locale() or "en"))
    return [SelectChoice("", default_label), *(SelectChoice(z, label) for z, label in zones)]


def chosen(value: object) -> str:
    """A select's value from a column: None (nothing chosen) is the empty choice. WTForms
    leaves None as it is, so forms built from a row also apply it to their data."""
    return "" if value is None else str(value)


class _DefaultableSelect(SelectField):
    """A choice that may be left empty, for "the default", named ``default_label``; a
    stored None reads as that empty choice."""

    def __init__(self, label: Any = None, default_label: Any = "", **kwargs: Any) -> None:
        super().__init__(
            label,
            default="",
            coerce=chosen,
            validate_choice=True,
            choices=lambda: self.choices_named(str(default_label)),
            **kwargs,
        )

    def choices_named(self, default_label: str) -> list[SelectChoice]:
        raise NotImplementedError

    def process_data(self, value: Any) -> None:
        super().process_data(chosen(value))


class LanguageField(_DefaultableSelect):
    """A language, or the default."""

    def choices_named(self, default_label: str) -> list[SelectChoice]:
        return language_choices(default_label)


class TimeZoneField(_DefaultableSelect):
    """A time zone by country and city, or the default."""

    def choices_named(self, default_label: str) -> list[SelectChoice]:
        return time_zone_choices(default_label)
