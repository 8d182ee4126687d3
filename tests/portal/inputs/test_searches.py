"""Searches and filters read through forms: a control character or an over-long value in a
query is a field error on the page, never a 500 (PostgreSQL refuses NUL in a query)."""

from __future__ import annotations

import pytest

from models import Role
from tests.factories import make_user

SEARCHES = [
    "/admin/?q={}",
    "/admin/users?q={}",
    "/admin/products?q={}",
    "/admin/rmas?account={}",
    "/admin/rmas?state={}",  # a select that does not check its choices
    "/admin/rmas.csv?state={}",
    "/warehouse/?sku={}",
    "/warehouse/receive?q={}",
    "/warehouse/b-stock?sku={}",
]


@pytest.fixture
def admin(db_session, login_as):
    user = make_user(db_session, Role.ADMIN)
    login_as(user)
    return user


@pytest.mark.parametrize("url", SEARCHES)
@pytest.mark.parametrize("value", ["abc%00", "abc%1B", "a%0Ab"])
def test_a_control_character_in_a_search_is_a_field_error(client, admin, url, value):
    response = client.get(url.format(value))
    assert response.status_code < 500
    assert "can&#39;t be stored" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", [u for u in SEARCHES if "state=" not in u])
def test_an_over_long_search_is_a_field_error(client, admin, url):
    response = client.get(url.format("x" * 5000))
    assert response.status_code < 500
    html = response.get_data(as_text=True)
    assert "longer than" in html or "too long" in html


@pytest.mark.parametrize("email", ["a\x00@example.com", "a\x1b@example.com"])
def test_a_control_character_in_the_login_e_mail_is_a_field_error(client, email):
    response = client.post("/login", data={"email": email, "password": "whatever-it-is"})
    assert 400 <= response.status_code < 500 or response.status_code == 200
    assert "can&#39;t be stored" in response.get_data(as_text=True)
