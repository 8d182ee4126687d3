"""The RMA event log and the credit ledger are append-only, in the app and in the database.

tests/portal/admin/test_receiving_to_credit.py shows the database refusing UPDATE and
DELETE on ledger entries, UPDATE on memos and DELETE on memo lines, and
tests/test_audit_guards.py guards published workflow versions; here the remaining
statements (the event log above all), on both backends, and every route of the app.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from models import CreditMemo, CreditMemoLine, LedgerEntry, RmaEvent
from tests.security.helpers import table_rows
from tests.security.routes import fill, ordered_routes
from tests.support import sign_in

AUDITED = (RmaEvent, CreditMemo, CreditMemoLine, LedgerEntry)


@pytest.mark.parametrize("identity", ["admin", "warehouse", "rep_a", "retailer_a"])
def test_no_route_changes_or_removes_audit_rows(world_app, world, db_session, identity):
    before = table_rows(db_session, AUDITED)
    assert before["rma_events"] and before["credit_memos"] and before["ledger_entries"]
    client = sign_in(world_app.test_client(), world.users[identity].id)
    for endpoint, method, rule in ordered_routes(world_app):
        response = client.open(fill(rule, world), method=method, data={})
        response.get_data()
        response.close()
        assert response.status_code < 500, endpoint
    after = table_rows(db_session, AUDITED)
    for table, rows in before.items():
        assert {k: after[table].get(k) for k in rows} == rows, table


STATEMENTS = [
    "UPDATE rma_events SET comment = 'rewritten'",
    "UPDATE rma_events SET to_state = 'closed'",
    "DELETE FROM rma_events",
    "DELETE FROM credit_memos",
    "UPDATE credit_memo_lines SET amount = 0",
    "UPDATE ledger_entries SET description = 'hidden'",
]


@pytest.mark.parametrize("statement", STATEMENTS)
def test_the_database_refuses_to_rewrite_history(world, db_session, statement):
    with pytest.raises(DatabaseError, match="append-only"), db_session.begin_nested():
        db_session.execute(text(statement))
