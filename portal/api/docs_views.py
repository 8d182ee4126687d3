"""The API's description, open to everyone (it holds no data): the OpenAPI document and
a pinned, self-hosted Swagger UI that reads it."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template

from portal.api.spec import document

bp = Blueprint("api_docs", __name__)

SWAGGER_UI = "vendor/swagger-ui-dist-5.36.0"


def openapi() -> Response:
    """The OpenAPI 3.1 document, generated from the API's pydantic models."""
    response = jsonify(document())
    response.headers["Access-Control-Allow-Origin"] = "*"  # readable by any tool
    return response


def docs() -> str:
    return render_template("api/docs.html", swagger_ui=SWAGGER_UI)


# The URL table.
bp.add_url_rule("/v1/openapi.json", "openapi", openapi, methods=["GET"])
bp.add_url_rule("/docs", "docs", docs, methods=["GET"])
