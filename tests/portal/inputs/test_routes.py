"""Numbers in paths and query strings through HTTP, on SQLite and PostgreSQL: what a column
cannot hold is a 404, a bad page number shows the first page, a bad filter a message."""

from __future__ import annotations

import re

import pytest
from werkzeug.exceptions import BadRequest

from models import Role
from tests.factories import make_account, make_user

HUGE = [str(2**31), str(2**63), str(2**64), "9" * 40, "²", "0"]


@pytest.fixture
def admin(db_session, login_as):
    user = make_user(db_session, Role.ADMIN)
    db_session.commit()
    login_as(user)
    return user


def id_rules(app):
    """Every route with an id, as (path template, methods)."""
    for rule in app.url_map.iter_rules():
        names = re.findall(r"<id:(\w+)>", rule.rule)
        if names:
            yield rule, names


def test_every_id_in_a_path_uses_the_id_converter(app):
    raw = [r.rule for r in app.url_map.iter_rules() if re.search(r"<(int|float):", r.rule)]
    assert raw == []
    assert len(list(id_rules(app))) >= 37


@pytest.mark.parametrize("value", HUGE)
def test_ids_no_column_holds_are_not_found_on_every_route(client, app, admin, value):
    for rule, names in id_rules(app):
        path = rule.rule
        for name in names:
            path = path.replace(f"<id:{name}>", value)
        path = re.sub(r"<position:\w+>", "0", path)
        path = re.sub(r"<number:\w+>", "RMA-2026-000001", path)
        path = re.sub(r"<[^>]+>", "x", path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert response.status_code == 404, (method, path, response.status_code)
            if path.startswith("/api/"):  # the JSON API answers with a problem
                assert response.mimetype == "application/problem+json"
            else:
                assert "This page does not exist" in response.get_data(as_text=True)


def test_designer_workflow_ids_beyond_the_column(client, admin):
    for value in (2**31, 2**63):
        assert client.get(f"/designer/workflows/{value}").status_code == 404
        assert client.post(f"/designer/workflows/1/versions/{value}/restore").status_code == 404


@pytest.mark.parametrize(
    "segment", ["RMA%00", "RMA-2026-%C2%B2", "R" * 21, "RMA%20000001", "..%2Fadmin"]
)
def test_document_numbers_outside_their_alphabet_are_not_found(client, admin, segment):
    for path in (f"/rmas/{segment}", f"/requests/{segment}", f"/credits/memos/{segment}.pdf"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/approvals/{segment}/decide").status_code == 404


LISTS = [
    "/admin/",
    "/admin/outbox/",
    "/admin/products",
    "/admin/replacement-orders",
    "/admin/rmas",
    "/admin/users",
    "/approvals/",
    "/credits/",
    "/notifications/",
]


@pytest.mark.parametrize("page", ["²", "٣", str(2**63), "9" * 5000, "-1", "0", "1e3"])
def test_a_page_number_that_is_not_one_shows_a_page(client, admin, page):
    for path in LISTS:
        response = client.get(path, query_string={"page": page})
        assert response.status_code == 200, (path, response.status_code)


@pytest.mark.parametrize(
    "value", ["sNaN", "NaN", "Infinity", "1e-999999999", "1e999999999", "²", "1.005"]
)
def test_rma_value_filters_refuse_what_is_not_an_amount(client, admin, value):
    for name in ("min_value", "max_value"):
        response = client.get("/admin/rmas", query_string={name: value})
        assert response.status_code in (200, 422)
        label = "Value from" if name == "min_value" else "Value to"
        assert f"{label}: " in response.get_data(as_text=True)
        csv = client.get("/admin/rmas.csv", query_string={name: value})
        assert csv.status_code < 500


@pytest.mark.parametrize("value", [str(2**31), str(2**63), "²", "-1"])
def test_a_rep_picking_an_account_no_column_holds_gets_the_picker(
    client, db_session, login_as, value
):
    rep = make_user(db_session, Role.SALES_REP)
    make_account(db_session, sales_rep=rep)
    db_session.commit()
    login_as(rep)
    response = client.get("/requests/new", query_string={"account": value})
    assert response.status_code == 200
    response = client.post("/requests/new", data={"return_type_id": value, "account_id": value})
    assert response.status_code in (400, 404)


@pytest.mark.parametrize(
    "body", ["[" * 10_000 + "]" * 10_000, "[1, 2]", '"x"', '{"q": {"a": 1}}', "{"]
)
def test_a_json_body_on_a_form_route_is_refused(client, db_session, admin, body):
    for path in ("/login", "/designer/workflows/new", "/admin/users/new"):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 400, path
        assert "This address takes a form, not JSON." in response.get_data(as_text=True)


def test_request_json_is_read_with_bounded_depth(app):
    from flask import request

    with (
        app.test_request_context(
            "/", method="PUT", data="[" * 100 + "]" * 100, content_type="application/json"
        ),
        pytest.raises(BadRequest),
    ):
        request.get_json()
    with app.test_request_context("/", method="PUT", json={"a": [1, {"b": "c"}]}):
        assert request.get_json() == {"a": [1, {"b": "c"}]}
