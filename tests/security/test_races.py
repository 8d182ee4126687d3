"""Races through HTTP on PostgreSQL: eight clients press the same button at once.

Each trial releases 8 threads, one Flask test client each, on a threading.Barrier against
an app bound to the real PostgreSQL test database (not the rolled-back test connection),
and checks the database afterwards: one transition, one event, one memo, one receipt. The
losers must get a clear 409 (never a 500). SQLite serialises writers with BEGIN IMMEDIATE
and has no SELECT … FOR UPDATE; see docs/security.md.
"""

from __future__ import annotations

import threading
import traceback
from collections import Counter

import pytest
from sqlalchemy import func, select

from models import (
    CreditMemo,
    FeedbackAnswer,
    FeedbackAnswerTag,
    LedgerEntry,
    OrderLine,
    Rma,
    RmaEvent,
    RmaLine,
    User,
)
from portal import create_app
from portal.db import get_database
from tests.portal.admin.flows import inspect
from tests.security.helpers import build_world
from tests.support import POSTGRES_URL, TEST_CONFIG, sign_in

pytestmark = pytest.mark.postgres_only

THREADS = 8
TRIALS = 50
ADD_TRIALS = 10


@pytest.fixture
def pg(committed_sessions, tmp_path):
    """The world, committed; an app on the same database; the session factory."""
    with committed_sessions() as session:
        world = build_world(session, tmp_path)
        ids = {name: user.id for name, user in world.users.items() if user is not None}
        shop = _shop(session, world)
    app = create_app({**TEST_CONFIG, "DATABASE_URL": POSTGRES_URL, "UPLOAD_FOLDER": str(tmp_path)})
    yield app, committed_sessions, ids, shop
    get_database(app).engine.dispose()


def _shop(session, world) -> dict:
    awaiting = session.get(Rma, world.rmas["awaiting"].id)
    return {
        "account": awaiting.account,
        "version": awaiting.workflow_version,
        "return_type": awaiting.return_type,
        "order_line_ids": [line.order_line_id for line in awaiting.lines],
    }


def _clients(app, user_id: int):
    return [sign_in(app.test_client(), user_id) for _ in range(THREADS)]


def _race(clients, url: str, data: dict) -> list[tuple[int, str]]:
    barrier = threading.Barrier(len(clients))
    results: list[tuple[int, str]] = []

    def press(client) -> None:
        barrier.wait()
        try:
            response = client.post(url, data=data)
        except Exception:  # a crash in the app, with its traceback for the report
            results.append((0, traceback.format_exc()))
        else:
            results.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=press, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == len(clients)
    failures = [body for status, body in results if status == 0 or status >= 500]
    assert failures == [], failures[0]
    return results


def _new_rma(session, shop, state: str, **fields) -> Rma:
    """An RMA of the shop's account returning 4 and 3 of its two order lines."""
    from tests.factories import make_rma_with_lines

    order_lines = [session.get(OrderLine, i) for i in shop["order_line_ids"]]
    return make_rma_with_lines(
        session,
        shop["account"],
        shop["version"],
        list(zip(order_lines, (4, 3), strict=True)),
        state=state,
        return_type=shop["return_type"],
        **fields,
    )


def _one_winner(results, losers: tuple[int, ...] = (409,)) -> list[str]:
    """One 303; every other answer one of ``losers``. Returns the losers' bodies."""
    statuses = Counter(status for status, _body in results)
    assert statuses[303] == 1, statuses
    assert sum(statuses[status] for status in losers) == THREADS - 1, statuses
    return [body for status, body in results if status != 303]


def _clear_refusal(number: str, body: str) -> bool:
    """Lost the race (409) or arrived after the winner's commit (422): said in words."""
    return any(
        f"{number} {phrase}" in body
        for phrase in ("was changed by someone else", "is received now", "is credited now")
    )


def _count(session, *where) -> int:
    return session.scalar(select(func.count()).where(*where))


def test_concurrent_approvals_make_one_transition(pg):
    app, sessions, ids, shop = pg
    clients = _clients(app, ids["rep_a"])
    for _trial in range(TRIALS):
        with sessions() as session:
            rma = _new_rma(
                session,
                shop,
                "rep_review",
                approval_step=1,
                approver_user_id=ids["rep_a"],
                exception_requested=True,
            )
            number, rma_id = rma.number, rma.id
            session.commit()
        results = _race(
            clients, f"/approvals/{number}/decide", {"decision": "approve", "comment": "Fine"}
        )
        for body in _one_winner(results):
            assert "no longer waiting" in body or "changed by someone else" in body, body
        with sessions() as session:
            assert session.get(Rma, rma_id).state == "authorized"
            assert _count(session, RmaEvent.rma_id == rma_id, RmaEvent.trigger == "approve") == 1


def test_concurrent_resolutions_write_one_credit_memo(pg):
    """The resolve locks the RMA: the others wait, then find it resolved and say so."""
    app, sessions, ids, shop = pg
    clients = _clients(app, ids["admin"])
    for _trial in range(TRIALS):
        with sessions() as session:
            rma = _new_rma(session, shop, "awaiting_receipt")
            inspect(session, rma, {"warehouse_user": session.get(User, ids["warehouse"])})
            number, rma_id = rma.number, rma.id
            session.commit()
        results = _race(clients, f"/admin/rmas/{number}/resolve", {"resolution": "credit"})
        assert Counter(status for status, _body in results) == {303: THREADS}
        flashed = [_flash(client) for client in clients]
        assert sum(f"{number} resolved: Credit memo." in text for text in flashed) == 1
        assert sum(f"{number} was already resolved" in text for text in flashed) == THREADS - 1
        with sessions() as session:
            assert _count(session, CreditMemo.rma_id == rma_id) == 1
            memo_id = session.scalar(select(CreditMemo.id).where(CreditMemo.rma_id == rma_id))
            assert _count(session, LedgerEntry.credit_memo_id == memo_id) == 1
            assert _count(session, RmaEvent.rma_id == rma_id, RmaEvent.trigger == "resolve") == 1


def _flash(client) -> str:
    """The message the client's redirect to the RMA page shows."""
    with client.session_transaction() as flask_session:
        return " ".join(message for _category, message in flask_session.get("_flashes", []))


def test_concurrent_first_answers_to_the_survey_make_one_answer(pg):
    """The survey's one-answer rule under load: eight first answers to one resolved RMA at
    once. The RMA row is locked before the answer is read, so one inserts and the others
    wait, find it and change it: one row, its tags once each, and never a 500. Then eight
    different changes at once: the last one written is kept whole, tags and all."""
    app, sessions, ids, shop = pg
    clients = _clients(app, ids["retailer_a"])
    data = {"rating": "4", "went_well": ["fair_credit", "quick_approval"], "comment": "Fine"}
    for _trial in range(TRIALS):
        with sessions() as session:
            rma = _new_rma(session, shop, "closed", resolution="credit")
            number, rma_id = rma.number, rma.id
            session.commit()
        results = _race(clients, f"/rmas/{number}/feedback", data)
        assert Counter(status for status, _body in results) == {303: THREADS}
        with sessions() as session:
            [answer] = session.scalars(
                select(FeedbackAnswer).where(FeedbackAnswer.rma_id == rma_id)
            ).all()
            assert (answer.rating, answer.comment) == (4, "Fine")
            tags = session.scalars(
                select(FeedbackAnswerTag.tag).where(FeedbackAnswerTag.answer_id == answer.id)
            ).all()
            assert sorted(tags) == ["fair_credit", "quick_approval"]

        # Then eight changes at once, each with tags of its own: one of them is kept whole.
        changes = [
            {"rating": str(1 + n % 5), "went_badly": [tag], "comment": f"Change {n}"}
            for n, tag in enumerate(
                ["slow_approval", "unclear_rules", "low_credit", "slow_credit"] * 2
            )
        ]
        url = f"/rmas/{number}/feedback"
        results = _race_posts(clients, [(url, change) for change in changes])
        assert Counter(status for status, _body in results) == {303: THREADS}, _shown(results)
        with sessions() as session:
            [answer] = session.scalars(
                select(FeedbackAnswer).where(FeedbackAnswer.rma_id == rma_id)
            ).all()
            tags = session.scalars(
                select(FeedbackAnswerTag.tag).where(FeedbackAnswerTag.answer_id == answer.id)
            ).all()
            winner = changes[int(answer.comment.removeprefix("Change "))]
            assert (str(answer.rating), tags) == (winner["rating"], winner["went_badly"])


def test_concurrent_receipts_record_quantities_once(pg):
    app, sessions, ids, shop = pg
    clients = _clients(app, ids["warehouse"])
    for _trial in range(TRIALS):
        with sessions() as session:
            rma = _new_rma(session, shop, "awaiting_receipt")
            line_ids = [line.id for line in rma.lines]
            number, rma_id = rma.number, rma.id
            session.commit()
        data = {
            "lines-0-line_id": str(line_ids[0]),
            "lines-0-quantity": "4",
            "lines-1-line_id": str(line_ids[1]),
            "lines-1-quantity": "3",
            "comment": "",
        }
        results = _race(clients, f"/warehouse/rmas/{number}/receive", data)
        for body in _one_winner(results, losers=(409, 422)):
            assert _clear_refusal(number, body), body
        with sessions() as session:
            received = session.scalars(
                select(RmaLine.quantity_received).where(RmaLine.rma_id == rma_id)
            ).all()
            assert sorted(received) == [3, 4]
            assert _count(session, RmaEvent.rma_id == rma_id, RmaEvent.trigger == "receive") == 1


ALLOWANCE_POLICY = {
    "allowance": {"enabled": True, "mode": "blocking", "percent": "15", "period_days": 365}
}


def test_concurrent_rotations_stay_within_the_allowance(committed_sessions):
    """Eight drafts of €100 each against a €150 allowance, submitted at once: one goes
    through. Operation level (tests/portal/requests/test_races.py's harness), not HTTP."""
    from tests.portal.requests.test_races import _race as submit_race
    from tests.portal.requests.test_races import _setup as drafts_of_one_retailer

    for trial in range(TRIALS):
        with committed_sessions() as session:
            # €1,000 bought 100 days ago, so a €150 allowance; each draft returns €100.
            user_id, account_id, numbers = drafts_of_one_retailer(
                session, THREADS, bought=(100, "10.00"), returned=10, policy=ALLOWANCE_POLICY
            )
        jobs = [(number, f"allowance-{trial}-{number}") for number in numbers]
        results = submit_race(committed_sessions, user_id, jobs)
        assert results.count("submitted") == 1, results
        refused = [r for r in results if r != "submitted"]
        assert all("Allowance: €200.00 of €150.00" in r for r in refused), refused
        with committed_sessions() as session:
            submitted = session.scalar(
                select(func.coalesce(func.sum(Rma.total_value), 0)).where(
                    Rma.account_id == account_id, Rma.state != "draft"
                )
            )
            assert submitted <= 150, submitted


def test_concurrent_adds_of_one_order_line_make_one_line(pg):
    """Eight "add 3" posts of the same order line (20 still returnable) to one draft: the
    draft keeps one line for it, holding exactly the units of the posts that were accepted
    (none lost, none twice); the others are told how many can be returned."""
    from workflow_designer.runtime.policy_facts import returnable_quantities

    app, sessions, ids, shop = pg
    clients = _clients(app, ids["retailer_a"])
    order_line_id = shop["order_line_ids"][0]
    for _trial in range(ADD_TRIALS):
        with sessions() as session:
            rma = _draft(session, shop)
            number, rma_id = rma.number, rma.id
            session.commit()
            returnable = returnable_quantities(session, [order_line_id])[order_line_id]
        assert returnable == 20  # so six posts fit and two do not
        results = _race(clients, f"/requests/{number}/lines", {f"qty-{order_line_id}": "3"})
        statuses = Counter(status for status, _body in results)
        assert statuses == {303: 6, 422: 2}, statuses
        for status, body in results:
            assert status == 303 or "can be returned" in body, body
        with sessions() as session:
            quantities = session.scalars(
                select(RmaLine.quantity_requested).where(RmaLine.rma_id == rma_id)
            ).all()
        assert quantities == [18]


def test_concurrent_edits_and_removals_of_one_line_never_fail(pg):
    """Four "change quantity" and four "remove" posts of one draft line at once: whichever
    commits first wins, a change that comes after the removal is told the line is gone
    (409), a repeated removal is a no-op, and nothing answers 5xx."""
    app, sessions, ids, shop = pg
    clients = _clients(app, ids["retailer_a"])
    order_line_id = shop["order_line_ids"][0]
    for _trial in range(ADD_TRIALS):
        with sessions() as session:
            rma = _draft(session, shop)
            session.add(RmaLine(rma=rma, order_line_id=order_line_id, quantity_requested=1))
            session.flush()
            number, rma_id, line_id = rma.number, rma.id, rma.lines[0].id
            session.commit()
        base = f"/requests/{number}/lines/{line_id}"
        posts = [(f"{base}/delete", {})] * 4 + [(base, {f"l{line_id}-quantity": "2"})] * 4
        results = _race_posts(clients, posts)
        removed = [
            status for (url, _), (status, _) in zip(posts, results, strict=True) if "delete" in url
        ]
        changed = [
            status
            for (url, _), (status, _) in zip(posts, results, strict=True)
            if "delete" not in url
        ]
        assert set(removed) <= {303, 404}, _shown(results)
        assert set(changed) <= {303, 404, 409}, _shown(results)
        with sessions() as session:
            assert session.scalar(select(func.count()).where(RmaLine.rma_id == rma_id)) == 0


def _draft(session, shop) -> Rma:
    """An empty draft of account A's shop, for a race over its lines."""
    from tests.factories import make_rma_with_lines

    return make_rma_with_lines(
        session,
        shop["account"],
        shop["version"],
        [],
        state="draft",
        return_type=shop["return_type"],
    )


def _shown(results: list[tuple[int, str]]) -> list[tuple[int, str]]:
    return [
        (status, body if status in (0, 422) or status >= 500 else "") for status, body in results
    ]


def _race_posts(clients, posts: list[tuple[str, dict]]) -> list[tuple[int, str]]:
    """Each client sends its own post at the same moment; results in the order of ``posts``."""
    barrier = threading.Barrier(len(clients))
    results: list[tuple[int, str]] = [(0, "")] * len(posts)

    def press(index: int, client) -> None:
        url, data = posts[index]
        barrier.wait()
        try:
            response = client.post(url, data=data)
        except Exception:  # a crash in the app, with its traceback for the report
            results[index] = (0, traceback.format_exc())
        else:
            results[index] = (response.status_code, response.get_data(as_text=True))

    threads = [
        threading.Thread(target=press, args=(index, client)) for index, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
