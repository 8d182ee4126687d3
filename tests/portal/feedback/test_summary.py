"""The staff summary of the survey against a small data set computed by hand: two months
either side of a month boundary, two reps, an account with no rep, two return types."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text

from models import FeedbackAnswer, FeedbackAnswerTag, FeedbackTag
from portal.analytics.period import MonthRange
from portal.feedback.queries import GroupBy, feedback_summary
from tests.factories import make_account, make_return_type, make_rma

T = FeedbackTag
JAN_FEB = MonthRange(date(2026, 1, 1), date(2026, 2, 1))


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def answers(db_session, world):
    """Seven answers; Jan–Feb 2026 holds the first five (see each line)."""
    no_rep = make_account(db_session, name="Optik Ohne")
    defective = make_return_type(db_session, world.version.workflow_id, name="Defective")
    rotation = world.return_type  # "Stock rotation"
    rows = [
        # account, return type, rating, tags, first answered
        (world.account, rotation, 5, [T.QUICK_APPROVAL, T.FAIR_CREDIT], _at(2026, 1, 31, 23, 30)),
        (world.account, defective, 2, [T.SLOW_CREDIT], _at(2026, 2, 1, 0, 0)),
        (world.account, rotation, 4, [T.FAIR_CREDIT], _at(2026, 2, 15, 12, 0)),
        (
            world.other_account,
            rotation,
            3,
            [T.UNCLEAR_RULES, T.SLOW_CREDIT],
            _at(2026, 2, 28, 23, 59, 59),
        ),
        (no_rep, rotation, 5, [], _at(2026, 1, 10, 8, 0)),
        (world.other_account, defective, 1, [T.LABEL_PROBLEMS], _at(2026, 3, 1, 0, 0)),
        (world.account, rotation, 3, [T.HELPFUL_REP], _at(2025, 12, 31, 23, 59, 59)),
    ]
    for account, return_type, rating, tags, moment in rows:
        rma = make_rma(
            db_session,
            account,
            world.version,
            state="closed",
            resolution="credit",
            return_type=return_type,
        )
        db_session.add(
            FeedbackAnswer(
                rma_id=rma.id,
                rating=rating,
                created_at=moment,
                updated_at=moment,
                tag_rows=[FeedbackAnswerTag(tag=tag) for tag in tags],
            )
        )
    db_session.flush()
    if db_session.get_bind().dialect.name == "postgresql":
        # Months are UTC months whatever the session's zone: 23:30 UTC on 31 January is
        # already February in Berlin.
        db_session.execute(text("SET LOCAL TIME ZONE 'Europe/Berlin'"))
    return world


def _figures(row) -> tuple:
    tags = {tag: n for tag, n in row.tags.items() if n}
    return row.count, row.average, [row.distribution[r] for r in range(1, 6)], tags


def test_by_rep_for_an_admin(db_session, answers):
    summary = feedback_summary(db_session, answers.admin, JAN_FEB, GroupBy.REP)
    assert [(row.label, row.key) for row in summary.rows] == [
        ("Otto Other", answers.other_rep.id),
        ("Rita Rep", answers.rep.id),
        ("", None),  # the account without a rep, last
    ]
    otto, rita, nobody = (_figures(row) for row in summary.rows)
    assert rita == (
        3,
        Decimal("3.67"),
        [0, 1, 0, 1, 1],
        {T.QUICK_APPROVAL: 1, T.FAIR_CREDIT: 2, T.SLOW_CREDIT: 1},
    )
    assert otto == (1, Decimal("3.00"), [0, 0, 1, 0, 0], {T.UNCLEAR_RULES: 1, T.SLOW_CREDIT: 1})
    assert nobody == (1, Decimal("5.00"), [0, 0, 0, 0, 1], {})
    assert _figures(summary.total) == (
        5,
        Decimal("3.80"),
        [0, 1, 1, 1, 2],
        {T.QUICK_APPROVAL: 1, T.FAIR_CREDIT: 2, T.SLOW_CREDIT: 2, T.UNCLEAR_RULES: 1},
    )


def test_by_month_counts_each_answer_in_its_utc_month(db_session, answers):
    summary = feedback_summary(db_session, answers.admin, JAN_FEB, GroupBy.MONTH)
    assert [row.key for row in summary.rows] == [date(2026, 1, 1), date(2026, 2, 1)]
    january, february = (_figures(row) for row in summary.rows)
    assert january == (2, Decimal("5.00"), [0, 0, 0, 0, 2], {T.QUICK_APPROVAL: 1, T.FAIR_CREDIT: 1})
    assert february == (
        3,
        Decimal("3.00"),
        [0, 1, 1, 1, 0],
        {T.SLOW_CREDIT: 2, T.FAIR_CREDIT: 1, T.UNCLEAR_RULES: 1},
    )


def test_by_return_type(db_session, answers):
    summary = feedback_summary(db_session, answers.admin, JAN_FEB, GroupBy.RETURN_TYPE)
    assert [row.label for row in summary.rows] == ["Defective", "Stock rotation"]
    defective, rotation = (_figures(row) for row in summary.rows)
    assert defective == (1, Decimal("2.00"), [0, 1, 0, 0, 0], {T.SLOW_CREDIT: 1})
    assert rotation[:3] == (4, Decimal("4.25"), [0, 0, 1, 1, 2])


def test_a_rep_sees_only_the_accounts_assigned_to_them(db_session, answers):
    rita = feedback_summary(db_session, answers.rep, JAN_FEB, GroupBy.RETURN_TYPE)
    assert [(row.label, *_figures(row)[:2]) for row in rita.rows] == [
        ("Defective", 1, Decimal("2.00")),
        ("Stock rotation", 2, Decimal("4.50")),
    ]
    assert rita.total.count == 3
    otto = feedback_summary(
        db_session, answers.other_rep, MonthRange(date(2026, 1, 1), date(2026, 3, 1)), GroupBy.MONTH
    )
    assert [(row.key.month, row.count, row.average) for row in otto.rows] == [
        (1, 0, None),
        (2, 1, Decimal("3.00")),
        (3, 1, Decimal("1.00")),
    ]


def test_retailers_and_warehouse_staff_summarise_nothing(db_session, answers):
    for user in (answers.retailer, answers.warehouse_user):
        summary = feedback_summary(db_session, user, JAN_FEB, GroupBy.REP)
        assert summary.rows == [] and summary.total.count == 0


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_page_and_its_csv_show_the_same_table(client, login_as, answers):
    login_as(answers.admin)
    query = "?first=2026-01&last=2026-02&group=rep"
    page = client.get(f"/feedback/{query}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Rita Rep" in body and "No sales rep" in body and "5 answers" in body
    assert 'href="/feedback/summary.csv?first=2026-01&amp;last=2026-02&amp;group=rep"' in body
    rows = _csv(client.get(f"/feedback/summary.csv{query}"))
    assert rows[0][:4] == ["Sales rep", "Answers", "Average rating", "Rated 1"]
    assert rows[0][8:10] == ["Quick approval", "Clear instructions"]
    assert rows[1:] == [
        [
            "Otto Other",
            "1",
            "3.00",
            "0",
            "0",
            "1",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "1",
            "0",
            "1",
            "0",
        ],
        [
            "Rita Rep",
            "3",
            "3.67",
            "0",
            "1",
            "0",
            "1",
            "1",
            "1",
            "0",
            "2",
            "0",
            "0",
            "0",
            "0",
            "0",
            "1",
            "0",
        ],
        [
            "No sales rep",
            "1",
            "5.00",
            "0",
            "0",
            "0",
            "0",
            "1",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
            "0",
        ],
        [
            "Total",
            "5",
            "3.80",
            "0",
            "1",
            "1",
            "1",
            "2",
            "1",
            "0",
            "2",
            "0",
            "0",
            "0",
            "1",
            "0",
            "2",
            "0",
        ],
    ]
    codes = _csv(client.get(f"/feedback/summary.csv{query}&headers=codes"))[0]
    assert (
        codes[:4] == ["rep", "answers", "average", "rating_1"] and codes[-1] == "tag_label_problems"
    )


def test_a_reps_page_and_csv_leave_other_reps_out(client, login_as, answers):
    login_as(answers.rep)
    body = client.get("/feedback/?first=2026-01&last=2026-02").get_data(as_text=True)
    assert "Rita Rep" in body and "Otto Other" not in body and "No sales rep" not in body
    rows = _csv(client.get("/feedback/summary.csv?first=2026-01&last=2026-02&group=month"))
    assert [row[:3] for row in rows[1:]] == [
        ["2026-01", "1", "5.00"],
        ["2026-02", "2", "3.00"],
        ["Total", "3", "3.67"],
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?first=2026-13", "Give a month as year and month"),
        ("?first=abc", "Give a month as year and month"),
        ("?first=2026-03&last=2026-01", "The last month comes before the first."),
        ("?first=2000-01&last=2026-01", "at most 120 months"),
        ("?group=account", "Group by sales rep, return type or month."),
    ],
)
def test_bad_filters_are_explained(client, login_as, answers, query, message):
    login_as(answers.admin)
    page = client.get(f"/feedback/{query}")
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    export = client.get(f"/feedback/summary.csv{query}")
    assert export.status_code == 400
    assert message in export.get_data(as_text=True)


def test_a_period_without_answers_shows_an_empty_table(client, login_as, answers):
    login_as(answers.admin)
    body = client.get("/feedback/?first=2024-01&last=2024-06").get_data(as_text=True)
    assert "No answers in this period." in body and "Total" not in body
    rows = _csv(client.get("/feedback/summary.csv?first=2024-01&last=2024-06"))
    assert len(rows) == 1 and rows[0][0] == "Sales rep"
