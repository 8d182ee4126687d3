"""The staff summary of the survey against a small data set computed by hand: two months
either side of a month boundary, two reps, an account with no rep (in a region of its own),
two return types. Staff read it under analytics (``/analytics/feedback/<view>``)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from models import FeedbackAnswer, FeedbackAnswerTag, FeedbackTag
from models.base import utcnow
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
    no_rep = make_account(db_session, name="Optik Ohne", region="AT")
    defective = make_return_type(
        db_session, world.version.workflow_id, name="Defective", code="defective"
    )
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
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


PAGE = "/analytics/feedback"
JAN_FEB_QUERY = "start=2026-01&end=2026-02"


def test_the_page_and_its_csv_show_the_same_table(client, login_as, answers):
    login_as(answers.admin)
    page = client.get(f"{PAGE}/rep?{JAN_FEB_QUERY}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Rita Rep" in body and "No sales rep" in body and "5 answers" in body
    assert f'href="{PAGE}/rep.csv?start=2026-01&amp;end=2026-02"' in body
    rows = _csv(client.get(f"{PAGE}/rep.csv?{JAN_FEB_QUERY}"))
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
    codes = _csv(client.get(f"{PAGE}/rep.csv?{JAN_FEB_QUERY}&headers=codes"))[0]
    assert (
        codes[:4] == ["rep", "answers", "average", "rating_1"] and codes[-1] == "tag_label_problems"
    )


def test_the_page_shows_its_charts_before_the_table(client, login_as, answers):
    login_as(answers.admin)
    body = client.get(f"{PAGE}/return-type?{JAN_FEB_QUERY}").get_data(as_text=True)
    average = body.index('id="chart-feedback-average-title"')
    spread = body.index('id="chart-feedback-ratings-title"')
    assert average < spread < body.index("<table")
    assert "Average rating per return type, of 5" in body
    assert "Stock rotation · 4 answers" in body and "Defective · 1 answer" in body
    assert "5 – Excellent" in body
    months = client.get(f"{PAGE}/month?{JAN_FEB_QUERY}").get_data(as_text=True)
    assert "Average rating by month, of 5" in months and "<table" in months


def test_a_reps_page_and_csv_leave_other_reps_out(client, login_as, answers):
    login_as(answers.rep)
    body = client.get(f"{PAGE}/rep?{JAN_FEB_QUERY}").get_data(as_text=True)
    assert "Rita Rep" in body and "Otto Other" not in body and "No sales rep" not in body
    for view in ("rep", "return-type"):
        text = repr(_csv(client.get(f"{PAGE}/{view}.csv?{JAN_FEB_QUERY}")))
        assert "Otto Other" not in text and "No sales rep" not in text
    rows = _csv(client.get(f"{PAGE}/month.csv?{JAN_FEB_QUERY}"))
    assert [row[:3] for row in rows[1:]] == [
        ["2026-01", "1", "5.00"],
        ["2026-02", "2", "3.00"],
        ["Total", "3", "3.67"],
    ]


def test_a_rep_cannot_filter_on_another_reps_account(client, login_as, answers):
    login_as(answers.rep)
    number = answers.other_account.number
    page = client.get(f"{PAGE}/rep?{JAN_FEB_QUERY}&account={number}")
    assert page.status_code == 422
    assert f"No account numbered {number} among the accounts you see." in page.text
    assert "Otto Other" not in page.text
    assert client.get(f"{PAGE}/rep.csv?{JAN_FEB_QUERY}&account={number}").status_code == 400


def test_filters_narrow_page_and_csv_alike(client, login_as, answers):
    login_as(answers.admin)

    def shown(query: str) -> list[list[str]]:
        rows = _csv(client.get(f"{PAGE}/rep.csv?{JAN_FEB_QUERY}&{query}"))
        page = client.get(f"{PAGE}/rep?{JAN_FEB_QUERY}&{query}").get_data(as_text=True)
        for row in rows[1:]:
            assert row[0] in page
        return [row[:3] for row in rows[1:]]

    assert shown(f"account={answers.other_account.number}") == [
        ["Otto Other", "1", "3.00"],
        ["Total", "1", "3.00"],
    ]
    assert shown("region=AT") == [["No sales rep", "1", "5.00"], ["Total", "1", "5.00"]]
    assert shown("return_type=defective") == [["Rita Rep", "1", "2.00"], ["Total", "1", "2.00"]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-13", "Give a month as year and month"),
        ("start=abc", "Give a month as year and month"),
        ("start=2026-03&end=2026-01", "The last month comes before the first."),
        ("start=2000-01&end=2026-01", "at most 120 months"),
        ("return_type=nonsense", "Not a valid choice"),
    ],
)
def test_bad_filters_are_explained(client, login_as, answers, query, message):
    login_as(answers.admin)
    page = client.get(f"{PAGE}/rep?{query}")
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    export = client.get(f"{PAGE}/rep.csv?{query}")
    assert export.status_code == 400
    assert message in export.get_data(as_text=True)


def test_an_unknown_view_is_not_found(client, login_as, answers):
    login_as(answers.admin)
    assert client.get(f"{PAGE}/account").status_code == 404
    assert client.get(f"{PAGE}/account.csv").status_code == 404


def test_a_query_argument_named_like_the_view_is_not_carried_into_links(client, login_as, answers):
    """``?view=`` would be the tab links' and CSV links' path argument twice over."""
    login_as(answers.admin)
    page = client.get(f"{PAGE}/month?{JAN_FEB_QUERY}&view=rep")
    assert page.status_code == 200
    assert f'href="{PAGE}/rep?start=2026-01&amp;end=2026-02"' in page.text


def test_a_period_without_answers_says_so(client, login_as, answers):
    login_as(answers.admin)
    body = client.get(f"{PAGE}/rep?start=2024-01&end=2024-06").get_data(as_text=True)
    assert "No answers in this period with these filters." in body
    assert "<table" not in body and "chart-feedback" not in body
    rows = _csv(client.get(f"{PAGE}/rep.csv?start=2024-01&end=2024-06"))
    assert len(rows) == 1 and rows[0][0] == "Sales rep"


def test_retailers_and_warehouse_staff_are_refused(client, login_as, answers):
    for user in (answers.retailer, answers.warehouse_user):
        login_as(user)
        for url in (f"{PAGE}/rep", f"{PAGE}/rep.csv"):
            assert client.get(url).status_code == 403, (user.role, url)


def test_analytics_lists_the_feedback_views(client, login_as, answers):
    for user in (answers.admin, answers.rep):
        login_as(user)
        home = client.get("/analytics/").get_data(as_text=True)
        assert "Retailer feedback" in home
        for view in ("rep", "return-type", "month"):
            assert f'href="{PAGE}/{view}"' in home


def test_kept_figures_follow_an_answer_given_or_changed(client, login_as, answers, db_session):
    login_as(answers.admin)
    url = f"{PAGE}/return-type.csv?{JAN_FEB_QUERY}&headers=codes"
    before = _csv(client.get(url))
    assert _csv(client.get(url)) == before  # shown again from the kept figures
    answer = db_session.scalars(select(FeedbackAnswer).where(FeedbackAnswer.rating == 2)).one()
    answer.rating, answer.updated_at = 5, utcnow()  # as changing an answer stamps it
    db_session.flush()
    after = _csv(client.get(url))
    assert after != before
    assert after == _csv(client.get(url))
