"""Every API error is application/problem+json; the document describes the API."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import (
    Conflict,
    PreconditionFailed,
    RequestEntityTooLarge,
    UnsupportedMediaType,
)

from portal import create_app
from portal.api import queries
from portal.api.problems import answer_outside_blueprint
from tests.portal.api.conftest import bearer
from tests.support import TEST_CONFIG

PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance"}


def _problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) >= PROBLEM_MEMBERS and body["status"] == status
    return body


def test_routing_errors_under_the_api(client, world):
    token = bearer(world.api_tokens["admin"])
    _problem(client.get("/api/v1/nowhere", headers=token), 404)
    _problem(client.get("/api/v1/rmas/RMA%00X", headers=token), 404)
    refused = client.delete("/api/v1/rmas", headers=token)
    _problem(refused, 405)
    assert "GET" in refused.headers["Allow"]
    _problem(client.get("/api/v1/rmas?q=%FF%FE", headers=token), 400)


def test_pages_keep_their_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Conflict(), 409),
        (PreconditionFailed(), 412),
        (RequestEntityTooLarge(), 413),
        (UnsupportedMediaType(), 415),
    ],
)
def test_other_statuses_are_problems_too(app, error, status):
    with app.test_request_context("/api/v1/rmas"):
        response = answer_outside_blueprint(error)
        assert response is not None
        _problem(response, status)
    with app.test_request_context("/account/"):
        assert answer_outside_blueprint(error) is None


def test_a_failure_is_a_500_problem_with_the_request_id(connection, world, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "products", broken)
    app = create_app({**TEST_CONFIG, "PROPAGATE_EXCEPTIONS": False}, db_bind=connection)
    response = app.test_client().get("/api/v1/products", headers=bearer(world.api_tokens["admin"]))
    body = _problem(response, 500)
    assert body["request_id"] and "boom" not in response.get_data(as_text=True)


def test_the_openapi_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document["security"] == [{"bearer": []}]
    paths = document["paths"]
    assert {
        "/api/v1/rmas",
        "/api/v1/rmas/{number}",
        "/api/v1/accounts",
        "/api/v1/accounts/{account_id}",
        "/api/v1/products",
        "/api/v1/return-types",
        "/api/v1/ledger",
        "/api/v1/rmas/{number}/lines",
        "/api/v1/rmas/{number}/submit",
        "/api/v1/rmas/{number}/transitions",
        "/api/v1/rmas/export",
        "/api/v1/ledger/export",
        "/api/v1/policy-check",
        "/api/v1/orders",
        "/api/v1/webhooks",
        "/api/v1/webhooks/{subscription_id}",
        "/api/v1/webhooks/{subscription_id}/rotate-secret",
        "/api/v1/webhooks/{subscription_id}/deliveries",
        "/api/v1/webhooks/{subscription_id}/deliveries/{delivery_id}/redeliver",
    } == set(paths)
    assert paths["/api/v1/ledger/export"]["get"]["x-required-scope"] == "ledger:read"
    assert paths["/api/v1/policy-check"]["post"]["x-required-scope"] == "rmas:read"
    assert paths["/api/v1/orders"]["post"]["x-required-scope"] == "orders:import"
    listing = paths["/api/v1/rmas"]["get"]
    assert listing["x-required-scope"] == "rmas:read"
    assert "application/problem+json" in listing["responses"]["422"]["content"]
    assert "application/problem+json" in listing["responses"]["401"]["content"]
    (number,) = paths["/api/v1/rmas/{number}"]["get"]["parameters"]
    assert number["schema"]["type"] == "string"
    names = {p["name"] for p in listing["parameters"]}
    assert {"limit", "cursor", "state", "account", "return_type"} <= names
    assert "ValidationProblemOut" in document["components"]["schemas"]


def test_the_document_describes_the_writes(client):
    document = client.get("/api/v1/openapi.json").get_json()
    paths, schemas = document["paths"], document["components"]["schemas"]
    bodies = {
        ("/api/v1/rmas", "201"): "RmaCreate",
        ("/api/v1/rmas/{number}/lines", "200"): "RmaLinesAdd",
        ("/api/v1/rmas/{number}/submit", "200"): "RmaSubmit",
        ("/api/v1/rmas/{number}/transitions", "200"): "TransitionIn",
    }
    for (path, ok), model in bodies.items():
        operation = paths[path]["post"]
        assert operation["x-required-scope"] == "rmas:write"
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body["$ref"] == f"#/components/schemas/{model}"
        assert schemas[model]["additionalProperties"] is False
        assert ok in operation["responses"]
        for status in ("400", "413", "415", "422"):
            assert "application/problem+json" in operation["responses"][status]["content"]
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["Idempotency-Key"]["required"] is False
    transition = paths["/api/v1/rmas/{number}/transitions"]["post"]
    assert {"412", "428"} <= set(transition["responses"])
    (if_match,) = [p for p in transition["parameters"] if p["name"] == "If-Match"]
    assert if_match["in"] == "header" and if_match["required"] is True
    listing = paths["/api/v1/rmas"]["get"]["parameters"]
    assert not [p for p in listing if p["in"] == "header"]
    assert set(schemas["RmaLinesAdd"]["properties"]) == {"lines", "reason", "condition"}


def test_the_docs_page_is_self_hosted(client):
    response = client.get("/api/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "vendor/swagger-ui-dist-5.36.0/swagger-ui-bundle.js" in page
    assert "/api/v1/openapi.json" in page
    assert "<script>" not in page and "http" not in page.split("<body>")[1].split("href")[0]
