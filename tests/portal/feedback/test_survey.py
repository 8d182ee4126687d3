"""The retailer answers the survey of a resolved RMA: one answer per RMA, changeable for
14 days after the first answer, then read-only; staff read it on the RMA page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import FeedbackAnswer, FeedbackAnswerTag, FeedbackTag
from models.base import utcnow
from portal.feedback.rules import CHANGE_WINDOW
from tests.world import add_rma

ANSWER = {
    "rating": "4",
    "went_well": ["quick_approval", "fair_credit"],
    "went_badly": ["label_problems"],
    "comment": "The label printer choked on the PDF.",
}


def _answers(session) -> list[FeedbackAnswer]:
    session.expire_all()
    return list(session.scalars(select(FeedbackAnswer)))


def _post(client, rma, data=ANSWER):
    return client.post(f"/rmas/{rma.number}/feedback", data=data)


def test_the_retailer_is_invited_on_the_page_and_answers(
    client, login_as, world, closed, db_session
):
    login_as(world.retailer)
    page = client.get(f"/rmas/{closed.number}").get_data(as_text=True)
    assert "How did this return go?" in page
    assert f'href="/rmas/{closed.number}/feedback"' in page
    form = client.get(f"/rmas/{closed.number}/feedback")
    assert form.status_code == 200
    assert 'type="radio"' in form.get_data(as_text=True)

    response = _post(client, closed)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/rmas/{closed.number}#feedback")
    [answer] = _answers(db_session)
    assert (answer.rma_id, answer.rating, answer.answered_by_id) == (
        closed.id,
        4,
        world.retailer.id,
    )
    assert answer.tags == [
        FeedbackTag.QUICK_APPROVAL,
        FeedbackTag.FAIR_CREDIT,
        FeedbackTag.LABEL_PROBLEMS,
    ]
    assert answer.comment == ANSWER["comment"]

    page = client.get(f"/rmas/{closed.number}").get_data(as_text=True)
    assert "Your feedback" in page and "4 of 5" in page and "Fair credit" in page
    assert "Change your answer" in page


def test_a_second_answer_within_the_window_changes_the_one_row(
    client, login_as, world, closed, db_session
):
    login_as(world.retailer)
    _post(client, closed)
    changed = {"rating": "2", "went_badly": ["slow_credit"], "comment": ""}
    assert _post(client, closed, changed).status_code == 303
    [answer] = _answers(db_session)
    assert answer.rating == 2
    assert answer.tags == [FeedbackTag.SLOW_CREDIT]
    assert answer.comment == ""
    assert db_session.scalar(select(func.count()).select_from(FeedbackAnswerTag)) == 1
    # The form shows the answer given so far.
    form = client.get(f"/rmas/{closed.number}/feedback").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="rating"[^>]*value="2"', form), form
    assert re.search(r'<input checked[^>]*value="slow_credit"', form)
    assert not re.search(r'<input checked[^>]*value="fair_credit"', form)


def test_after_the_window_the_answer_is_read_only_and_nothing_changes(
    client, login_as, world, closed, db_session
):
    login_as(world.retailer)
    _post(client, closed)
    [answer] = _answers(db_session)
    answer.created_at = utcnow() - CHANGE_WINDOW - timedelta(minutes=1)
    db_session.flush()
    before = (answer.rating, answer.comment, answer.updated_at, answer.tags)

    response = _post(client, closed, {"rating": "1", "comment": "Changed my mind"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "can no longer be changed" in body
    [answer] = _answers(db_session)
    assert (answer.rating, answer.comment, answer.updated_at, answer.tags) == before

    form = client.get(f"/rmas/{closed.number}/feedback").get_data(as_text=True)
    assert 'type="radio"' not in form and "can no longer be changed" in form
    page = client.get(f"/rmas/{closed.number}").get_data(as_text=True)
    assert "Change your answer" not in page and "4 of 5" in page


def test_the_window_counts_from_the_first_answer_not_the_last_change(
    client, login_as, world, closed, db_session
):
    login_as(world.retailer)
    _post(client, closed)
    [answer] = _answers(db_session)
    answer.created_at = utcnow() - CHANGE_WINDOW + timedelta(hours=1)
    db_session.flush()
    assert _post(client, closed, {**ANSWER, "rating": "5"}).status_code == 303
    [answer] = _answers(db_session)
    answer.created_at = utcnow() - CHANGE_WINDOW - timedelta(seconds=1)  # the change moved nothing
    db_session.flush()
    assert _post(client, closed, {**ANSWER, "rating": "3"}).status_code == 422
    assert _answers(db_session)[0].rating == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rating": "6"}, "Choose a rating from 1 (very poor) to 5 (excellent)."),
        ({"rating": "0"}, "Choose a rating from 1 (very poor) to 5 (excellent)."),
        ({"rating": "abc"}, "Choose a rating from 1 (very poor) to 5 (excellent)."),
        ({}, "Choose a rating from 1 (very poor) to 5 (excellent)."),
        ({"rating": "3", "went_well": ["teleportation"]}, "Choose only from the tags listed."),
        ({"rating": "3", "went_well": ["slow_credit"]}, "Choose only from the tags listed."),
        ({"rating": "3", "comment": "x" * 2001}, "at most 2,000 characters"),
        ({"rating": "3", "comment": "a\x00b"}, "can&#39;t be stored"),
    ],
)
def test_bad_answers_are_refused_and_store_nothing(
    client, login_as, world, closed, db_session, data, message
):
    login_as(world.retailer)
    response = _post(client, closed, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _answers(db_session) == []


def test_an_rma_still_in_progress_has_no_survey(client, login_as, world, db_session):
    rma = add_rma(db_session, world, state="awaiting_receipt")
    login_as(world.retailer)
    assert "How did this return go?" not in client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    response = _post(client, rma)
    assert response.status_code == 422
    assert "is not resolved yet" in response.get_data(as_text=True)
    assert _answers(db_session) == []


@pytest.mark.parametrize(
    ("state", "resolution", "asked"),
    [
        ("credited", "credit", True),  # settled: the outcome is known before it is closed
        ("exchanged", "exchange", True),
        ("rejected", None, True),  # how a refusal was explained is worth knowing
        ("closed", "credit", True),
        ("cancelled", None, False),  # withdrawn: nothing was handled to rate
        ("inspected", None, False),
    ],
)
def test_which_rmas_are_asked_about(client, login_as, world, db_session, state, resolution, asked):
    rma = add_rma(db_session, world, state=state, resolution=resolution)
    login_as(world.retailer)
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    assert ("How did this return go?" in page) is asked
    assert (_post(client, rma).status_code == 303) is asked


def test_staff_read_the_answer_and_may_not_answer(client, login_as, world, closed, db_session):
    login_as(world.admin)
    page = client.get(f"/rmas/{closed.number}").get_data(as_text=True)
    assert "Retailer feedback" in page and "has not answered the survey yet" in page
    assert _post(client, closed).status_code == 403
    assert _answers(db_session) == []

    login_as(world.retailer)
    _post(client, closed)
    for staff in (world.admin, world.rep, world.warehouse_user):
        login_as(staff)
        page = client.get(f"/rmas/{closed.number}").get_data(as_text=True)
        assert "Retailer feedback" in page
        assert "4 of 5" in page and "The label printer choked on the PDF." in page
        assert "Answered by Olga Optician" in page
        assert "Change your answer" not in page
        assert client.get(f"/rmas/{closed.number}/feedback").status_code == 403


def test_another_accounts_retailer_finds_nothing(client, login_as, world, closed, db_session):
    login_as(world.other_retailer)
    assert client.get(f"/rmas/{closed.number}/feedback").status_code == 404
    assert _post(client, closed).status_code == 404
    assert _answers(db_session) == []
