"""Request bodies of the API's writes, checked before spectree validates them.

spectree reads a body with ``get_json(silent=True)``: a body that is not JSON would reach
the model as nothing, and be refused as a missing field. Here a write's body is refused
for what is actually wrong with it, each as a problem: another content type (415), bytes
that are not JSON or not UTF-8 (400), a body over the app's MAX_CONTENT_LENGTH (413, from
werkzeug as it reads), and members the model does not name (422, one field error each).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, request
from pydantic import BaseModel

from portal.api.problems import Problem, ValidationProblem

View = TypeVar("View", bound=Callable[..., Any])
JSON_TYPES = ("application/json",)


def json_body(model: type[BaseModel]) -> Callable[[View], View]:
    """The view takes a JSON object shaped by ``model``; the raw object is kept in
    ``g.api_body`` (the idempotency fingerprint is taken from it)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            g.api_body = read_body(model)
            return view(*args, **kwargs)

        return cast(View, checked)

    return decorate


def read_body(model: type[BaseModel]) -> Any:
    """The request's JSON body, or a problem saying what is wrong with it."""
    if request.mimetype not in JSON_TYPES:
        raise Problem(415, "The request body must be application/json.")
    raw = request.get_data(cache=True)  # 413 from werkzeug past MAX_CONTENT_LENGTH
    try:
        body = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Problem(400, "The request body is not UTF-8.") from None
    except ValueError as error:
        raise Problem(400, f"The request body is not valid JSON: {error}.") from None
    except RecursionError:  # nested deeper than the parser goes
        raise Problem(400, "The request body is nested too deeply.") from None
    if isinstance(body, dict):
        unknown = sorted(set(body) - set(model.model_fields))
        if unknown:
            raise ValidationProblem(
                [{"field": name, "message": "Extra inputs are not permitted"} for name in unknown]
            )
    return body
