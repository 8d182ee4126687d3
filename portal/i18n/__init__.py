"""Languages, time zones and the formats that follow them.

Each request is answered in one language and one time zone, chosen in this order:

- language: the user's own choice (profile), else their account's language (retailers)
  or the distributor's (staff), else the language switch's cookie (anonymous pages),
  else the browser's ``Accept-Language``, else English;
- time zone: the user's own, else the distributor's, else UTC.

Anything unknown (a stale column value, a forged cookie or header) is skipped, never an
error. Mails and documents made outside a request name their recipient's language with
``locale_of`` and ``flask_babel.force_locale``.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale
from flask_login import current_user

from portal.db import get_session
from portal.i18n import formats
from portal.i18n.queries import distributor_defaults
from portal.i18n.zones import known_zone

# The languages the product speaks, in their own words. Adding one: docs/translating.md.
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "fr": "Français"}
DEFAULT_LANGUAGE = "en"
DEFAULT_ZONE = "UTC"
# The anonymous language switch remembers its choice for a year.
LANGUAGE_COOKIE = "rotaflow_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

babel = Babel()


def known_language(value: Any) -> str | None:
    """``value`` if it is one of LANGUAGES (``de-AT`` counts as ``de``), else None."""
    if not isinstance(value, str) or not value:
        return None
    language = value.replace("-", "_").split("_", 1)[0].lower()
    return language if language in LANGUAGES else None


def locale_of(user: Any, distributor_language: str | None = None) -> str:
    """The language ``user`` reads, outside a request (mails): their own, else their
    account's or the distributor's, else English."""
    if user is None:
        return known_language(distributor_language) or DEFAULT_LANGUAGE
    account = getattr(user, "account", None)
    for candidate in (
        getattr(user, "locale", None),
        getattr(account, "locale", None) if account is not None else None,
        distributor_language,
    ):
        language = known_language(candidate)
        if language:
            return language
    return DEFAULT_LANGUAGE


def select_locale() -> str:
    if not has_request_context():  # a mail or a CLI outside force_locale: English
        return DEFAULT_LANGUAGE
    if "language" not in g:
        g.language = _request_language()
    return g.language


def _request_language() -> str:
    user = current_user if current_user and current_user.is_authenticated else None
    if user is not None:
        for candidate in (user.locale, _account_language(user), _distributor("locale")):
            language = known_language(candidate)
            if language:
                return language
    chosen = known_language(request.cookies.get(LANGUAGE_COOKIE))
    if chosen:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def _account_language(user: Any) -> str | None:
    return user.account.locale if user.account_id is not None and user.account else None


def select_timezone() -> str:
    if not has_request_context():
        return DEFAULT_ZONE
    user = current_user if current_user and current_user.is_authenticated else None
    for candidate in (getattr(user, "time_zone", None), _distributor("time_zone")):
        zone = known_zone(candidate)
        if zone:
            return zone
    return DEFAULT_ZONE


def _distributor(field: str) -> str | None:
    """The distributor's default language or time zone (cached per request)."""
    if "distributor_defaults" not in g:
        g.distributor_defaults = distributor_defaults(get_session())
    return g.distributor_defaults.get(field)


def distributor_language() -> str:
    """The distributor's own language: what admins type in (None set: English)."""
    return known_language(_distributor("locale")) or DEFAULT_LANGUAGE


def translation_languages() -> list[str]:
    """The languages configured text may be translated into: all but the distributor's."""
    own = distributor_language()
    return [code for code in LANGUAGES if code != own]


def language_name(code: str) -> str:
    """A language's name in the reader's language: "German", "allemand", "Deutsch"."""
    return Locale.parse(code).get_language_name(current_language()) or code


def text_direction(language: str) -> str:
    """``dir`` of the page: every language here is written left to right, but the layout
    does not assume it (logical CSS properties only)."""
    return "rtl" if Locale.parse(language).character_order == "right-to-left" else "ltr"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    formats.init_app(app)
    app.jinja_env.globals.update(
        languages=LANGUAGES,
        language_name=language_name,
        current_language=current_language,
        text_direction=text_direction,
    )


def current_language() -> str:
    """The language being written in: the request's, or the one a mail is rendered in."""
    return str(get_locale() or DEFAULT_LANGUAGE)
