"""Text from requests: no control characters, and no longer than where it is stored.

PostgreSQL refuses NUL in text, and no other control character belongs in a name, a
comment or a search either. ``BaseForm`` applies both rules to every string field of
every form, so a new form cannot forget them; ``text_arg`` does the same for query
arguments read without a form. The last line, for what none of them saw: bytes that are
not UTF-8 are refused before any view runs, and a NUL that reaches PostgreSQL anyway is
answered with 400 (the work rolled back), never a 500.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import Flask, abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import DataError
from sqlalchemy.orm import InstrumentedAttribute
from wtforms import Form, StringField, TextAreaField
from wtforms.fields.choices import SelectFieldBase
from wtforms.meta import DefaultMeta
from wtforms.validators import Length, StopValidation

from portal.api.problems import is_api_request, problem_response
from portal.db import discard_failed_work

UNSTORABLE_MESSAGE = _l("Contains characters that can't be stored (control characters).")
ONE_LINE_MESSAGE = _l("Contains characters that can't be stored: write it on one line.")
# Free text without a column behind it (searches, comments kept in JSON) still has a bound.
ONE_LINE_MAX = 1_000
MULTI_LINE_MAX = 10_000

# Unicode's control characters (C0, DEL, C1). Tab, line feed and carriage return are
# text in a comment; in a one-line field they are refused like the rest.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def unstorable(value: str, multi_line: bool = False) -> bool:
    """Whether ``value`` holds a character that no text field may store."""
    pattern = _CONTROL_MULTI_LINE if multi_line else _CONTROL
    return pattern.search(value) is not None


def without_control(value: str) -> str:
    """``value`` with every control character replaced by a space (for display names)."""
    return _CONTROL.sub(" ", value)


def column_length(attribute: InstrumentedAttribute[Any]) -> int:
    """The length of a ``String(n)`` model column, e.g. ``column_length(User.name)``."""
    length = getattr(attribute.property.columns[0].type, "length", None)
    if not length:
        raise ValueError(f"{attribute} has no length")
    return int(length)


class StorableText:
    """Refuses control characters (but tab, line feed and CR in a multi-line field).

    It stops the chain, so later validators never see the value.
    """

    def __init__(self, multi_line: bool = False) -> None:
        self.multi_line = multi_line

    def __call__(self, form: Any, field: Any) -> None:
        data = field.data
        values = data if isinstance(data, list | tuple) else [data]
        for value in values:
            if isinstance(value, str) and unstorable(value, self.multi_line):
                if not self.multi_line and not unstorable(value, multi_line=True):
                    raise StopValidation(str(ONE_LINE_MESSAGE))
                raise StopValidation(str(UNSTORABLE_MESSAGE))


class TextMeta(DefaultMeta):
    """Binds every string field with ``StorableText`` first and a ``Length`` maximum, and
    every select that skips its choice check (and so hands on raw text) with ``StorableText``.

    A field that declares its own ``Length(max=…)`` (its column's, see ``column_length``)
    keeps it; any other gets the generic maximum of its kind.
    """

    def bind_field(self, form, unbound_field, options):
        field_class = unbound_field.field_class
        if issubclass(field_class, StringField) or _unchecked_select(unbound_field):
            if len(unbound_field.args) > 1:
                raise TypeError(f"{field_class.__name__}: pass validators by keyword")
            declared = list(unbound_field.kwargs.get("validators") or ())
            options = {**options, "validators": _text_validators(field_class, declared)}
        return super().bind_field(form, unbound_field, options)


def _unchecked_select(unbound_field) -> bool:
    # A select that checks its choices refuses any other text with its own message.
    return issubclass(unbound_field.field_class, SelectFieldBase) and not unbound_field.kwargs.get(
        "validate_choice", True
    )


def _text_validators(field_class: type, declared: list[Any]) -> list[Any]:
    multi_line = issubclass(field_class, TextAreaField)
    if not issubclass(field_class, StringField):
        # A select's own validators name its choices, the clearer message: ours comes last.
        return [*declared, StorableText()]
    validators = [StorableText(multi_line), *declared]
    bounded = any(isinstance(v, Length) and v.max >= 0 for v in declared)
    if not bounded:
        validators.append(Length(max=MULTI_LINE_MAX if multi_line else ONE_LINE_MAX))
    return validators


class BaseForm(FlaskForm):
    """The project's form: every form in the app derives from it (tests enforce it)."""

    class Meta(TextMeta):
        pass


class BaseSubForm(Form):
    """For ``FormField`` / ``FieldList`` rows: the same text rules, no CSRF of its own."""

    class Meta(TextMeta):
        pass


def text_arg(name: str, max_length: int = ONE_LINE_MAX, default: str = "") -> str:
    """A query argument as one line of text; ``default`` when it is absent.

    A value with control characters or longer than ``max_length`` is refused with 400: it
    was not typed into the page, which never produces one.
    """
    value = request.args.get(name)
    if value is None:
        return default
    if unstorable(value):
        abort(
            400,
            description=_(
                "The %(name)s value contains characters that can't be stored.", name=repr(name)
            ),
        )
    if len(value) > max_length:
        abort(
            400,
            description=_(
                "The %(name)s value is longer than %(max)s characters.",
                name=repr(name),
                max=max_length,
            ),
        )
    return value


# --- The last line: what no form or helper refused. ---

UNREADABLE_MESSAGE = _l(
    "The request contains bytes that are not UTF-8 text. "
    "Nothing was saved; send it again as plain text."
)
NUL_MESSAGE = _l(
    "A value contains a NUL character, which can't be stored. "
    "Nothing was saved; remove it and try again."
)


def init_app(app: Flask) -> None:
    app.before_request(refuse_unreadable_requests)
    app.register_error_handler(DataError, _refuse_stored_nul)


def refuse_unreadable_requests():
    """404 for a path segment with control characters (no object has such a name); 400 for
    bytes that are not UTF-8 in the path, query string or form values.

    A NUL or control character in a query or form value is left to the form that reads it,
    whose field error says which value is wrong; ``_refuse_stored_nul`` catches the rest.
    """
    if any(isinstance(v, str) and unstorable(v) for v in (request.view_args or {}).values()):
        abort(404)
    if _raw_unreadable(request.environ) or _form_unreadable():
        if is_api_request():
            return problem_response(400, "The request holds bytes that are not UTF-8.")
        return render_template("error.html", code=400, message=str(UNREADABLE_MESSAGE)), 400
    return None


def _refuse_stored_nul(error: DataError):
    """PostgreSQL refuses NUL in text: a value that reached a query unchecked is answered
    with 400 and the request's work is rolled back, rather than a 500."""
    # psycopg refuses NUL in a text parameter; the server refuses \u0000 in JSONB (22P05).
    if "NUL (0x00)" not in str(error.orig) and getattr(error.orig, "sqlstate", "") != "22P05":
        raise error
    discard_failed_work()
    if is_api_request():
        return problem_response(400, "A value holds a NUL character, which cannot be stored.")
    return render_template("error.html", code=400, message=str(NUL_MESSAGE)), 400


def _raw_unreadable(environ: dict[str, Any]) -> bool:
    # The WSGI server hands the path and query over as latin-1 code points of the raw bytes.
    path = environ.get("PATH_INFO", "").encode("latin-1", "replace")
    query = unquote_to_bytes(environ.get("QUERY_STRING", "").replace("+", " "))
    return not (_is_utf8(path) and _is_utf8(query))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _form_unreadable() -> bool:
    """Form field names or values that are not UTF-8. werkzeug keeps a bad escape as its
    literal text ("caf%E9") in a urlencoded body, so that body is checked as bytes; in a
    multipart body it puts U+FFFD, the replacement character, which nobody types."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if request.mimetype == "application/x-www-form-urlencoded":
        # Cached: the form is parsed from these same bytes afterwards.
        return not _is_utf8(unquote_to_bytes(request.get_data(cache=True).replace(b"+", b" ")))
    if request.mimetype == "multipart/form-data":
        return any("\ufffd" in k or "\ufffd" in v for k, v in request.form.items(multi=True))
    return False
