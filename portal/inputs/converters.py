"""URL converters: a path segment the database cannot hold does not match the route, so it
is a 404 instead of an error from the query.

- ``<id:name>``: a primary key, ASCII digits, 1 to 2**31 - 1;
- ``<position:name>``: a place in a list or a version number, 0 to 2**31 - 1;
- ``<number:name>``: a document number (RMA-2026-000123, CM-2026-000001): letters, digits
  and hyphens, at most 20 characters like the ``number`` columns.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, ValidationError

from portal.inputs.numbers import MAX_ID, parse_int


class IdConverter(BaseConverter):
    """A primary key. Werkzeug's ``int`` admits any length and non-ASCII digits."""

    regex = r"[0-9]{1,10}"
    minimum = 1

    def to_python(self, value: str) -> int:
        number = parse_int(value, self.minimum, MAX_ID)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: object) -> str:
        return str(int(value))  # type: ignore[call-overload]


class PositionConverter(IdConverter):
    minimum = 0


class DocumentNumberConverter(BaseConverter):
    regex = r"[A-Za-z0-9][A-Za-z0-9-]{0,19}"


CONVERTERS = {
    "id": IdConverter,
    "position": PositionConverter,
    "number": DocumentNumberConverter,
}


def init_app(app: Flask) -> None:
    """Register the converters; before any blueprint, whose rules name them."""
    app.url_map.converters.update(CONVERTERS)
    app.before_request(_not_found_for_refused_values)


def _not_found_for_refused_values() -> None:
    """Werkzeug answers 405 when a rule of another method has the path's shape, before
    that rule's converters are asked: DELETE /webhooks/0 beside GET /webhooks/<id:…>.
    When no method's rule takes the values either, the path names nothing: 404."""
    error = request.routing_exception
    if not isinstance(error, MethodNotAllowed):
        return
    adapter = current_app.create_url_adapter(request)
    for method in set(error.valid_methods or ()) - {"HEAD", "OPTIONS"}:
        try:
            adapter.match(method=method)  # type: ignore[union-attr]
        except HTTPException:
            continue
        return
    request.routing_exception = NotFound()
