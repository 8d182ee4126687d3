"""The weekly digest: when it is due, what it tells each recipient, in their language,
and that each recipient gets it once a week."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models import Channel, OutboxMessage, Rma, User
from models.signals import WeeklyDigest
from portal import create_app
from portal.db import get_database
from portal.notifications.worker import RetryPolicy, Worker, compose_email
from portal.signals import rules
from portal.signals.digest import DIGEST_TEMPLATE, Schedule, queue_due_digests
from tests.factories import make_distributor_profile
from tests.portal.signals.dataset import build
from tests.support import POSTGRES_URL, TEST_CONFIG

MONDAY_7_BERLIN = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # 07:00 in Berlin, week 50
SCHEDULE = Schedule(weekday=1, hour=7)


@pytest.mark.parametrize(
    ("now", "week"),
    [
        (MONDAY_7_BERLIN - timedelta(minutes=1), None),  # 06:59 in Berlin
        (MONDAY_7_BERLIN, "2026-W50"),
        (MONDAY_7_BERLIN + timedelta(days=6, hours=16), "2026-W50"),  # Sunday 23:00
        (MONDAY_7_BERLIN + timedelta(days=6, hours=17), None),  # Monday 00:00, week 51
    ],
)
def test_the_digest_is_due_from_the_weekday_and_hour_in_the_distributors_zone(now, week):
    assert SCHEDULE.due_week(now, "Europe/Berlin") == week


def test_in_utc_the_same_moment_is_an_hour_early():
    assert SCHEDULE.due_week(MONDAY_7_BERLIN, "UTC") is None
    assert SCHEDULE.due_week(MONDAY_7_BERLIN + timedelta(hours=1), None) == "2026-W50"


@pytest.fixture
def net(app, db_session):
    make_distributor_profile(db_session, time_zone="Europe/Berlin")
    built = build(db_session)
    # Two RMAs wait on the rep: one overdue since Friday, one due on Wednesday.
    overdue, later = built.rmas["a2"], built.rmas["b1"]
    overdue.approver_user_id = later.approver_user_id = built.rep.id
    overdue.due_at = MONDAY_7_BERLIN - timedelta(days=3)
    later.due_at = MONDAY_7_BERLIN + timedelta(days=2)
    db_session.flush()
    with app.app_context():
        yield built


def digests(session) -> dict[int, OutboxMessage]:
    session.expire_all()
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.template == DIGEST_TEMPLATE))
    return {row.recipient_user_id: row for row in rows}


def queue(app, now=MONDAY_7_BERLIN, **options) -> list[int]:
    return queue_due_digests(get_database(app).session_factory, now, SCHEDULE, **options)


def test_each_rep_and_admin_gets_what_waits_on_them_and_their_accounts_signals(
    app, db_session, net
):
    assert sorted(queue(app)) == sorted([net.rep.id, net.admin.id])
    rows = digests(db_session)
    assert set(rows) == {net.rep.id, net.admin.id}  # the other rep: nothing to tell
    rep = rows[net.rep.id]
    assert (rep.channel, rep.recipient_address, rep.rma_id) == (Channel.EMAIL, net.rep.email, None)
    payload = rep.payload
    assert payload["week"] == "2026-W50"
    assert (payload["waiting_count"], payload["overdue_count"]) == (2, 1)
    assert [item["number"] for item in payload["waiting"]] == ["RMA-SIG-A2", "RMA-SIG-B1"]
    assert [item["overdue"] for item in payload["waiting"]] == [True, False]
    # At the 90th percentile of four accounts no return rate is above it; Alpha has the rest.
    assert [(s["account_name"], s["code"]) for s in payload["signals"]] == [
        ("Optik Alpha", code) for code in rules.CODES if code != rules.RETURN_RATE
    ]
    assert rows[net.admin.id].payload["waiting_count"] == 2  # admins: all that waits


def test_a_digest_goes_out_once_a_week(app, db_session, net):
    assert queue(app, MONDAY_7_BERLIN - timedelta(minutes=1)) == []  # not yet
    assert len(queue(app)) == 2
    assert queue(app, MONDAY_7_BERLIN + timedelta(hours=5)) == []
    assert queue(app, force=True) == []  # forcing never sends a second one that week
    assert len(digests(db_session)) == 2
    assert db_session.scalar(select(func.count()).select_from(WeeklyDigest)) == 3  # + other rep
    next_week = MONDAY_7_BERLIN + timedelta(days=7)
    assert len(queue(app, next_week)) == 2


def test_inactive_users_and_retailers_get_none(app, db_session, net):
    net.admin.is_active = False
    db_session.flush()
    assert queue(app) == [net.rep.id]


def _mail(app, db_session, user: User):
    row = digests(db_session)[user.id]
    return compose_email("Rotaflow <returns@nordwind.example.com>")(db_session, row)


def test_the_digest_is_written_in_the_recipients_language(app, db_session, net):
    net.rep.locale = "de"
    db_session.flush()
    queue(app)
    german = _mail(app, db_session, net.rep)
    english = _mail(app, db_session, net.admin)
    assert german["Subject"] == "Ihre wöchentliche Retouren-Übersicht (2026-W50)"
    assert english["Subject"] == "Your weekly returns digest (2026-W50)"
    text = german.get_body(("plain",)).get_content()
    assert "2 Retouren warten auf Ihre Entscheidung; 1 davon überfällig." in text
    assert "RMA-SIG-A2 · Optik Alpha · überfällig seit 4. Dez. 2026" in text
    assert "Optik Alpha: Zustand nicht wie angegeben." in text
    assert "3 Positionen wurden bei der Prüfung schlechter bewertet" in text
    english_text = english.get_body(("plain",)).get_content()
    assert "2 returns are waiting for your decision; 1 of them overdue." in english_text
    assert "RMA-SIG-B1 · Optik Beta · due Dec 9, 2026" in english_text
    assert (
        "3 lines were graded worse than their stated condition at inspection "
        "(of 4 graded in the last 12 months)." in english_text
    )
    assert "http://127.0.0.1:5000/rmas/RMA-SIG-A2" in english_text
    assert "http://127.0.0.1:5000/approvals/" in english.get_body(("html",)).get_content()


def test_the_worker_queues_due_digests_and_delivers_them(app, db_session, net, tmp_path):
    from portal.notifications.sink import SinkTransport, list_sink

    factory = get_database(app).session_factory
    worker = Worker(
        factory,
        SinkTransport(str(tmp_path)),
        compose_email("Rotaflow <returns@nordwind.example.com>"),
        RetryPolicy(),
        clock=lambda: MONDAY_7_BERLIN,
        digests=lambda now: queue_due_digests(factory, now, SCHEDULE),
    )
    result = worker.run_once()
    assert (result.digests, result.sent) == (2, 2)
    subjects = {entry.subject for entry in list_sink(str(tmp_path))}
    assert subjects == {"Your weekly returns digest (2026-W50)"}
    assert worker.run_once().digests == 0


@pytest.mark.postgres_only
def test_concurrent_workers_queue_one_digest_per_recipient(committed_sessions):
    with committed_sessions() as session:
        make_distributor_profile(session, time_zone="Europe/Berlin")
        built = build(session)
        session.commit()
        expected = {built.rep.id, built.admin.id}
    app = create_app({**TEST_CONFIG, "DATABASE_URL": POSTGRES_URL})
    barrier = threading.Barrier(8)
    results: list[list[int]] = []

    def run() -> None:
        with app.app_context():
            barrier.wait()
            results.append(queue_due_digests(committed_sessions, MONDAY_7_BERLIN, SCHEDULE))

    try:
        threads = [threading.Thread(target=run) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        get_database(app).engine.dispose()
    assert sorted(user for queued in results for user in queued) == sorted(expected)
    with committed_sessions() as session:
        rows = session.scalars(
            select(OutboxMessage.recipient_user_id).where(OutboxMessage.template == DIGEST_TEMPLATE)
        ).all()
        assert sorted(rows) == sorted(expected)
        assert session.scalar(select(func.count()).select_from(Rma)) > 0


def test_a_rep_who_turned_the_digest_off_gets_none(app, client, login_as, db_session, net):
    login_as(net.rep)
    assert "Send me the weekly digest" in client.get("/me").get_data(as_text=True)
    response = client.post("/me/preferences", data={"locale": "", "time_zone": ""})
    assert response.status_code == 303
    db_session.expire_all()
    assert net.rep.weekly_digest is False
    assert queue(app) == [net.admin.id]
    client.post("/me/preferences", data={"locale": "", "time_zone": "", "weekly_digest": "y"})
    db_session.expire_all()
    assert net.rep.weekly_digest is True


def test_retailers_are_not_offered_the_digest(client, login_as, db_session, net):
    login_as(net.retailer)
    assert "weekly digest" not in client.get("/me").get_data(as_text=True)
    client.post("/me/preferences", data={"locale": "", "time_zone": ""})
    db_session.expire_all()
    assert net.retailer.weekly_digest is True  # untouched: never theirs to choose
