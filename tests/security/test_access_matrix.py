"""Every route × every identity, written down as data.

Columns follow ``IDENTITIES``: anonymous, retailer of A, retailer of B, rep of A, a rep
not of A, warehouse, admin. Every URL parameter names one of account A's objects, so a
``N`` (404) in a B column means "out of scope, and not even told it exists".

  L  redirected to the login page        F  403, the role may not use this area
  N  404, the object is out of scope     Y  reached the view (any answer below 500)
  U  401, no valid API token

``Y`` on an unsafe route with an empty form is usually 400/409/422: the view ran and
refused the input. Some rows worth knowing: warehouse staff find any RMA by number, so
they read RMA pages, labels and photos of every account; ``auth.logout`` sends everyone
to the login page (``profile.sign_out_everywhere`` sends its users to the start page,
which then does), and so does ``auth.switch_language`` when it is given no page to go
back to; ``mail_sink.show`` is the admin's development mail viewer, 404 for a message
that does not exist; ``health.check`` is the load balancers' probe, open to all;
``held.*`` is the held-apart queue: the account's rep (or an admin) decides, the warehouse
(or an admin) ships back; ``rmas.feedback`` is the survey of a resolved RMA, answered by the
account's retailer users only (staff read the answer on the RMA page, and the results
under ``analytics.feedback``). ``api.*`` is the
JSON API: each identity asks it with its own token holding every scope its role may hold
(tests/security/helpers.py), so ``F`` there is a scope the role can never have (warehouse
staff have no accounts or ledger) or a write the role's pages do not offer (requests are
the retailer's and the rep's, transitions staff's); the API's writes answer the empty form
posted here 415 (not JSON) before they load the RMA, so B's 404s for them are asserted in
tests/portal/api/test_writes.py and test_transitions.py; a session cookie alone is a 401
(tests/portal/api/test_auth.py). ``api_docs.*`` describes the API and is open to all;
``api_tokens.revoke`` names account A's retailer's token, which only they and admins may
revoke; ``api_tokens.integration_create`` makes integration tokens: admins' (the
distributor's or any account's) and retailer users' (their own account's).
``assistant.*`` is the rotation assistant: a retailer's own account, a rep's assigned ones
(``assistant.home`` sends a rep to their accounts); admins and warehouse staff draft no
rotations, so it is closed to them.
``webhooks.*`` are the distributor's webhook subscriptions: admins only, and over the API
(``api.webhook*``) admins' tokens, the only ones of these identities that may hold
``webhooks:manage`` (a distributor integration token may too: tests/portal/api/
test_webhooks_api.py). ``api.webhook_delete`` deletes a second subscription.
"""

from __future__ import annotations

import pytest

from tests.security.helpers import ACCOUNT_A_NAME, IDENTITIES
from tests.security.routes import (
    api_headers,
    fill,
    ordered_routes,
    outcome,
    query_for,
    routes,
)
from tests.support import sign_in

CODES = {"L": "login", "F": "403", "N": "404", "Y": "ok", "U": "401"}

MATRIX = {
    "admin.account GET": "L F F F F F Y",
    "admin.account_address GET": "L F F F F F Y",
    "admin.account_address POST": "L F F F F F Y",
    "admin.account_language GET": "L F F F F F Y",
    "admin.account_language POST": "L F F F F F Y",
    "admin.account_tax GET": "L F F F F F Y",
    "admin.account_tax POST": "L F F F F F Y",
    "admin.home GET": "L F F F F F Y",
    "admin.imports GET": "L F F F F F Y",
    "admin.imports POST": "L F F F F F Y",
    "admin.products GET": "L F F F F F Y",
    "admin.replacement_orders GET": "L F F F F F Y",
    "admin.replacement_orders_export POST": "L F F F F F Y",
    "admin.rma_lines_csv GET": "L F F F F F Y",
    "admin.rma_resolve GET": "L F F F F F Y",
    "admin.rma_resolve POST": "L F F F F F Y",
    "admin.rmas GET": "L F F F F F Y",
    "admin.rmas_csv GET": "L F F F F F Y",
    "admin.rmas_json GET": "L F F F F F Y",
    "admin.risk_signals GET": "L F F F F F Y",
    "admin.risk_signals POST": "L F F F F F Y",
    "admin.settings GET": "L F F F F F Y",
    "admin.settings POST": "L F F F F F Y",
    "admin.user_active POST": "L F F F F F Y",
    "admin.user_create GET": "L F F F F F Y",
    "admin.user_create POST": "L F F F F F Y",
    "admin.user_password GET": "L F F F F F Y",
    "admin.user_password POST": "L F F F F F Y",
    "admin.users GET": "L F F F F F Y",
    "analytics.home GET": "L F F Y Y F Y",
    "api.account_get GET": "U Y N Y N F Y",
    "api.accounts_list GET": "U Y Y Y Y F Y",
    "api.ledger_export GET": "U Y N Y N F Y",
    "api.ledger_list GET": "U Y N Y N F Y",
    "api.orders_import POST": "U F F F F F Y",
    "api.policy_check POST": "U Y Y Y Y F Y",
    "api.products_list GET": "U Y Y Y Y Y Y",
    "api.rma_create POST": "U Y Y Y Y F F",
    "api.rma_get GET": "U Y N Y N Y Y",
    "api.rma_lines_add POST": "U Y Y Y Y F F",
    "api.rma_submit POST": "U Y Y Y Y F F",
    "api.rma_transition POST": "U F F Y Y Y Y",
    "api.rmas_export GET": "U Y Y Y Y Y Y",
    "api.rmas_list GET": "U Y Y Y Y Y Y",
    "api.return_types_list GET": "U Y Y Y Y Y Y",
    "api.webhook_change PATCH": "U F F F F F Y",
    "api.webhook_create POST": "U F F F F F Y",
    "api.webhook_delete DELETE": "U F F F F F Y",
    "api.webhook_deliveries GET": "U F F F F F Y",
    "api.webhook_get GET": "U F F F F F Y",
    "api.webhook_redeliver POST": "U F F F F F Y",
    "api.webhook_rotate_secret POST": "U F F F F F Y",
    "api.webhooks_list GET": "U F F F F F Y",
    "api_docs.docs GET": "Y Y Y Y Y Y Y",
    "api_docs.openapi GET": "Y Y Y Y Y Y Y",
    "api_tokens.create POST": "L Y Y Y Y Y Y",
    "api_tokens.index GET": "L Y Y Y Y Y Y",
    "api_tokens.integration_create POST": "L Y Y F F F Y",
    "api_tokens.revoke POST": "L Y N N N N Y",
    "analytics.returns GET": "L F F Y Y F Y",
    "analytics.process GET": "L F F Y Y F Y",
    "analytics.process_csv GET": "L F F Y Y F Y",
    "analytics.returns_csv GET": "L F F Y Y F Y",
    "analytics.feedback GET": "L F F Y Y F Y",
    "analytics.feedback_csv GET": "L F F Y Y F Y",
    "approvals.bulk_approve POST": "L F F Y Y F Y",
    "approvals.decision POST": "L F F Y N F Y",
    "approvals.queue GET": "L F F Y Y F Y",
    "assistant.account GET": "L Y N Y N F F",
    "assistant.draft POST": "L Y N Y N F F",
    "assistant.home GET": "L Y Y Y Y F F",
    "auth.index GET": "L Y Y Y Y Y Y",
    "auth.login GET": "Y Y Y Y Y Y Y",
    "auth.login POST": "Y Y Y Y Y Y Y",
    "auth.logout POST": "L L L L L L L",
    "auth.switch_language POST": "L L L L L L L",
    "credits.account GET": "L Y N Y N F Y",
    "credits.account_csv GET": "L Y N Y N F Y",
    "credits.account_json GET": "L Y N Y N F Y",
    "credits.home GET": "L Y Y Y Y F Y",
    "credits.memo GET": "L Y N Y N F Y",
    "credits.refund GET": "L F F F F F Y",
    "credits.refund POST": "L F F F F F Y",
    "credits.reverse GET": "L F F F F F Y",
    "credits.reverse POST": "L F F F F F Y",
    "designer.chain_save POST": "L F F F F F Y",
    "designer.diff GET": "L F F F F F Y",
    "designer.discard POST": "L F F F F F Y",
    "designer.editor GET": "L F F F F F Y",
    "designer.export GET": "L F F F F F Y",
    "designer.history GET": "L F F F F F Y",
    "designer.home GET": "L F F F F F Y",
    "designer.import_workflow GET": "L F F F F F Y",
    "designer.import_workflow POST": "L F F F F F Y",
    "designer.policy GET": "L F F F F F Y",
    "designer.policy POST": "L F F F F F Y",
    "designer.policy_check POST": "L F F F F F Y",
    "designer.policy_diff GET": "L F F F F F Y",
    "designer.policy_history GET": "L F F F F F Y",
    "designer.policy_restore POST": "L F F F F F Y",
    "designer.publish POST": "L F F F F F Y",
    "designer.publish GET": "L F F F F F Y",
    "designer.ref_row GET": "L F F F F F Y",
    "designer.restore POST": "L F F F F F Y",
    "designer.return_type_archive POST": "L F F F F F Y",
    "designer.return_type_create GET": "L F F F F F Y",
    "designer.return_type_create POST": "L F F F F F Y",
    "designer.return_type_edit GET": "L F F F F F Y",
    "designer.return_type_edit POST": "L F F F F F Y",
    "designer.simulate_page GET": "L F F F F F Y",
    "designer.simulate_page POST": "L F F F F F Y",
    "designer.state_add POST": "L F F F F F Y",
    "designer.state_initial POST": "L F F F F F Y",
    "designer.state_remove POST": "L F F F F F Y",
    "designer.state_update POST": "L F F F F F Y",
    "designer.transition_add POST": "L F F F F F Y",
    "designer.transition_move POST": "L F F F F F Y",
    "designer.transition_remove POST": "L F F F F F Y",
    "designer.transition_update POST": "L F F F F F Y",
    "designer.workflow_create GET": "L F F F F F Y",
    "designer.workflow_create POST": "L F F F F F Y",
    "health.check GET": "Y Y Y Y Y Y Y",
    "held.decide POST": "L F F Y N F Y",
    "held.queue GET": "L F F Y Y Y Y",
    "held.shipped POST": "L F F F N Y Y",
    "mail_sink.index GET": "L F F F F F Y",
    "mail_sink.show GET": "L F F F F F N",
    "mail_sink.show_html GET": "L F F F F F N",
    "notifications.index GET": "L Y Y Y Y Y Y",
    "notifications.mark_all_read POST": "L Y Y Y Y Y Y",
    "notifications.mark_read POST": "L Y N N N N N",
    "notifications.open_notification POST": "L Y N N N N N",
    "outbox.index GET": "L F F F F F Y",
    "outbox.retry POST": "L F F F F F Y",
    "outbox.retry_parked POST": "L F F F F F Y",
    "profile.change_password POST": "L Y Y Y Y Y Y",
    "profile.save_preferences POST": "L Y Y Y Y Y Y",
    "profile.show GET": "L Y Y Y Y Y Y",
    "profile.sign_out_everywhere POST": "L Y Y Y Y Y Y",
    "reps.account GET": "L F F Y N F F",
    "reps.home GET": "L F F Y Y F F",
    "requests.create POST": "L Y Y Y Y F F",
    "requests.discard POST": "L Y N Y N F F",
    "requests.draft GET": "L Y N Y N F F",
    "requests.exception_request POST": "L Y N Y N F F",
    "requests.exception_withdraw POST": "L Y N Y N F F",
    "requests.history GET": "L Y N Y N F F",
    "requests.index GET": "L Y Y Y Y F F",
    "requests.index_csv GET": "L Y Y Y Y F F",
    "requests.index_json GET": "L Y Y Y Y F F",
    "requests.line_remove POST": "L Y N Y N F F",
    "requests.line_update POST": "L Y N Y N F F",
    "requests.lines_add POST": "L Y N Y N F F",
    "requests.photo_remove POST": "L Y N Y N F F",
    "requests.photos_add POST": "L Y N Y N F F",
    "requests.replacement_search GET": "L Y N Y N F F",
    "requests.replacements_set POST": "L Y N Y N F F",
    "requests.start GET": "L Y Y Y Y F F",
    "requests.submit POST": "L Y N Y N F F",
    "retailer.home GET": "L Y Y F F F F",
    "rmas.action POST": "L Y N Y N Y Y",
    "rmas.attachment GET": "L Y N Y N Y Y",
    "rmas.detail GET": "L Y N Y N Y Y",
    "rmas.feedback GET": "L Y N F F F F",
    "rmas.feedback POST": "L Y N F F F F",
    "rmas.label GET": "L Y N Y N Y Y",
    "rmas.message_post POST": "L Y N Y N Y Y",
    "warehouse.action POST": "L F F F F Y Y",
    "warehouse.correct POST": "L F F F F Y Y",
    "warehouse.awaiting GET": "L F F F F Y Y",
    "warehouse.b_stock GET": "L F F F F Y Y",
    "warehouse.b_stock_csv GET": "L F F F F Y Y",
    "warehouse.grade POST": "L F F F F Y Y",
    "warehouse.home GET": "L F F F F Y Y",
    "warehouse.inspection_queue GET": "L F F F F Y Y",
    "warehouse.receive_post POST": "L F F F F Y Y",
    "warehouse.receiving GET": "L F F F F Y Y",
    "warehouse.rma GET": "L F F F F Y Y",
    "warehouse.unexpected_row GET": "L F F F F Y Y",
    "webhooks.create POST": "L F F F F F Y",
    "webhooks.delete POST": "L F F F F F Y",
    "webhooks.index GET": "L F F F F F Y",
    "webhooks.redeliver POST": "L F F F F F Y",
    "webhooks.rotate POST": "L F F F F F Y",
    "webhooks.set_active POST": "L F F F F F Y",
    "webhooks.subscription GET": "L F F F F F Y",
}

B_SIDE = ("retailer_b", "rep_other")


def expected(endpoint: str, method: str, identity: str) -> str:
    return CODES[MATRIX[f"{endpoint} {method}"].split()[IDENTITIES.index(identity)]]


def test_every_route_is_in_the_matrix(world_app):
    registered = {f"{endpoint} {method}" for endpoint, method, _rule in routes(world_app)}
    assert registered - MATRIX.keys() == set(), "new routes need a row in MATRIX"
    assert MATRIX.keys() - registered == set(), "MATRIX names routes that no longer exist"
    assert all(len(row.split()) == len(IDENTITIES) for row in MATRIX.values())


def _id(user) -> int | None:
    return None if user is None else user.id


def _fetch(client, url: str, method: str = "GET", headers: dict | None = None):
    response = client.open(url, method=method, data={}, headers=headers or {})
    response.get_data()  # streamed CSV responses hold their context until read
    response.close()
    return response


def _leaks(response, world) -> list[str]:
    body = response.get_data()
    secrets = [ACCOUNT_A_NAME, *world.rma_numbers]
    return [secret for secret in secrets if secret.encode() in body]


@pytest.mark.parametrize("identity", IDENTITIES)
def test_access_matrix(world_app, world, identity):
    client = sign_in(world_app.test_client(), _id(world.users[identity]))
    wrong, shown = [], 0
    for endpoint, method, rule in ordered_routes(world_app):
        url = fill(rule, world) + query_for(endpoint, world)
        response = _fetch(client, url, method, api_headers(world, identity, url))
        shown += bool(response.status_code < 300 and _leaks(response, world))
        got, want = outcome(response), expected(endpoint, method, identity)
        if got != want:
            wrong.append(
                f"{method} {url} ({endpoint}): {got} ({response.status_code}), want {want}"
            )
        if identity in B_SIDE and response.status_code < 300 and _leaks(response, world):
            wrong.append(f"{method} {url} shows account A's data: {_leaks(response, world)}")
    assert wrong == []
    if identity in ("retailer_a", "rep_a", "admin"):
        assert shown >= 5  # the leak check looks for what A's own people do see


@pytest.mark.parametrize("identity", B_SIDE)
def test_b_never_finds_a_through_searches_and_filters(world_app, world, identity):
    """Every page B may open, asked with A's RMA number and account id as filters.

    A search box may echo the number typed into it, so here a leak is A's name, a link to
    the RMA, or any of A's other RMA numbers.
    """
    client = sign_in(world_app.test_client(), _id(world.users[identity]))
    number = world.rmas["awaiting"].number
    query = f"?q={number}&number={number}&account={world.account.id}"
    query += f"&account_id={world.account.id}&page=1"
    secrets = [ACCOUNT_A_NAME, f"/{number}", *(n for n in world.rma_numbers if n != number)]
    opened = 0
    for endpoint, method, rule in routes(world_app):
        if method != "GET" or expected(endpoint, method, identity) != "ok":
            continue
        for headers in ({}, {"HX-Request": "true"}):
            url = fill(rule, world) + query_for(endpoint, world)
            url += ("&" if "?" in url else "?") + query[1:]
            response = client.get(url, headers={**headers, **api_headers(world, identity, url)})
            body = response.get_data(as_text=True)
            response.close()
            assert response.status_code < 500, endpoint
            assert [s for s in secrets if s in body] == [], (endpoint, headers)
        opened += 1
    assert opened >= 5
