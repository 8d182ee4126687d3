"""Query budgets: a list or detail page costs a fixed number of SQL statements.

Each page is requested once with a few rows on it and once after more rows were added;
the two counts must be equal (a count that grows with the rows is an N+1) and within the
budget written beside the page. Lists show up to 200 rows a page here, so every page
stays below one page of results: "more rows" means more rows *shown*, not more pages. A
list counts its rows only when a page is full (one statement more, the same for any number
of rows: tests/portal/test_pagination.py), so no list here counts.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from models import (
    CreditMemo,
    CreditMemoLine,
    FeedbackAnswer,
    FeedbackAnswerTag,
    FeedbackTag,
    Grade,
    LedgerEntry,
    RmaEvent,
    RmaLine,
    RmaMessage,
)
from portal.pagination import MAX_PER_PAGE
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_return_type,
    make_rma,
    make_rma_with_lines,
    make_stock,
    make_user,
)
from tests.shop import build_shop
from tests.world import World, WorldBuilder
from workflow_designer.runtime.versions import draft_from, publish

KEPT = "rotaflow.cache.analytics."  # the per-process caches of analytics figures
GROWTH = 6  # rounds of rows added between the two measurements (well under a page)
STATES = ("rep_review", "awaiting_receipt", "under_inspection", "authorized")


def _grow(session, world: World) -> None:
    """Add one more of every listed thing: RMAs in each back-office state, a line, an event
    and a message on the detail RMA, a credit memo, B-stock, a user, an account with
    purchases, a workflow and a new version of the world's."""
    account, rep, admin = world.account, world.rep, world.admin
    product = make_product(session)
    order = make_order(session, account, [(product, 6, "40.00"), (product, 4, "25.00")])
    first, second = order.lines
    # One more RMA in each back-office state, each with a line and its event.
    for state in STATES:
        rma = make_rma_with_lines(
            session,
            account,
            world.version,
            [(first, 1)],
            state=state,
            return_type=world.return_type,
            approval_step=1 if state == "rep_review" else None,
            approver_user_id=rep.id if state == "rep_review" else None,
            created_by_id=world.retailer.id,
        )
        session.add(RmaEvent(rma_id=rma.id, actor_id=rep.id, trigger="submit", to_state=state))
    # The detail RMA gets a line, an event and a message.
    detail = world.rmas["detail"]
    session.add(
        RmaLine(
            rma_id=detail.id,
            order_line_id=second.id,
            quantity_requested=1,
            quantity_authorized=1,
            reason="Slow seller",
            condition="new",
        )
    )
    session.add(
        RmaEvent(
            rma_id=detail.id,
            actor_id=admin.id,
            trigger="note",
            from_state=detail.state,
            to_state=detail.state,
            comment="checked",
        )
    )
    session.add(RmaMessage(rma_id=detail.id, author_id=world.retailer.id, body="Any news?"))
    # A credit memo on the ledger (for a credited RMA of its own).
    credited = make_rma_with_lines(
        session,
        account,
        world.version,
        [(second, 1)],
        state="credited",
        return_type=world.return_type,
    )
    world.memos += 1
    memo = CreditMemo(
        number=f"CM-QB-{credited.id:06d}",
        rma_id=credited.id,
        account_id=account.id,
        currency="EUR",
        amount=Decimal("25.00"),
        created_by_id=admin.id,
    )
    session.add(memo)
    session.flush()
    session.add(
        CreditMemoLine(
            credit_memo_id=memo.id,
            rma_line_id=credited.lines[0].id,
            description="1 × frame",
            quantity=1,
            gross=Decimal("25.00"),
            restocking_fee=Decimal(0),
            grade_deduction=Decimal(0),
            exchange_bonus=Decimal(0),
            amount=Decimal("25.00"),
        )
    )
    session.add(
        LedgerEntry(
            account_id=account.id,
            credit_memo_id=memo.id,
            currency="EUR",
            amount=Decimal("25.00"),
            description=memo.number,
        )
    )
    # A resolved RMA of a return type of its own, answered: one more row of the feedback
    # summary by return type, and one more tag on the answered RMA's page.
    kind = make_return_type(session, world.version.workflow_id)
    resolved = make_rma(
        session,
        account,
        world.version,
        state="closed",
        resolution="credit",
        return_type=kind,
        number=f"RMA-QB-F{kind.id:06d}",  # not one of the RMA-TEST- rows lists count
    )
    tags = [FeedbackAnswerTag(tag=FeedbackTag.FAIR_CREDIT)]
    session.add(FeedbackAnswer(rma_id=resolved.id, rating=4, tag_rows=tags))
    answered = world.rmas["answered"].feedback
    answered.tag_rows.append(FeedbackAnswerTag(tag=list(FeedbackTag)[len(answered.tag_rows)]))
    # B-stock, a user, an assigned account with purchases, a workflow, a version.
    make_stock(session, product, world.warehouse, Grade.OPEN_PACKAGING, 3)
    make_user(session)
    other = make_account(session, sales_rep=rep)
    make_order(session, other, [(product, 2, "40.00")])
    make_published_workflow(session, "defective_warranty", actor=admin)
    latest = world.versions[-1]
    world.versions.append(publish(session, draft_from(session, latest, admin), admin))
    session.flush()


@pytest.fixture
def world(db_session) -> World:
    """The back office's shop plus one RMA whose page grows (lines, events, messages) and a
    workflow whose history grows."""
    world = build_shop(db_session)
    WorldBuilder(db_session, world).return_type()
    world.rmas["detail"] = make_rma(
        db_session,
        world.account,
        world.version,
        state="awaiting_receipt",
        return_type=world.return_type,
        number="RMA-QB-DETAIL",
    )
    answered = make_rma(
        db_session,
        world.account,
        world.version,
        state="closed",
        resolution="credit",
        return_type=world.return_type,
        number="RMA-QB-ANSWERED",
    )
    answered.feedback = FeedbackAnswer(
        rma_id=answered.id, rating=5, answered_by_id=world.retailer.id
    )
    db_session.add(answered.feedback)
    world.rmas["answered"] = answered
    world.versions = [world.version]
    _grow(db_session, world)
    return world


# (user field of the world, URL, budget). The URL may name the world's objects. Budgets are
# what the pages cost today (one query for the user with their account and unread-notifications
# badge, then the page's reads): a new query on a page is a decision, to be made here, not
# by accident. Risk signals cost four on the pages that show them: the thresholds, the
# accounts in scope, the repeated SKUs and one pass over the RMAs' lines (the network's
# figures and the rotation types are kept per process; each rotation window that opened in
# the period adds one or two when the accounts filed rotations right after it).
PAGES = [
    ("retailer", "/account/", 3),
    ("retailer", "/requests/", 4),
    ("retailer", "/rmas/{detail}", 7),
    ("retailer", "/rmas/{answered}", 8),
    ("admin", "/rmas/{answered}", 13),  # the retailer's plus risk signals
    ("retailer", "/rmas/{answered}/feedback", 3),
    ("retailer", "/credits/", 3),
    ("rep", "/rep/", 2),
    ("rep", "/approvals/", 6),
    ("admin", "/admin/rmas", 5),
    ("admin", "/admin/", 2),
    ("admin", "/admin/accounts/{account}", 8),
    ("admin", "/admin/users", 2),
    ("admin", "/admin/products", 2),
    ("admin", "/credits/", 2),
    ("admin", "/credits/accounts/{account}", 3),
    ("admin", "/designer/", 4),
    # The feedback results under analytics: the user, the filters' choices (regions, return
    # types; brands are kept per process), the answers' and the rollups' versions and a
    # rep's accounts (the figures are kept under them), the ratings, the tags and the
    # return types' names.
    ("admin", "/analytics/feedback/return-type", 8),
    ("rep", "/analytics/feedback/return-type", 9),
    ("admin", "/designer/workflows/{workflow}/history", 3),
    ("warehouse_user", "/warehouse/receive", 4),
    ("warehouse_user", "/warehouse/rmas/{detail}", 6),
    ("warehouse_user", "/warehouse/b-stock", 4),
]


def _measure(client, count_queries, url: str) -> int:
    # Analytics figures are kept until what they are read from changes: measure them read.
    for name in [n for n in client.application.extensions if n.startswith(KEPT)]:
        del client.application.extensions[name]
    count_queries.statements.clear()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(count_queries)


@pytest.fixture(autouse=True)
def long_pages(app):
    app.config["PAGE_SIZE"] = MAX_PER_PAGE


@pytest.mark.parametrize(("who", "url", "budget"), PAGES, ids=[p[1] for p in PAGES])
def test_page_queries_do_not_grow_with_rows(
    who, url, budget, client, login_as, db_session, world, count_queries
):
    login_as(getattr(world, who))
    url = url.format(
        detail=world.rmas["detail"].number,
        answered=world.rmas["answered"].number,
        account=world.account.id,
        workflow=world.version.workflow_id,
    )
    client.get(url)  # warm the per-process caches (compiled workflows) first
    few = _measure(client, count_queries, url)
    for _ in range(GROWTH):
        _grow(db_session, world)
    # Again: new published versions are compiled on first use (one query for all of them).
    client.get(url)
    many = _measure(client, count_queries, url)
    many_statements = list(count_queries.statements)
    assert many == few, f"{url}: {few} queries with few rows, {many} with more:\n" + "\n".join(
        many_statements
    )
    assert many <= budget, f"{url}: {many} queries, budget {budget}"


def _shown(client, url: str, needle: str) -> int:
    return client.get(url).get_data(as_text=True).count(needle)


def test_the_rows_really_are_shown(client, login_as, db_session, world):
    """The growth reaches the pages measured above (else equal counts prove nothing)."""
    for _ in range(GROWTH):
        _grow(db_session, world)
    rows = GROWTH + 1
    login_as(world.retailer)
    assert _shown(client, f"/rmas/{world.rmas['detail'].number}", "Any news?") == rows
    assert _shown(client, "/requests/", "RMA-TEST-") >= rows
    login_as(world.rep)
    assert _shown(client, "/approvals/", "RMA-TEST-") >= rows
    login_as(world.warehouse_user)
    assert _shown(client, "/warehouse/receive", "RMA-TEST-") >= rows
    login_as(world.admin)
    assert _shown(client, "/admin/rmas", "RMA-TEST-") >= rows
    assert _shown(client, f"/credits/accounts/{world.account.id}", "CM-QB-") >= rows
    # A row per grown return type, one for the answered RMA's, and the total.
    assert _shown(client, "/analytics/feedback/return-type", '<th scope="row">') == rows + 2
    answered = f"/rmas/{world.rmas['answered'].number}"
    tags = _shown(client, answered, "tag tag-good") + _shown(client, answered, "tag tag-bad")
    assert tags == rows
    history = f"/designer/workflows/{world.version.workflow_id}/history"
    assert _shown(client, history, '<tr id="version-') == rows + 1


def test_my_rmas_counts_each_rmas_lines_and_units(client, login_as, db_session, world):
    """The per-row line and unit totals (correlated subqueries since the large data set)."""
    for _ in range(2):
        _grow(db_session, world)
    # An order line of its own: an RMA holds each order line once.
    order = make_order(db_session, world.account, [(make_product(db_session), 4, "9.00")])
    db_session.add(
        RmaLine(
            rma_id=world.rmas["detail"].id,
            order_line_id=order.lines[0].id,
            quantity_requested=4,
            reason="Slow seller",
        )
    )
    db_session.flush()
    login_as(world.retailer)
    html = client.get("/requests/?q=RMA-QB-DETAIL").get_data(as_text=True)
    row = re.search(r'<tr data-rma="RMA-QB-DETAIL">(.*?)</tr>', html, re.S).group(1)
    # Three lines of 1 from the growth, one of 4; other RMAs' lines are not counted.
    assert re.findall(r'<td class="num">(\d+)</td>', row)[:2] == ["4", "7"]
    untouched = client.get("/requests/?q=RMA-TEST-").get_data(as_text=True)
    assert re.findall(r'<td class="num">(\d+)</td>', untouched)[:2] == ["1", "1"]


# Analytics pages read rollups: (user, view, budget). One query for the user, the filters'
# choices (regions, return types; brands are kept per process), the rollups' watermark
# and a rep's accounts (figures are kept under both), the returns, the purchases and the
# words of the keys shown (none for brands and regions).
ANALYTICS = [
    ("admin", "month", 6),
    ("admin", "reason", 7),
    ("admin", "return-type", 7),
    ("admin", "brand", 6),
    ("admin", "sku", 7),
    ("admin", "account", 7),
    ("rep1", "region", 7),
    ("rep1", "rep", 8),
]


@pytest.mark.parametrize(("who", "view", "budget"), ANALYTICS, ids=[a[1] for a in ANALYTICS])
def test_analytics_queries_do_not_grow_with_rows(
    who, view, budget, client, login_as, db_session, count_queries
):
    from models.base import utcnow
    from portal.analytics.refresh import refresh_rollups
    from tests.portal.analytics import dataset

    data = dataset.build(db_session)
    refresh_rollups(db_session, utcnow(), full=True)
    login_as(getattr(data, who))
    url = f"/analytics/returns/{view}?{dataset.QUERY}"
    client.get(url)  # warm the per-process caches (brands)
    # The figures themselves are kept until the rollups change: measure them computed.
    client.application.extensions.pop("rotaflow.cache.analytics.return_rates", None)
    few = _measure(client, count_queries, url)
    dataset.build(db_session, suffix="-more")  # as many facts again, other accounts and SKUs
    refresh_rollups(db_session, utcnow(), full=True)
    many = _measure(client, count_queries, url)
    assert many == few, f"{view}: {few} queries with few rows, {many} with more"
    assert many <= budget, f"{view}: {many} queries, budget {budget}:\n" + "\n".join(
        count_queries.statements
    )


# The user, the filters' choices (regions, return types), the rollups' version and a
# rep's accounts (figures are kept under both), then the view's own reads: the rollup,
# with the workflows' names and state labels (cycle times, SLAs) or the reps (decisions);
# the allowance reads its return types, a page of accounts, their purchases and what they
# used (kept until the other analytics' watermark moves too).
PROCESS = [
    ("admin", "cycle-times", 7),
    ("admin", "sla", 7),
    ("admin", "reps", 7),
    ("admin", "credits", 5),
    ("admin", "grades", 5),
    ("admin", "allowance", 9),
    ("anna", "allowance", 10),
    ("anna", "reps", 7),
]


@pytest.mark.parametrize(
    ("who", "view", "budget"), PROCESS, ids=[f"{p[0]}-{p[1]}" for p in PROCESS]
)
def test_process_views_do_not_grow_with_rows(
    who, view, budget, client, login_as, db_session, count_queries
):
    from datetime import UTC, datetime

    from portal.analytics.flow_refresh import refresh_until_current
    from tests.portal.analytics.flow_world import build_flow_world

    now = datetime(2026, 3, 5, tzinfo=UTC)
    world = build_flow_world(db_session)
    refresh_until_current(db_session, now)
    login_as(getattr(world, who))
    url = f"/analytics/process/{view}?start=2026-01&end=2026-02"
    client.get(url)  # warm the per-process caches (brands, compiled workflows)
    # The figures themselves are kept until the rollups change: measure them computed.
    client.application.extensions.pop("rotaflow.cache.analytics.process_figures", None)
    few = _measure(client, count_queries, url)
    build_flow_world(db_session, suffix="-more", like=world)  # the history again, more people
    refresh_until_current(db_session, now)
    many = _measure(client, count_queries, url)
    assert many == few, f"{view}: {few} queries with few rows, {many} with more"
    assert many <= budget, f"{view}: {many} queries, budget {budget}:\n" + "\n".join(
        count_queries.statements
    )


# The API's lists and its RMA: (user field of the world, URL, budget). One query finds the
# token with its user; the rest are the endpoint's reads (its last use was written by the
# warming request, so the measured one writes nothing).
API = [
    ("retailer", "/api/v1/rmas", 2),
    ("admin", "/api/v1/rmas", 2),
    ("rep", "/api/v1/accounts", 2),
    ("admin", "/api/v1/products", 2),
    ("admin", "/api/v1/return-types", 2),
    ("retailer", "/api/v1/ledger?account={account}", 3),
    ("retailer", "/api/v1/rmas/{detail}", 5),
]


@pytest.mark.parametrize(("who", "url", "budget"), API, ids=[a[1] for a in API])
def test_api_queries_do_not_grow_with_rows(
    who, url, budget, client, db_session, world, count_queries
):
    from portal.api.operations import create_token
    from portal.api.scopes import scopes_for

    user = getattr(world, who)
    made = create_token(db_session, user, "budget", scopes_for(user.role))
    db_session.commit()
    headers = {"Authorization": f"Bearer {made.secret}"}
    url = url.format(detail=world.rmas["detail"].number, account=world.account.id)

    def measure() -> int:
        client.get(url, headers=headers)  # warm: compiled workflows, the token's last use
        count_queries.statements.clear()
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.get_data(as_text=True))
        return len(count_queries)

    few = measure()
    for _ in range(GROWTH):
        _grow(db_session, world)
    many = measure()
    assert many == few, f"{url}: {few} queries with few rows, {many} with more:\n" + "\n".join(
        count_queries.statements
    )
    assert many <= budget, f"{url}: {many} queries, budget {budget}:\n" + "\n".join(
        count_queries.statements
    )
