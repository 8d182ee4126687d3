"""The OpenAPI 3.1 document and request validation, both from the pydantic models of
``portal.api.schemas`` through spectree (docs/api.md says why spectree).

spectree validates the query (and later JSON bodies) before the view runs; a refusal is
raised as a ``ValidationProblem``, so it is answered like every other API error. The
document is spectree's, with the error responses moved to ``application/problem+json``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import current_app
from pydantic import ValidationError
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree
from spectree.models import SecureType

from portal.api.problems import MEDIA_TYPE, ValidationProblem
from portal.api.schemas import ProblemOut, ValidationProblemOut
from portal.api.scopes import SCOPES
from portal.inputs.converters import DocumentNumberConverter
from portal.inputs.numbers import MAX_ID

View = TypeVar("View", bound=Callable[..., Any])

DESCRIPTION = (
    "Rotaflow's integration API. Authenticate with `Authorization: Bearer <token>`; each "
    "operation names the scope it needs. A token sees exactly what its user sees. Errors "
    "are RFC 9457 problem details. Scopes: " + ", ".join(f"`{scope}`" for scope in SCOPES) + "."
)


def _refuse_invalid(_request: Any, _response: Any, error: Any, _instance: Any, *_: Any) -> None:
    """spectree's hook after validating a request: a failure becomes our 422 problem."""
    if isinstance(error, ValidationError):
        raise ValidationProblem([_field_error(item) for item in error.errors()])


def _field_error(item: Mapping[str, Any]) -> dict[str, str]:
    field = ".".join(str(part) for part in item.get("loc", ())) or "(request)"
    return {"field": field, "message": str(item.get("msg", "is not valid"))}


api = SpecTree(
    "flask",
    mode="strict",  # only the routes decorated here are in the document
    # spectree's own pages would load their viewers from a CDN: none are registered
    # (its path is only where it would put them), /api/docs serves a pinned copy.
    path="api/docs",
    page_templates={},
    title="Rotaflow API",
    version="1",
    description=DESCRIPTION,
    security_schemes=[
        SecurityScheme(
            name="bearer",
            data=SecuritySchemeData(
                type=SecureType.HTTP,
                scheme="bearer",
                description="An API token (rf_…) from Your account → API tokens.",
            ),
        )
    ],
    security={"bearer": []},
    before=_refuse_invalid,
    annotations=True,
    # Components by their model's name (spectree adds a module hash by default); the
    # models' names are unique within portal.api.schemas.
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
)

# The errors every authenticated operation may answer.
_COMMON_ERRORS: dict[str, Any] = {
    "HTTP_401": (ProblemOut, "No valid token (unknown, revoked, expired, user inactive)."),
    "HTTP_403": (ProblemOut, "The token lacks the operation's scope."),
    "HTTP_422": (ValidationProblemOut, "A query argument is not valid; see errors."),
    "HTTP_429": (ProblemOut, "Too many requests for this token; see Retry-After."),
}


def responses(ok: Any, *, not_found: bool = False) -> Response:
    errors = dict(_COMMON_ERRORS)
    if not_found:
        errors["HTTP_404"] = (ProblemOut, "Not there, or not visible to this token.")
    return Response(HTTP_200=ok, **errors)


_WRITE_ERRORS: dict[int, str] = {
    400: "The body is not JSON (or not UTF-8), or Idempotency-Key is not 1 to 255 "
    "printable ASCII characters.",
    404: "Not there, or not visible to this token.",
    409: "The RMA was submitted already or changed at the same time, the delivery is "
    "already waiting, or a request with this Idempotency-Key is still being processed.",
    412: "If-Match names an ETag the RMA (or subscription) no longer has.",
    413: "The body is larger than the server accepts.",
    415: "The body is not application/json.",
    428: "If-Match is required.",
}


def write_responses(ok: Any, status: int, *errors: int) -> Response:
    """A write's answers: ``ok`` with ``status``; 422 lists a body's field errors or
    carries an operation's refusal."""
    answers = dict(_COMMON_ERRORS)
    answers["HTTP_422"] = (
        ProblemOut,
        "The body is not valid (see errors), or the operation refused it (see detail).",
    )
    for code in errors:
        answers[f"HTTP_{code}"] = (ProblemOut, _WRITE_ERRORS[code])
    return Response(**{f"HTTP_{status}": ok}, **answers)


IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Retry safely: the same key (same token, method, path and body) within "
    "24 hours answers the first response again and does nothing again.",
    # Printable ASCII; HTTP drops spaces at either end, so none there.
    "schema": {"type": "string", "maxLength": 255, "pattern": "^[!-~]([ -~]*[!-~])?$"},
}
IF_MATCH: dict[str, Any] = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": "The RMA's ETag as last read; 428 without it, 412 when it is stale.",
    "schema": {"type": "string"},
}

WEBHOOK_IF_MATCH: dict[str, Any] = {
    **IF_MATCH,
    "description": "The subscription's ETag as last read; 428 without it, 412 when it is stale.",
}


def documents_headers(*parameters: dict[str, Any]) -> Callable[[View], View]:
    """Names request headers the view reads itself (spectree validates no header here),
    for the document."""

    def decorate(view: View) -> View:
        view.openapi_headers = parameters  # type: ignore[attr-defined]
        return view

    return decorate


def document() -> dict[str, Any]:
    """The OpenAPI document: spectree's, errors as problem+json, the scopes named."""
    spec = copy.deepcopy(api.spec)
    scopes, path_schemas = _scopes_by_path(), _path_schemas()
    headers = _view_attribute_by_path("openapi_headers")
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            scope = scopes.get((path, method.upper()))
            _describe_path_parameters(operation, path_schemas.get(path, {}))
            extra = headers.get((path, method.upper()), ())
            operation.setdefault("parameters", []).extend(copy.deepcopy(list(extra)))
            if scope:
                operation["x-required-scope"] = scope
                operation["description"] = f"{operation['description']}\n\nScope: `{scope}`."
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if status[0] in "45" and "application/json" in content:
                    answer["content"] = {MEDIA_TYPE: content["application/json"]}
    return spec


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^<>:]*:)?(\w+)>", r"{\1}", rule)


def _path_schemas() -> dict[str, dict[str, dict[str, Any]]]:
    """OpenAPI path → parameter → its schema, from the app's URL converters (spectree
    leaves the schema of a converter it does not know empty)."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for rule in current_app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            schema = _CONVERTER_SCHEMAS.get(type(converter).__name__)
            if schema:
                found.setdefault(_openapi_path(rule.rule), {})[name] = schema
    return found


_CONVERTER_SCHEMAS: dict[str, dict[str, Any]] = {
    "IdConverter": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "DocumentNumberConverter": {"type": "string", "pattern": f"^{DocumentNumberConverter.regex}$"},
}


def _describe_path_parameters(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" and not parameter.get("schema"):
            parameter["schema"] = schemas.get(parameter["name"], {"type": "string"})


def _scopes_by_path() -> dict[tuple[str, str], str]:
    """(OpenAPI path, method) → the scope its view requires (``portal.api.auth.requires``)."""
    return _view_attribute_by_path("required_scope")


def _view_attribute_by_path(name: str) -> dict[tuple[str, str], Any]:
    """(OpenAPI path, method) → the attribute ``name`` of the route's view, where set."""
    found = {}
    for rule in current_app.url_map.iter_rules():
        value = getattr(current_app.view_functions[rule.endpoint], name, None)
        if value:
            path = _openapi_path(rule.rule)
            for method in rule.methods or ():
                found[path, method] = value
    return found
