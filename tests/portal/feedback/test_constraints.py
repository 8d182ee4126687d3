"""The database holds the survey to its rules, whoever writes: one answer per RMA, a
rating of 1 to 5, tags from the vocabulary and each once per answer."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError, StatementError

from models import FeedbackAnswer, FeedbackAnswerTag, FeedbackTag


def _answer(db_session, rma, **fields) -> FeedbackAnswer:
    fields.setdefault("rating", 3)
    answer = FeedbackAnswer(rma_id=rma.id, **fields)
    db_session.add(answer)
    db_session.flush()
    return answer


def _refused(db_session, write) -> None:
    with pytest.raises(IntegrityError), db_session.begin_nested():
        write()
        db_session.flush()


def test_one_answer_per_rma(db_session, closed):
    _answer(db_session, closed)
    _refused(db_session, lambda: db_session.add(FeedbackAnswer(rma_id=closed.id, rating=5)))


@pytest.mark.parametrize("rating", [0, 6, -1, 100])
def test_the_rating_runs_from_one_to_five(db_session, closed, rating):
    _refused(db_session, lambda: db_session.add(FeedbackAnswer(rma_id=closed.id, rating=rating)))


@pytest.mark.parametrize("rating", [1, 5])
def test_the_ends_of_the_scale_are_ratings(db_session, closed, rating):
    assert _answer(db_session, closed, rating=rating).rating == rating


def test_a_tag_outside_the_vocabulary_is_refused(db_session, closed):
    answer = _answer(db_session, closed)
    statement = text("INSERT INTO feedback_answer_tags (answer_id, tag) VALUES (:id, 'teleported')")
    _refused(db_session, lambda: db_session.execute(statement, {"id": answer.id}))
    with pytest.raises(StatementError):  # and the model refuses it before the database
        db_session.add(FeedbackAnswerTag(answer_id=answer.id, tag="teleported"))
        db_session.flush()


def test_each_tag_once_per_answer(db_session, closed):
    answer = _answer(db_session, closed)
    db_session.add(FeedbackAnswerTag(answer_id=answer.id, tag=FeedbackTag.FAIR_CREDIT))
    db_session.flush()
    statement = insert(FeedbackAnswerTag.__table__).values(
        answer_id=answer.id, tag=FeedbackTag.FAIR_CREDIT.value
    )
    _refused(db_session, lambda: db_session.execute(statement))


def test_the_tags_split_into_what_went_well_and_badly():
    well = [tag for tag in FeedbackTag if tag.went_well]
    badly = [tag for tag in FeedbackTag if not tag.went_well]
    assert FeedbackTag.FAST_CREDIT in well and FeedbackTag.SLOW_CREDIT in badly
    assert len(well) == len(badly) == 5
    assert all(tag.label for tag in FeedbackTag)
