"""Opening an RMA by scanning its label or typing its number; the work queues; roles."""

from __future__ import annotations

import pytest

from models import Role
from portal.warehouse.scanning import read_scan
from tests.factories import make_retailer, make_rma_with_lines, make_user


@pytest.mark.parametrize(
    ("typed", "numbers", "suffix"),
    [
        ("RMA-2026-000123", ("RMA-2026-000123",), None),
        ("  rma-2026-000123\n", ("RMA-2026-000123",), None),
        ("2026-000123", ("2026-000123", "RMA-2026-000123"), None),
        ("2026-123", ("2026-123", "RMA-2026-123", "RMA-2026-000123"), None),
        ("rma 2026 000123", ("RMA2026000123", "RMA-2026000123"), None),
        ("RMA2026-000123", ("RMA2026-000123", "RMA-2026-000123"), None),
        ("123", ("123", "RMA-123"), "-000123"),
    ],
)
def test_a_scan_is_read_in_every_usual_form(typed, numbers, suffix):
    reading = read_scan(typed)
    assert reading.numbers == numbers
    assert reading.suffix == suffix


@pytest.mark.parametrize("typed", ["", "   ", "x" * 41])
def test_what_cannot_be_a_number_is_not_looked_up(typed):
    assert read_scan(typed) is None


@pytest.mark.parametrize(
    "typed",
    ["{number}", "{lower}", "  {number}  ", "{bare}", "{bare_lower}", "{running}"],
)
def test_scanning_opens_the_rmas_warehouse_view(staff, awaiting, typed):
    number = awaiting.number  # RMA-TEST-000123-style: prefix, series, running number
    running = number.rsplit("-", 1)[1].lstrip("0")
    value = typed.format(
        number=number,
        lower=number.lower(),
        bare=number.removeprefix("RMA-"),
        bare_lower=number.removeprefix("RMA-").lower(),
        running=running,
    )
    response = staff.get("/warehouse/receive", query_string={"q": value})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/warehouse/rmas/{number}")


def test_an_unknown_number_says_so_and_keeps_the_input(staff, awaiting):
    response = staff.get("/warehouse/receive", query_string={"q": "RMA-1999-424242"})
    assert response.status_code == 404
    page = response.data.decode()
    assert "No RMA matches “RMA-1999-424242”" in page
    assert 'value="RMA-1999-424242"' in page
    assert "autofocus" in page
    assert awaiting.number in page  # the queues are still there to click


def test_a_running_number_shared_by_several_rmas_asks_which(staff, db_session, shop, awaiting):
    aurora_line, _ = shop["order"].lines
    running = awaiting.number.rsplit("-", 1)[1]
    other = make_rma_with_lines(
        db_session,
        shop["account"],
        shop["version"],
        [(aurora_line, 1)],
        state="awaiting_receipt",
        number=f"RMA-2025-{running}",
    )
    response = staff.get("/warehouse/receive", query_string={"q": running.lstrip("0")})
    assert response.status_code == 200
    page = response.data.decode()
    assert "2 RMAs match" in page
    assert f"/warehouse/rmas/{awaiting.number}" in page
    assert f"/warehouse/rmas/{other.number}" in page


def test_the_queues_list_rmas_awaiting_receipt_and_in_inspection(staff, db_session, shop):
    aurora_line, _ = shop["order"].lines
    states = ["awaiting_receipt", "received", "under_inspection", "authorized", "inspected"]
    rmas = {
        state: make_rma_with_lines(
            db_session, shop["account"], shop["version"], [(aurora_line, 2)], state=state
        )
        for state in states
    }
    awaiting_page = staff.get("/warehouse/awaiting").data.decode()
    inspection_page = staff.get("/warehouse/inspection").data.decode()
    assert rmas["awaiting_receipt"].number in awaiting_page
    for state in ("received", "under_inspection"):
        assert rmas[state].number in inspection_page
        assert rmas[state].number not in awaiting_page
    for state in ("authorized", "inspected"):
        assert rmas[state].number not in awaiting_page + inspection_page
    receive_page = staff.get("/warehouse/receive").data.decode()
    assert rmas["awaiting_receipt"].number in receive_page
    assert rmas["under_inspection"].number in receive_page


def test_queues_page_newest_first_and_swap_in_place(staff, db_session, shop, app):
    app.config["PAGE_SIZE"] = 2
    aurora_line, _ = shop["order"].lines
    numbers = [
        make_rma_with_lines(
            db_session,
            shop["account"],
            shop["version"],
            [(aurora_line, 1)],
            state="awaiting_receipt",
            number=f"RMA-2026-90000{i}",
        ).number
        for i in range(3)
    ]
    first = staff.get("/warehouse/awaiting").data.decode()
    assert numbers[2] in first and numbers[1] in first and numbers[0] not in first
    second = staff.get("/warehouse/awaiting?page=2", headers={"HX-Request": "true"})
    fragment = second.data.decode()
    assert numbers[0] in fragment and "<html" not in fragment
    assert "Page 2 of 2" in fragment
    assert "HX-Request" in second.headers["Vary"]


def test_queue_queries_do_not_grow_with_rows(staff, db_session, shop, count_queries):
    aurora_line, _ = shop["order"].lines

    def add(n):
        for _ in range(n):
            make_rma_with_lines(
                db_session,
                shop["account"],
                shop["version"],
                [(aurora_line, 1)],
                state="awaiting_receipt",
            )

    add(1)
    staff.get("/warehouse/receive")  # compiles and caches the workflow
    counts = []
    for more in (0, 10):
        add(more)
        count_queries.statements.clear()
        assert staff.get("/warehouse/receive").status_code == 200
        counts.append(len(count_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 10


@pytest.mark.parametrize(
    "path",
    [
        "/warehouse/",
        "/warehouse/receive",
        "/warehouse/awaiting",
        "/warehouse/inspection",
        "/warehouse/b-stock",
        "/warehouse/b-stock.csv",
        "/warehouse/rmas/{number}",
        "/warehouse/rmas/{number}/unexpected-row",
    ],
)
@pytest.mark.parametrize("role", [Role.RETAILER, Role.SALES_REP])
def test_retailers_and_reps_are_refused(client, login_as, db_session, shop, awaiting, path, role):
    user = (
        make_retailer(db_session, shop["account"])
        if role is Role.RETAILER
        else shop["rep"]  # even the account's own rep
    )
    login_as(user)
    assert client.get(path.format(number=awaiting.number)).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/warehouse/rmas/{number}/receive",
        "/warehouse/rmas/{number}/actions",
        "/warehouse/rmas/{number}/lines/1/grade",
    ],
)
def test_retailers_cannot_post_to_the_warehouse(client, login_as, db_session, shop, awaiting, path):
    login_as(make_retailer(db_session, shop["account"]))
    response = client.post(path.format(number=awaiting.number), data={"trigger": "ship_back"})
    assert response.status_code == 403
    assert awaiting.state == "awaiting_receipt"


def test_admins_may_use_the_warehouse_screens(client, login_as, db_session, awaiting):
    login_as(make_user(db_session, Role.ADMIN))
    assert client.get("/warehouse/receive").status_code == 200
    page = client.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    assert awaiting.number in page


def test_anonymous_users_are_sent_to_log_in(client, awaiting):
    response = client.get("/warehouse/receive")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
