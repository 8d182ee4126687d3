"""Admins keep an account's street address: the sender block of its return labels."""

from __future__ import annotations

import pytest

from models import Role
from tests.factories import make_account, make_retailer, make_user


@pytest.fixture
def admin(db_session, login_as):
    user = make_user(db_session, Role.ADMIN, name="Ada Admin")
    login_as(user)
    return user


def test_a_new_account_has_an_empty_address_and_the_page_says_so(client, db_session, admin):
    account = make_account(db_session, name="Optik Sonnenschein")
    assert (account.street, account.postal_code, account.city) == ("", "", "")
    page = client.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    assert "Address: no street address yet" in page
    assert f'href="/admin/accounts/{account.id}/address"' in page
    assert "None" not in page.split('id="account-address"')[1].split("</p>")[0]


def test_the_admin_sets_and_changes_the_address(client, db_session, admin):
    account = make_account(db_session, name="Optik Sonnenschein")
    form = client.get(f"/admin/accounts/{account.id}/address").get_data(as_text=True)
    assert "Street and number" in form and "Postal code" in form and "City" in form
    response = client.post(
        f"/admin/accounts/{account.id}/address",
        data={"street": "  Friedrichstraße 123 ", "postal_code": "10117", "city": "Berlin"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/accounts/{account.id}"
    db_session.refresh(account)
    assert (account.street, account.postal_code, account.city) == (
        "Friedrichstraße 123",
        "10117",
        "Berlin",
    )
    page = client.get(f"/admin/accounts/{account.id}").get_data(as_text=True)
    assert "Address of Optik Sonnenschein saved." in page
    assert "Address: Friedrichstraße 123, 10117 Berlin" in page

    client.post(
        f"/admin/accounts/{account.id}/address",
        data={"street": "", "postal_code": "", "city": "Berlin"},
    )
    db_session.refresh(account)
    assert (account.street, account.postal_code, account.city) == ("", "", "Berlin")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("street", "x" * 201, "Field cannot be longer than 200 characters."),
        ("postal_code", "1" * 21, "Field cannot be longer than 20 characters."),
        ("city", "y" * 101, "Field cannot be longer than 100 characters."),
        ("street", "Haupt\x00straße 1", "can&#39;t be stored (control characters)."),
        ("city", "Ber\nlin", "can&#39;t be stored: write it on one line."),
    ],
)
def test_bad_input_is_refused_on_the_form_and_changes_nothing(
    client, db_session, admin, field, value, message
):
    account = make_account(db_session, street="Alte Straße 1", postal_code="10115", city="Berlin")
    data = {"street": "Neue Straße 2", "postal_code": "10117", "city": "Berlin", field: value}
    response = client.post(f"/admin/accounts/{account.id}/address", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db_session.refresh(account)
    assert (account.street, account.postal_code) == ("Alte Straße 1", "10115")


@pytest.mark.parametrize("account_id", ["99999999", "9" * 20, "0", "-1", "abc", "1%00"])
def test_an_unknown_account_is_404(client, admin, account_id):
    assert client.get(f"/admin/accounts/{account_id}/address").status_code == 404
    assert client.post(f"/admin/accounts/{account_id}/address", data={}).status_code == 404


def test_only_admins_edit_addresses(client, db_session, login_as):
    account = make_account(db_session)
    login_as(make_retailer(db_session, account))
    response = client.post(f"/admin/accounts/{account.id}/address", data={"street": "Hack 1"})
    assert response.status_code == 403
    db_session.refresh(account)
    assert account.street == ""
