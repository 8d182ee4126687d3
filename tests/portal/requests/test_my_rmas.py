"""My RMAs: drafts to resume or discard, submitted requests, filters, HTMX pagination, and
each user seeing only the accounts they may see."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models import Rma, RmaLine
from models.base import utcnow
from tests.factories import make_rma_with_lines
from tests.portal.requests.helpers import return_type, start


@pytest.fixture
def rmas(db_session, world):
    """Submitted RMAs of both accounts and a draft of the first, with known dates."""
    rotation = return_type(db_session, world, name="Rotation")
    defective = return_type(db_session, world, name="Defective goods")
    made = {}
    for key, account, rtype, state, line, created in [
        ("authorized", world.account, rotation, "authorized", world.lines["velo"], 40),
        ("review", world.account, defective, "rep_review", world.lines["red"], 10),
        ("draft", world.account, rotation, "draft", world.lines["old"], 2),
        ("foreign", world.other_account, rotation, "authorized", world.other_line, 5),
    ]:
        at = utcnow() - timedelta(days=created)
        made[key] = make_rma_with_lines(
            db_session,
            account,
            world.version,
            [(line, 2)],
            return_type=rtype,
            state=state,
            number=f"RMA-2026-{len(made) + 900001}",
            created_at=at,
            submitted_at=None if state == "draft" else at,
        )
    return made


def rows(html: str) -> list[str]:
    return re.findall(r'<tr data-rma="([^"]+)"', html)


def listing(client, **args) -> str:
    response = client.get("/requests/", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_retailer_sees_their_own_account_only(client, login_as, world, rmas):
    login_as(world.retailer)
    html = listing(client)
    assert rows(html) == [rmas[k].number for k in ("draft", "review", "authorized")]
    assert "Brillen Fremd" not in html
    assert "Sales rep review" in html and "Authorized" in html  # the workflow's labels
    assert f'/requests/{rmas["draft"].number}"' in html and "Resume" in html
    assert f'/rmas/{rmas["authorized"].number}"' in html


def test_a_rep_sees_their_accounts_with_the_account_column(client, login_as, world, rmas):
    login_as(world.rep)
    html = listing(client)
    assert rows(html) == [rmas[k].number for k in ("draft", "review", "authorized")]
    assert "<th>Account</th>" in html and "Optik Sonne" in html
    login_as(world.other_rep)
    assert rows(listing(client)) == [rmas["foreign"].number]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"state": "rep_review"}, ["review"]),
        ({"state": "draft"}, ["draft"]),
        ({"q": "VEL-200"}, ["authorized"]),  # by SKU
        ({"q": "900002"}, ["review"]),  # by number
        ({"created_from": "{d15}"}, ["draft", "review"]),
        ({"created_to": "{d15}"}, ["authorized"]),
    ],
)
def test_filters(client, login_as, world, rmas, args, expected):
    day15 = (utcnow() - timedelta(days=15)).date().isoformat()
    args = {k: v.format(d15=day15) for k, v in args.items()}
    login_as(world.retailer)
    assert rows(listing(client, **args)) == [rmas[k].number for k in expected]


def test_filter_by_return_type_and_account(client, login_as, world, rmas):
    login_as(world.rep)
    html = listing(client, return_type=str(rmas["review"].return_type_id))
    assert rows(html) == [rmas["review"].number]
    html = listing(client, account=str(world.account.id))
    assert len(rows(html)) == 3


def test_a_foreign_account_in_the_filter_is_refused_not_obeyed(client, login_as, world, rmas):
    login_as(world.rep)
    html = listing(client, account=str(world.other_account.id))
    assert "not understood" in html
    assert rmas["foreign"].number not in rows(html)


def test_bad_dates_are_reported(client, login_as, world, rmas):
    login_as(world.retailer)
    html = listing(client, created_from="2026-05-10", created_to="2026-05-01")
    assert "The end date is before the start date." in html


def test_htmx_pagination_returns_the_list_only(client, db_session, login_as, world, app):
    app.config["PAGE_SIZE"] = 2
    rtype = return_type(db_session, world)
    for n in range(5):
        make_rma_with_lines(
            db_session,
            world.account,
            world.version,
            [(world.lines["velo"], 1)],
            return_type=rtype,
            number=f"RMA-2026-{n + 800001}",
            created_at=datetime(2026, 1, 1 + n, tzinfo=UTC),
        )
    login_as(world.retailer)
    response = client.get("/requests/?page=2", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<h1>" not in html and rows(html) == ["RMA-2026-800003", "RMA-2026-800002"]
    assert "Page 2 of 3" in html and 'rel="next"' in html and 'hx-get="/requests/?page=3"' in html
    assert "HX-Request" in response.headers["Vary"]


def test_a_draft_can_be_discarded_a_submitted_rma_cannot(client, db_session, login_as, world, rmas):
    login_as(world.retailer)
    response = client.post(f"/requests/{rmas['draft'].number}/discard")
    assert response.status_code == 303
    assert db_session.scalar(select(func.count()).where(Rma.id == rmas["draft"].id)) == 0
    assert db_session.scalar(select(func.count()).where(RmaLine.rma_id == rmas["draft"].id)) == 0
    response = client.post(f"/requests/{rmas['authorized'].number}/discard")
    assert response.status_code == 303
    assert db_session.get(Rma, rmas["authorized"].id) is not None
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "has been submitted; it can no longer be changed" in follow


def test_a_discarded_draft_was_started_through_the_flow(client, db_session, login_as, world):
    rtype = return_type(db_session, world)
    login_as(world.retailer)
    number = start(client, rtype)
    assert rows(listing(client)) == [number]
    assert client.post(f"/requests/{number}/discard").status_code == 303
    assert rows(listing(client)) == []
