"""The API's blueprint under /api/v1: every route needs a bearer token (checked once for
the blueprint) and names its scope; queries and bodies are validated by spectree."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, jsonify

from portal.api import (
    queries,
    shapes,
    views_exports,
    views_orders,
    views_policy,
    views_rmas,
    views_webhooks,
)
from portal.api.auth import api_user, authenticate, requires
from portal.api.problems import init_blueprint
from portal.api.schemas import (
    AccountOut,
    AccountPage,
    LedgerPage,
    LedgerQuery,
    PageQuery,
    ProductPage,
    ReturnTypeList,
    RmaDetail,
    RmaPage,
    RmaQuery,
)
from portal.api.scopes import Scope
from portal.api.spec import api, responses
from portal.db import get_session
from portal.extensions import csrf

bp = Blueprint("api", __name__)
# No cookie is read here (portal.api.auth), so there is no cross-site request to forge.
csrf.exempt(bp)
init_blueprint(bp)


@bp.before_request
def _authenticate() -> None:
    g.language = "en"  # labels in the API's one language, whatever the Accept-Language
    # The API never signs anyone in from a cookie: Flask-Login sees an anonymous visitor.
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    authenticate()


@requires(Scope.RMAS_READ)
@api.validate(query=RmaQuery, resp=responses(RmaPage), tags=["RMAs"])
def rmas_list(query: RmaQuery) -> RmaPage:
    """List RMAs

    Newest first, filtered; `next` is the cursor of the following page."""
    return shapes.rma_page(queries.rmas(get_session(), api_user(), query))


@requires(Scope.RMAS_READ)
@api.validate(resp=responses(RmaDetail, not_found=True), tags=["RMAs"])
def rma_get(number: str) -> Response:
    """Get an RMA

    With its lines, events and credit; the ETag changes whenever the RMA does."""
    rma, lines, events, credit = queries.rma_detail(get_session(), api_user(), number)
    response = jsonify(shapes.rma_detail(rma, lines, events, credit).model_dump(mode="json"))
    response.headers["ETag"] = shapes.etag(rma)
    return response


@requires(Scope.ACCOUNTS_READ)
@api.validate(query=PageQuery, resp=responses(AccountPage), tags=["Accounts"])
def accounts_list(query: PageQuery) -> AccountPage:
    """List accounts

    The retailer's own, a rep's assigned ones, every one for an admin."""
    found = queries.accounts(get_session(), api_user(), query.limit, query.cursor)
    return shapes.account_page(found)


@requires(Scope.ACCOUNTS_READ)
@api.validate(resp=responses(AccountOut, not_found=True), tags=["Accounts"])
def account_get(account_id: int) -> AccountOut:
    """Get an account"""
    return shapes.account(queries.account(get_session(), api_user(), account_id))


@requires(Scope.PRODUCTS_READ)
@api.validate(query=PageQuery, resp=responses(ProductPage), tags=["Products"])
def products_list(query: PageQuery) -> ProductPage:
    """List products

    The catalog, by id."""
    return shapes.product_page(queries.products(get_session(), query.limit, query.cursor))


@requires(Scope.RMAS_READ)
@api.validate(resp=responses(ReturnTypeList), tags=["Return types"])
def return_types_list() -> ReturnTypeList:
    """List return types

    Those on offer, each with its published policy and the policy's version number."""
    return shapes.return_types(queries.return_types(get_session()))


@requires(Scope.LEDGER_READ)
@api.validate(query=LedgerQuery, resp=responses(LedgerPage, not_found=True), tags=["Ledger"])
def ledger_list(query: LedgerQuery) -> LedgerPage:
    """List an account's credit ledger

    Newest first, with the running balance of each currency."""
    return shapes.ledger_page(queries.ledger(get_session(), api_user(), query))


# The URL table: every route of the API, its endpoint name and its methods.
bp.add_url_rule("/rmas", "rmas_list", rmas_list, methods=["GET"])
bp.add_url_rule("/rmas", "rma_create", views_rmas.rma_create, methods=["POST"])
bp.add_url_rule("/rmas/export", "rmas_export", views_exports.rmas_export, methods=["GET"])
bp.add_url_rule("/rmas/<number:number>", "rma_get", rma_get, methods=["GET"])
RMA = "/rmas/<number:number>"
bp.add_url_rule(f"{RMA}/lines", "rma_lines_add", views_rmas.rma_lines_add, methods=["POST"])
bp.add_url_rule(f"{RMA}/submit", "rma_submit", views_rmas.rma_submit, methods=["POST"])
bp.add_url_rule(f"{RMA}/transitions", "rma_transition", views_rmas.rma_transition, methods=["POST"])
bp.add_url_rule("/orders", "orders_import", views_orders.orders_import, methods=["POST"])
bp.add_url_rule("/policy-check", "policy_check", views_policy.policy_check, methods=["POST"])
bp.add_url_rule("/accounts", "accounts_list", accounts_list, methods=["GET"])
bp.add_url_rule("/accounts/<id:account_id>", "account_get", account_get, methods=["GET"])
bp.add_url_rule("/products", "products_list", products_list, methods=["GET"])
bp.add_url_rule("/return-types", "return_types_list", return_types_list, methods=["GET"])
bp.add_url_rule("/ledger", "ledger_list", ledger_list, methods=["GET"])
bp.add_url_rule("/ledger/export", "ledger_export", views_exports.ledger_export, methods=["GET"])
WEBHOOK = "/webhooks/<id:subscription_id>"
bp.add_url_rule("/webhooks", "webhooks_list", views_webhooks.webhooks_list, methods=["GET"])
bp.add_url_rule("/webhooks", "webhook_create", views_webhooks.webhook_create, methods=["POST"])
bp.add_url_rule(WEBHOOK, "webhook_get", views_webhooks.webhook_get, methods=["GET"])
bp.add_url_rule(WEBHOOK, "webhook_change", views_webhooks.webhook_change, methods=["PATCH"])
bp.add_url_rule(WEBHOOK, "webhook_delete", views_webhooks.webhook_delete, methods=["DELETE"])
bp.add_url_rule(
    f"{WEBHOOK}/rotate-secret",
    "webhook_rotate_secret",
    views_webhooks.webhook_rotate_secret,
    methods=["POST"],
)
bp.add_url_rule(
    f"{WEBHOOK}/deliveries",
    "webhook_deliveries",
    views_webhooks.webhook_deliveries,
    methods=["GET"],
)
bp.add_url_rule(
    f"{WEBHOOK}/deliveries/<id:delivery_id>/redeliver",
    "webhook_redeliver",
    views_webhooks.webhook_redeliver,
    methods=["POST"],
)
