"""The API against its own OpenAPI document: generated requests, valid and not, for every
operation, as a retailer and as an admin; no answer is a server error, and every answer
matches the status codes, media types, headers and schemas the document promises."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portal import create_app
from tests.portal.api.conftest import bearer
from tests.support import TEST_CONFIG

# The document is generated from the code alone, so any app serves it; each test then
# calls its own app, bound to the test's database.
DOCUMENT = (
    create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://"})
    .test_client()
    .get("/api/v1/openapi.json")
    .get_json()
)
schema = schemathesis.openapi.from_dict(DOCUMENT)
BASE_URL = f"http://{TEST_CONFIG['SERVER_NAME']}"

# Left out: "a schema-valid request is accepted". An opaque cursor, or a code naming a
# row, can be valid to the schema and still refused by the API, with a 422 and its words:
# the refusal the document promises, not a violation of it.

# Examples per operation, identity and backend: a bounded run that still reaches each
# parameter's edge cases, which schemathesis tries first.
BOUNDED = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@BOUNDED
def test_every_operation_answers_a_retailer_as_documented(case, app, world):
    _call_and_validate(case, app, world.api_tokens["retailer_a"])


@schema.parametrize()
@BOUNDED
def test_every_operation_answers_an_admin_as_documented(case, app, world):
    _call_and_validate(case, app, world.api_tokens["admin"])


def _call_and_validate(case, app, token: str) -> None:
    # The checks' own probes (the same request without its token, say) go to this app too.
    case.operation.app = case.operation.schema.app = app
    case.call_and_validate(
        base_url=BASE_URL, headers=_headers(case, token), excluded_checks=[positive_data_acceptance]
    )


def _headers(case, token: str) -> dict[str, str]:
    # Headers generated to break the document (a missing or malformed token among them)
    # are sent as generated: putting a real token in would make the request valid, and
    # the check would then fault the API for accepting it.
    if case.meta.is_negative_at(ParameterLocation.HEADER):
        return {}
    return bearer(token)
