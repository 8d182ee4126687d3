"""The distributor profile and an account's tax details: admin forms and the ERP import."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import DistributorProfile, RetailerAccount
from models.distributor import PROFILE_ID
from portal.erp import import_csv

PROFILE = {
    "legal_name": "Nordwind Optik Vertrieb GmbH",
    "street": "Speicherstraße 12",
    "postal_code": "20457",
    "city": "Hamburg",
    "country": "DE",
    "vat_number": "DE287654321",
    "email": "buchhaltung@nordwind.example.com",
}


def test_an_admin_enters_and_edits_the_distributor_profile(db_session, client, login_as, shop):
    login_as(shop["admin"])
    assert client.get("/admin/settings").status_code == 200
    assert client.post("/admin/settings", data=PROFILE).status_code == 303
    assert client.post("/admin/settings", data={**PROFILE, "city": "Kiel"}).status_code == 303
    profiles = db_session.scalars(select(DistributorProfile)).all()
    assert [(p.id, p.legal_name, p.city) for p in profiles] == [
        (PROFILE_ID, "Nordwind Optik Vertrieb GmbH", "Kiel")
    ]
    assert 'value="Kiel"' in client.get("/admin/settings").get_data(as_text=True)


@pytest.mark.parametrize(
    "changes",
    [{"legal_name": ""}, {"country": "Germany"}, {"email": "nope"}, {"vat_number": "DE\x00"}],
)
def test_a_bad_profile_changes_nothing(db_session, client, login_as, shop, changes):
    login_as(shop["admin"])
    response = client.post("/admin/settings", data={**PROFILE, **changes})
    assert response.status_code == 422 and 'class="error"' in response.get_data(as_text=True)
    assert db_session.get(DistributorProfile, PROFILE_ID) is None


def test_an_admin_sets_an_accounts_vat_number_and_rate(db_session, client, login_as, shop):
    login_as(shop["admin"])
    account = shop["account"]
    url = f"/admin/accounts/{account.id}/tax"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"vat_number": "DE123456789", "tax_rate_percent": "19"})
    assert response.status_code == 303
    db_session.refresh(account)
    assert (account.vat_number, account.tax_rate_percent) == ("DE123456789", Decimal("19"))
    assert "DE123456789" in client.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    zero = client.post(url, data={"vat_number": "", "tax_rate_percent": "0"})
    assert zero.status_code == 303
    db_session.refresh(account)
    assert (account.vat_number, account.tax_rate_percent) == (None, Decimal("0"))


@pytest.mark.parametrize("rate", ["101", "-1", "abc", "", "NaN", "7.125", "1e9"])
def test_a_bad_tax_rate_changes_nothing(db_session, client, login_as, shop, rate):
    login_as(shop["admin"])
    account = shop["account"]
    response = client.post(
        f"/admin/accounts/{account.id}/tax", data={"vat_number": "X", "tax_rate_percent": rate}
    )
    assert response.status_code == 422
    db_session.refresh(account)
    assert (account.vat_number, account.tax_rate_percent) == (None, Decimal("0"))


def test_huge_account_ids_are_404(client, login_as, shop):
    login_as(shop["admin"])
    assert client.get("/admin/accounts/99999999999999999999/tax").status_code == 404


def _import(session, *lines: str):
    return import_csv(session, "accounts", io.StringIO("\n".join(lines) + "\n", newline=""))


def test_the_accounts_import_reads_vat_number_and_tax_rate(db_session):
    header = "account_number,name,country,currency,vat_number,tax_rate_percent"
    result = _import(
        db_session, header, "C100,Optik Meyer,DE,EUR,DE123456789,19", "C101,Moreau,FR,EUR,,"
    )
    assert result.ok, result.error_lines()
    meyer, moreau = db_session.scalars(select(RetailerAccount).order_by(RetailerAccount.number))
    assert (meyer.vat_number, meyer.tax_rate_percent) == ("DE123456789", Decimal("19"))
    assert (moreau.vat_number, moreau.tax_rate_percent) == (None, Decimal("0"))
    # Left out of a later file, the columns keep what is stored.
    again = _import(db_session, "account_number,name,country,currency", "C100,Optik M,DE,EUR")
    assert again.ok
    db_session.refresh(meyer)
    assert (meyer.name, meyer.tax_rate_percent) == ("Optik M", Decimal("19"))


def test_the_accounts_import_refuses_a_rate_above_100(db_session):
    result = _import(
        db_session,
        "account_number,name,country,currency,tax_rate_percent",
        "C100,Optik Meyer,DE,EUR,120",
    )
    assert not result.ok
    assert "120 is more than 100 percent" in " ".join(result.error_lines())
    assert db_session.scalar(select(RetailerAccount)) is None


def test_the_accounts_import_refuses_nul_characters(db_session):
    result = _import(
        db_session, "account_number,name,country,currency,vat_number", "C100,Meyer,DE,EUR,DE\x00"
    )
    assert not result.ok
    assert "contains a NUL character" in " ".join(result.error_lines())
    assert db_session.scalar(select(RetailerAccount)) is None
