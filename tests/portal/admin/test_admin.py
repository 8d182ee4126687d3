"""Admin pages: accounts, products, users."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Role, User
from portal.auth.passwords import verify_password
from tests.factories import make_account, make_product, make_retailer, make_user


@pytest.fixture
def admin(db_session, login_as):
    user = make_user(db_session, Role.ADMIN, name="Ada Admin")
    login_as(user)
    return user


def test_accounts_list_and_search(client, db_session, admin):
    rep = make_user(db_session, Role.SALES_REP, name="Rita Rep")
    make_account(db_session, sales_rep=rep, name="Optik Sonnenschein", number="DE-100")
    make_account(db_session, name="Lunettes Dupont", number="FR-200")
    page = client.get("/admin/").data
    assert b"Optik Sonnenschein" in page and b"Lunettes Dupont" in page and b"Rita Rep" in page
    found = client.get("/admin/?q=fr-2", headers={"HX-Request": "true"}).data
    assert b"Lunettes Dupont" in found and b"Sonnenschein" not in found


def test_products_list_and_search(client, db_session, admin):
    make_product(
        db_session,
        sku="AUR-52-BLK",
        brand="Aurora",
        model="Meridian",
        eye_size=52,
        bridge_size=18,
        temple_length=145,
    )
    make_product(db_session, sku="VEL-49-RED", brand="Velo", model="Sprint")
    page = client.get("/admin/products?q=aurora").data
    assert b"AUR-52-BLK" in page and b"52-18-145" in page and b"VEL-49-RED" not in page


def test_users_list(client, db_session, admin):
    make_retailer(db_session, email="shop@optik.example.com")
    page = client.get("/admin/users").data
    assert b"shop@optik.example.com" in page and b"Ada Admin" in page


def test_create_staff_user(client, db_session, admin):
    response = client.post(
        "/admin/users/new",
        data={
            "name": "Wes Warehouse",
            "email": "Wes@Example.com",
            "role": "warehouse",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 303
    user = db_session.scalar(select(User).where(User.email == "wes@example.com"))
    assert user.role is Role.WAREHOUSE and user.account_id is None
    assert verify_password(user.password_hash, "a-long-password")


def test_create_retailer_user_needs_an_existing_account(client, db_session, admin):
    account = make_account(db_session, number="AT-777")
    before = db_session.scalar(select(func.count(User.id)))
    missing = client.post(
        "/admin/users/new",
        data={
            "name": "R",
            "email": "r@example.org",
            "role": "retailer",
            "password": "a-long-password",
        },
    )
    assert missing.status_code == 422
    assert b"A retailer user needs the number of their account." in missing.data
    unknown = client.post(
        "/admin/users/new",
        data={
            "name": "R",
            "email": "r@example.org",
            "role": "retailer",
            "password": "a-long-password",
            "account_number": "NOPE",
        },
    )
    assert b"There is no retailer account numbered NOPE." in unknown.data
    assert db_session.scalar(select(func.count(User.id))) == before
    created = client.post(
        "/admin/users/new",
        data={
            "name": "R",
            "email": "r@example.org",
            "role": "retailer",
            "password": "a-long-password",
            "account_number": "AT-777",
        },
    )
    assert created.status_code == 303
    assert (
        db_session.scalar(select(User).where(User.email == "r@example.org")).account_id
        == account.id
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email"}, b"Invalid email address."),
        ({"password": "short"}, b"Field must be between 10 and 200 characters long."),
        ({"name": ""}, b"This field is required."),
        ({"account_number": "X-1"}, b"Only retailer users belong to an account."),
    ],
)
def test_create_user_rejects_bad_input(client, db_session, admin, data, message):
    form = {"name": "N", "email": "n@example.org", "role": "admin", "password": "a-long-password"}
    before = db_session.scalar(select(func.count(User.id)))
    response = client.post("/admin/users/new", data={**form, **data})
    assert response.status_code == 422
    assert message in response.data
    assert db_session.scalar(select(func.count(User.id))) == before


def test_duplicate_email_is_refused(client, db_session, admin):
    make_user(db_session, email="taken@example.org")
    response = client.post(
        "/admin/users/new",
        data={
            "name": "N",
            "email": "TAKEN@example.org",
            "role": "admin",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 422
    assert b"already exists" in response.data


def test_deactivate_and_reactivate(client, db_session, admin):
    user = make_user(db_session, Role.SALES_REP)
    assert client.post(f"/admin/users/{user.id}/active", data={"active": "0"}).status_code == 303
    db_session.refresh(user)
    assert user.is_active is False
    client.post(f"/admin/users/{user.id}/active", data={"active": "1"})
    db_session.refresh(user)
    assert user.is_active is True


def test_admin_cannot_deactivate_themselves(client, db_session, admin):
    response = client.post(
        f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True
    )
    assert b"You cannot deactivate yourself." in response.data
    db_session.refresh(admin)
    assert admin.is_active


def test_reset_password(client, db_session, admin):
    user = make_user(db_session)
    assert client.get(f"/admin/users/{user.id}/password").status_code == 200
    short = client.post(f"/admin/users/{user.id}/password", data={"password": "short"})
    assert short.status_code == 422
    response = client.post(f"/admin/users/{user.id}/password", data={"password": "new-password-1"})
    assert response.status_code == 303
    db_session.refresh(user)
    assert verify_password(user.password_hash, "new-password-1")


def test_unknown_user_is_404(client, admin):
    assert client.get("/admin/users/999999/password").status_code == 404
    assert client.post("/admin/users/999999/active", data={"active": "0"}).status_code == 404
