"""The admin upload page for ERP imports."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from models import Product, Role
from tests.factories import make_retailer, make_user

GOOD = (
    "sku,brand,model,colour,size,category,list_price,lifecycle\n"
    "UP-1,Aurelo,Paola,Havana,50-16-140,optical,199.00,active\n"
    "UP-2,Aurelo,Paola,Havana,52-17-140,optical,199.00,clearance\n"
)
ONE_BAD_ROW = GOOD + "UP-3,Aurelo,Paola,Havana,52-x-140,optical,-5,active\n"


def upload(client, kind: str, content: bytes, name: str = "export.csv"):
    return client.post(
        "/admin/import",
        data={"kind": kind, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def admin(db_session, login_as):
    login_as(make_user(db_session, Role.ADMIN))


def product_count(session) -> int:
    return session.scalar(select(func.count(Product.id)))


def test_upload_imports_and_reports_counts(client, db_session, admin):
    response = upload(client, "products", GOOD.encode())
    assert response.status_code == 303
    assert product_count(db_session) == 2
    page = client.get(response.headers["Location"]).data
    assert b"2 created" in page


def test_a_bad_row_is_reported_with_its_row_and_column_and_nothing_changes(
    client, db_session, admin
):
    response = upload(client, "products", ONE_BAD_ROW.encode())
    assert response.status_code == 422
    assert b"Nothing was imported" in response.data
    assert b'<td class="num">4</td><td>size</td>' in response.data
    assert b'<td class="num">4</td><td>list_price</td>' in response.data
    assert product_count(db_session) == 0


def test_non_utf8_upload_is_refused_with_a_message(client, db_session, admin):
    response = upload(client, "products", GOOD.encode("utf-16"))
    assert response.status_code == 422
    assert b"UTF-8" in response.data
    assert product_count(db_session) == 0


def test_missing_file_is_reported(client, admin):
    response = client.post("/admin/import", data={"kind": "products"})
    assert response.status_code == 422
    assert b"Choose a CSV file to import." in response.data


def test_only_admins_may_import(client, db_session, login_as):
    login_as(make_retailer(db_session))
    assert upload(client, "products", GOOD.encode()).status_code == 403
    assert product_count(db_session) == 0


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("UP-3,Aure\x00lo,Paola,Havana,52-17-140,optical,199.00,active", "brand", "NUL"),
        ("UP-3,Aurelo,Pao\x1bla,Havana,52-17-140,optical,199.00,active", "model", "one line"),
        ('UP-3,Aurelo,Paola,"Hav\nana",52-17-140,optical,199.00,active', "colour", "one line"),
        ("UP-3,Aurelo,Paola,Havana,52-17-140," + "c" * 41 + ",199.00,active", "category", "41"),
        ("UP-\x003,Aurelo,Paola,Havana,52-17-140,optical,199.00,active", "sku", "NUL"),
    ],
)
def test_an_unstorable_cell_is_refused_with_its_line_and_nothing_changes(
    client, db_session, admin, row, column, message
):
    response = upload(client, "products", (GOOD + row + "\n").encode())
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing was imported" in html
    assert f'<td class="num">4</td><td>{column}</td>' in html
    assert message in html
    assert product_count(db_session) == 0


def test_a_file_name_with_control_characters_does_not_matter(client, db_session, admin):
    response = upload(client, "products", GOOD.encode(), name="ex\x00port\x1b.csv")
    assert response.status_code == 303
    assert product_count(db_session) == 2
