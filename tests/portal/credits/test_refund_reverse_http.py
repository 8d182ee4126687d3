"""Recording a refund and reversing a memo through HTTP: admins only, and every bad input
answered with a clear message that changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models import CreditMemo, LedgerEntry, MemoKind, Refund, RmaEvent

GOOD = {"method": "bank_transfer", "reference": "SEPA-4711", "paid_on": "2026-12-01"}


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_an_admin_records_a_refund_from_the_ledger(db_session, client, login_as, shop, refundable):
    login_as(shop["admin"])
    url = f"/credits/memos/{refundable.number}/refund"
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="188.66"' in form.get_data(as_text=True)  # the unpaid amount by default
    response = client.post(url, data={**GOOD, "amount": "100.00"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/credits/accounts/{shop['account'].id}")
    refund = db_session.scalar(select(Refund))
    assert (refund.amount, refund.reference, str(refund.paid_on)) == (
        Decimal("100.00"),
        "SEPA-4711",
        "2026-12-01",
    )
    page = client.get(f"/credits/accounts/{shop['account'].id}").get_data(as_text=True)
    assert refund.number in page and "−€100.00" in page and "+€88.66" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "188.67"}, "more than the 188.66 EUR left unpaid"),
        ({"amount": "-5"}, "more than zero"),
        ({"amount": "0"}, "more than zero"),
        ({"amount": "abc"}, "Not a valid decimal value"),
        ({"amount": "NaN"}, "more than zero"),
        ({"amount": "1e999"}, "too large"),
        ({"amount": "10.001"}, "at most 2 decimals"),
        ({"reference": ""}, "Give the payment's reference."),
        ({"reference": "SEPA\x00"}, "be stored"),
        ({"method": "bitcoin"}, "Not a valid choice"),
        ({"paid_on": "yesterday"}, "Give the date it was paid."),
        ({"paid_on": "1850-01-01"}, "Give a date between"),
    ],
)
def test_bad_refund_input_changes_nothing(
    db_session, client, login_as, shop, refundable, changes, message
):
    login_as(shop["admin"])
    entries = _count(db_session, LedgerEntry)
    response = client.post(f"/credits/memos/{refundable.number}/refund", data={**GOOD, **changes})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db_session, Refund) == 0
    assert _count(db_session, LedgerEntry) == entries


def test_a_credit_resolution_is_not_refunded(db_session, client, login_as, shop, credited):
    login_as(shop["admin"])
    response = client.post(f"/credits/memos/{credited.number}/refund", data=GOOD)
    assert response.status_code == 422
    assert "was not resolved as a refund" in response.get_data(as_text=True)
    assert _count(db_session, Refund) == 0


@pytest.mark.parametrize(
    "number", ["CM-2026-999999", "CM-2026-" + "9" * 40, "nonsense", "CM%00", "-1"]
)
def test_unknown_memos_are_404(client, login_as, shop, credited, number):
    login_as(shop["admin"])
    for action in ("refund", "reverse"):
        assert client.get(f"/credits/memos/{number}/{action}").status_code == 404
        assert client.post(f"/credits/memos/{number}/{action}", data=GOOD).status_code == 404
    assert client.get(f"/credits/memos/{number}.pdf").status_code == 404


def test_only_admins_record_refunds_and_reverse(client, login_as, shop, refundable):
    for user in (shop["retailer"], shop["rep"]):
        login_as(user)
        for action in ("refund", "reverse"):
            url = f"/credits/memos/{refundable.number}/{action}"
            assert client.get(url).status_code == 403
            assert client.post(url, data={**GOOD, "reason": "x"}).status_code == 403


def test_an_admin_reverses_a_memo_once(db_session, client, login_as, shop, awaiting, credited):
    login_as(shop["admin"])
    url = f"/credits/memos/{credited.number}/reverse"
    assert "€188.66" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"reason": "Credited the wrong account"})
    assert response.status_code == 303
    reversal = db_session.scalar(select(CreditMemo).where(CreditMemo.kind == MemoKind.REVERSAL))
    assert reversal.amount == Decimal("-188.66") and reversal.original_memo_id == credited.id
    assert reversal.reason == "Credited the wrong account"
    event = db_session.scalar(select(RmaEvent).where(RmaEvent.trigger == "reversal_issued"))
    assert event.rma_id == awaiting.id
    again = client.post(url, data={"reason": "Again"})
    assert again.status_code == 422
    assert "has already been reversed" in again.get_data(as_text=True)
    assert _count(db_session, CreditMemo) == 2


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Give a reason"), ("   ", "Give a reason"), ("a\x00b", "be stored"), ("x" * 501, "")],
)
def test_a_reversal_needs_a_plain_reason(
    db_session, client, login_as, shop, credited, reason, message
):
    login_as(shop["admin"])
    response = client.post(f"/credits/memos/{credited.number}/reverse", data={"reason": reason})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db_session, CreditMemo) == 1


def test_the_rma_page_leads_admins_to_its_documents(client, login_as, shop, awaiting, refundable):
    login_as(shop["admin"])
    html = client.get(f"/rmas/{awaiting.number}").get_data(as_text=True)
    link = f"/credits/accounts/{shop['account'].id}?q={awaiting.number}"
    assert link in html and "record the payout" in html
    ledger = client.get(link).get_data(as_text=True)
    assert f"/credits/memos/{refundable.number}/refund" in ledger
    login_as(shop["retailer"])
    assert link not in client.get(f"/rmas/{awaiting.number}").get_data(as_text=True)


def test_documents_appear_on_the_rmas_timeline(
    db_session, client, login_as, shop, awaiting, credited
):
    from portal.credits import documents
    from tests.portal.credits.helpers import regrade_used_as_new

    regrade_used_as_new(db_session, awaiting)
    adjustment = documents.issue_adjustment(db_session, awaiting, shop["admin"], "Used was new")
    login_as(shop["retailer"])
    html = client.get(f"/rmas/{awaiting.number}").get_data(as_text=True)
    assert f"Credit adjustment {adjustment.number} issued" in html and "Used was new" in html


def test_an_unresolved_rma_has_no_credit_documents_card(
    db_session, client, login_as, shop, awaiting
):
    awaiting.resolution = awaiting.requested_resolution = "credit"  # as submitted
    db_session.flush()
    login_as(shop["admin"])
    html = client.get(f"/rmas/{awaiting.number}").get_data(as_text=True)
    assert "Credit documents" not in html and "Correct the receipt or grades" not in html
