"""One sentence per rule: the retailer's live panel, the policy summary on the draft and
the designer's simulator explain closed periods and purchase ages in the same words."""

from __future__ import annotations

import html as markup
from datetime import date, timedelta

from models import Role
from portal.requests.rendering import today
from tests.factories import make_user
from tests.portal.requests.helpers import add, draft_page, figure, return_type, start
from tests.support import rule


def _month_day(day: date) -> str:
    # A yearly window may not start or end on 29 Feb; move off it.
    if (day.month, day.day) == (2, 29):
        day = day - timedelta(days=1)
    return day.strftime("%m-%d")


def _words(day: date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def _closed_around(day: date) -> tuple[dict, str]:
    start_day, end_day = day - timedelta(days=5), day + timedelta(days=5)
    window = {"start": _month_day(start_day), "end": _month_day(end_day)}
    first = date(2001, *map(int, window["start"].split("-")))
    last = date(2001, *map(int, window["end"].split("-")))
    sentence = (
        f"Returns are closed from {_words(first)} to {_words(last)} (yearly); "
        f"today is {_words(day)}."
    )
    return window, sentence


def _simulator(client, rtype, world, line_id: int) -> str:
    data = {
        "return_type": str(rtype.id),
        "account": str(world.account.id),
        "version": "published",
        f"qty-{line_id}": "1",
        "restart": "1",
    }
    response = client.post("/designer/simulate", data=data)
    assert response.status_code == 200
    return markup.unescape(response.get_data(as_text=True))


def test_panel_summary_and_simulator_say_the_same(client, db_session, login_as, world):
    window, closed = _closed_around(today())
    policy = {
        "blackout_windows": rule("exception", windows=[window]),
        "purchase_age": rule("exception", min_days={"count": 3, "unit": "months"}),
    }
    rtype = return_type(db_session, world, policy)
    velo = world.lines["velo"]  # bought 120 days ago: at least 3 months
    login_as(world.retailer)
    number = start(client, rtype)
    assert add(client, number, {velo.id: 1}).status_code == 200
    page = markup.unescape(draft_page(client, number))
    summary, panel = page.split('id="policy-panel"', 1)
    assert closed in summary  # the policy summary above the request
    assert closed in panel  # the live check
    assert "every line was bought at least 3 months ago" in panel
    assert "Only products bought at least 3 months ago can be returned." in summary

    admin = make_user(db_session, Role.ADMIN, name="Ada Admin")
    db_session.commit()
    login_as(admin)
    simulated = _simulator(client, rtype, world, velo.id)
    findings = simulated.split('id="findings"', 1)[1]
    assert closed in findings
    assert "every line was bought at least 3 months ago" in findings


def test_the_panel_writes_periods_in_words(client, db_session, login_as, world):
    policy = {
        "purchase_age": rule("exception", min_days={"count": 3, "unit": "months"}, max_days=730),
        "allowance": rule("exception", percent="15", period_days={"count": 12, "unit": "months"}),
    }
    rtype = return_type(db_session, world, policy)
    login_as(world.retailer)
    number = start(client, rtype)
    assert add(client, number, {world.lines["velo"].id: 1}).status_code == 200
    page = draft_page(client, number)
    assert figure(page, "purchase_age", "min_days") == "3 months"
    assert figure(page, "purchase_age", "max_days") == "730 days"
    assert figure(page, "allowance", "period_days") == "12 months"
