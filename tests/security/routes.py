"""Filling every route of the URL map with account A's objects, and classifying answers."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import Rule

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

# Which of A's RMAs each endpoint is asked about (the first that makes the route meaningful).
RMA_FOR = {
    "approvals.decision": "approval",
    "admin.rma_resolve": "credited",
    "rmas.attachment": "draft",
    "rmas.feedback": "credited",  # resolved: its survey is open
}


def rma_for(endpoint: str, world):
    if endpoint in RMA_FOR:
        return world.rmas[RMA_FOR[endpoint]]
    if endpoint.startswith("requests."):
        return world.rmas["draft"]
    return world.rmas["awaiting"]


def fill(rule: Rule, world) -> str:
    """The rule's URL with every parameter naming one of account A's objects."""
    rma = rma_for(rule.endpoint, world)
    values = {
        "number": rma.number,
        "account_id": world.account.id,
        "line_id": rma.lines[0].id,
        "kind": "lines",
        "target_id": rma.lines[0].id,
        "attachment_id": world.attachment_id,
        "notification_id": world.notification_id,
        "message_id": world.outbox_id,
        "user_id": world.users["retailer_a"].id,
        "workflow_id": world.version.workflow_id,
        "return_type_id": world.return_type.id,
        "index": 0,
        "name": "draft",
        "view": "account",
        "subscription_id": world.webhook_id,
        "delivery_id": world.webhook_delivery_id,
    }
    if rule.endpoint in ("credits.memo", "credits.refund", "credits.reverse"):
        values["number"] = world.memo_number
    if rule.endpoint in ("designer.restore", "designer.policy_restore"):
        values["number"] = 1
    if rule.endpoint.startswith("analytics.process"):
        values["view"] = "allowance"  # the process view that names accounts
    if rule.endpoint.startswith("analytics.feedback"):
        values["view"] = "rep"
    if rule.endpoint.startswith("mail_sink."):
        values["name"] = "no-such-message"
    if rule.endpoint == "api.webhook_delete":
        values["subscription_id"] = world.api_webhook_id
    if rule.endpoint == "api_tokens.revoke":
        values["token_id"] = world.api_token_ids["retailer_a"]
    return rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]


def query_for(endpoint: str, world) -> str:
    """The query a route needs to name one of account A's objects (none for most)."""
    if endpoint in ("api.ledger_list", "api.ledger_export"):
        return f"?account={world.account.id}"  # the ledger of one account
    return ""


def api_headers(world, identity: str, url: str) -> dict[str, str]:
    """The identity's API token for an API URL (the API reads no session cookie)."""
    if not url.startswith("/api/v1/") or identity not in world.api_tokens:
        return {}
    return {"Authorization": f"Bearer {world.api_tokens[identity]}"}


def routes(app: Flask) -> list[tuple[str, str, Rule]]:
    """(endpoint, method, rule) for every route and method the app answers, static aside."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule))
    return sorted(found, key=lambda item: (item[0], item[1]))


def outcome(response) -> str:
    """``login``, ``403``, ``404``, or ``ok`` (reached the view: any other answer below 500)."""
    status = response.status_code
    if status in (302, 303) and "/login" in response.headers.get("Location", ""):
        return "login"
    if status in (401, 403, 404, 405):
        return str(status)
    if status >= 500:
        return f"error {status}"
    return "ok"


# Unsafe routes that remove what later requests name run last, in this order.
DESTRUCTIVE_LAST = (
    "webhooks.delete",
    "api.webhook_delete",
    "requests.photo_remove",
    "requests.line_remove",
    "requests.discard",
    "api_tokens.revoke",
    "admin.user_active",
    "auth.login",
    "profile.sign_out_everywhere",
    "auth.logout",
)


def ordered_routes(app: Flask) -> list[tuple[str, str, Rule]]:
    """Reads first, then changes, the destructive ones last."""

    def key(item):
        endpoint, method, _rule = item
        last = DESTRUCTIVE_LAST.index(endpoint) if endpoint in DESTRUCTIVE_LAST else -1
        return (method in UNSAFE, last, endpoint)

    return sorted(routes(app), key=key)
