"""The credit memo PDF: letterhead, both VAT numbers, tax lines at the account's rate,
the account's currency, and the document kind in the title."""

from __future__ import annotations

from decimal import Decimal

from models import CreditMemo, CreditMemoLine, DistributorProfile, Role
from portal.credits import documents
from tests.factories import (
    make_account,
    make_distributor_profile,
    make_retailer,
    make_rma,
    make_user,
)
from tests.portal.credits.helpers import pdf_text, regrade_used_as_new


def _letterhead(session) -> DistributorProfile:
    return make_distributor_profile(session)


def test_memo_has_letterhead_vat_numbers_and_tax_lines(
    db_session, client, login_as, shop, awaiting
):
    from tests.portal.admin.flows import resolve

    _letterhead(db_session)
    account = shop["account"]
    account.vat_number = "DE123456789"
    account.tax_rate_percent = Decimal("19")
    resolve(db_session, awaiting, shop)
    account.tax_rate_percent = Decimal("7")  # a later change never alters an issued memo
    db_session.flush()
    memo = documents.credit_memo_of(db_session, awaiting)
    login_as(shop["retailer"])
    text = pdf_text(client.get(f"/credits/memos/{memo.number}.pdf"))
    for expected in (
        "Nordwind Optik Vertrieb GmbH",
        "Speicherstraße 12",
        "20457 Hamburg · DE",
        "VAT number DE287654321",
        "Account VAT number DE123456789",
        "Credit memo",
        memo.number,
        awaiting.number,
        # 188.66 net; 19 % of it is 35.8454, rounded once: 35.85.
        "Net 188.66",
        "VAT 19 % 35.85",
        "Total incl. VAT (EUR) 224.51",
    ):
        assert expected in text, expected


def test_adjustment_and_reversal_say_what_they_are(
    db_session, client, login_as, shop, awaiting, credited
):
    regrade_used_as_new(db_session, awaiting)
    adjustment = documents.issue_adjustment(db_session, awaiting, shop["admin"], "Regraded")
    reversal = documents.reverse_memo(db_session, credited, shop["admin"], "Wrong account")
    login_as(shop["admin"])
    text = pdf_text(client.get(f"/credits/memos/{adjustment.number}.pdf"))
    assert text.startswith("Credit adjustment") or "Credit adjustment" in text
    assert f"Original document {credited.number}" in text and "Reason Regraded" in text
    assert "Total credit (EUR) 12.00" in text
    text = pdf_text(client.get(f"/credits/memos/{reversal.number}.pdf"))
    assert f"Reversal of {credited.number}" in text and "Reason Wrong account" in text
    assert "Total credit (EUR) -200.66" in text and "VAT 0 % 0.00" in text


def test_amounts_use_the_currencys_minor_unit(db_session, client, login_as, shop):
    yen = make_account(db_session, currency="JPY", tax_rate_percent=Decimal("10"))
    rma = make_rma(db_session, yen, shop["version"], state="credited")
    memo = CreditMemo(
        number="CM-2026-000777",
        rma_id=rma.id,
        account_id=yen.id,
        currency="JPY",
        amount=Decimal("18405"),
        tax_rate_percent=Decimal("10"),
    )
    db_session.add(memo)
    db_session.flush()
    db_session.add(
        CreditMemoLine(
            credit_memo_id=memo.id,
            description="AUR-1 Aurelo Paola — New",
            quantity=3,
            gross=Decimal("18405"),
            restocking_fee=Decimal(0),
            grade_deduction=Decimal(0),
            exchange_bonus=Decimal(0),
            amount=Decimal("18405"),
        )
    )
    db_session.flush()
    login_as(make_retailer(db_session, yen))
    text = pdf_text(client.get(f"/credits/memos/{memo.number}.pdf"))
    # 10 % of 18,405 is 1,840.5: rounded half up to the yen.
    assert "Net 18,405" in text and "VAT 10 % 1,841" in text
    assert "Total incl. VAT (JPY) 20,246" in text
    assert ".00" not in text
    login_as(make_user(db_session, Role.WAREHOUSE))
    assert client.get(f"/credits/memos/{memo.number}.pdf").status_code == 403
