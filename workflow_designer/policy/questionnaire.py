"""The condition questionnaire: questions a return type asks per line before submitting,
each answer mapping to a grade and a deduction.

It is part of the policy document (the ``condition_questionnaire`` rule), so it is
versioned with the policy and validated with it::

    {"enabled": true, "questions": [
        {"key": "frame", "text": "Frame condition", "answers": [
            {"key": "perfect", "text": "Like new", "grade": "new", "deduction": "0"},
            {"key": "scratched", "text": "Light scratches", "grade": "used", "deduction": "0"}]},
        {"key": "case", "text": "Case and cloth", "answers": [...]}]}

The rule for a line's claim, once every question is answered:

- the **claimed grade** is the worst grade of its answers (grades ordered as ``Grade``:
  new best, defective worst). It becomes the line's reported condition, so the credit
  prices it as it prices any reported condition: with the policy's grade deduction;
- the **answer deduction** is the sum of the answers' deductions (at most 100 %). It is
  what the retailer declared (a missing case, say) and applies to the line before and after
  inspection, on top of the grade deduction.

So the estimate equals the final credit when inspection finds the claimed grade; when it
finds another, the difference is the two grades' deductions on the credited units.

A line keeps a snapshot of its answers (texts, grades and deductions as answered), so the
RMA keeps the questionnaire it was answered under whatever the policy later becomes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workflow_designer.policy.params import READERS, BadItem, BadValue, read_decimal, shown
from workflow_designer.policy.spec import GRADE_LABELS, ParamSpec
from workflow_designer.policy.vocabulary import Grade
from workflow_designer.policy.words import gettext as _

MAX_QUESTIONS = 20
MAX_ANSWERS = 10
MAX_TEXT = 200
KEY = re.compile(r"[a-z0-9_-]{1,40}")
HUNDRED = Decimal(100)
_GRADE_RANK = {grade.value: rank for rank, grade in enumerate(Grade)}
_DEDUCTION = ParamSpec("deduction", "deduction", "percent", minimum=Decimal(0), maximum=HUNDRED)


@dataclass(frozen=True)
class Answer:
    key: str
    text: str
    grade: str
    deduction: Decimal


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    answers: tuple[Answer, ...]

    def answer(self, key: str) -> Answer | None:
        return next((answer for answer in self.answers if answer.key == key), None)


class UnknownAnswer(ValueError):
    """An answer (or question) the questionnaire does not have; the message says which."""


# --- reading the policy document ----------------------------------------------------------


def read_questions(spec: ParamSpec, raw: Any) -> tuple[Question, ...]:
    """The questions of a policy document, or ``BadValue``/``BadItem`` naming what is wrong."""
    if not isinstance(raw, list):
        raise BadValue(_("must be a list of questions, not %(value)s", value=shown(raw)))
    if not raw:
        raise BadItem(_("ask at least one question (or switch the questionnaire off)"))
    if len(raw) > MAX_QUESTIONS:
        raise BadValue(_("may ask at most %(count)s questions", count=MAX_QUESTIONS))
    questions = tuple(_read_question(n, item) for n, item in enumerate(raw, start=1))
    _unique(
        [q.key for q in questions], lambda key: _("two questions have the key '%(key)s'", key=key)
    )
    return questions


def _read_question(number: int, raw: Any) -> Question:
    if not isinstance(raw, dict):
        raise BadItem(
            _("question %(number)s must be an object with a key, a text and answers", number=number)
        )
    _only(raw, ("key", "text", "answers"), _("question %(number)s", number=number))
    key = _key(raw.get("key"), _("question %(number)s", number=number))
    text = _text(raw.get("text"), _("question '%(key)s'", key=key))
    answers = raw.get("answers")
    if not isinstance(answers, list) or not answers:
        raise BadItem(_("question '%(question)s' needs a list of answers", question=text))
    if len(answers) > MAX_ANSWERS:
        raise BadItem(
            _(
                "question '%(question)s' may have at most %(count)s answers",
                question=text,
                count=MAX_ANSWERS,
            )
        )
    read = tuple(_read_answer(text, n, item) for n, item in enumerate(answers, start=1))
    _unique(
        [a.key for a in read],
        lambda k: _(
            "question '%(question)s' has two answers with the key '%(key)s'", question=text, key=k
        ),
    )
    return Question(key, text, read)


def _read_answer(question: str, number: int, raw: Any) -> Answer:
    where = _("answer %(number)s of '%(question)s'", number=number, question=question)
    if not isinstance(raw, dict):
        raise BadItem(
            _(
                "%(where)s must be an object with a key, a text, a grade and a deduction",
                where=where,
            )
        )
    _only(raw, ("key", "text", "grade", "deduction"), where)
    key = _key(raw.get("key"), where)
    text = _text(raw.get("text"), where)
    where = _("answer '%(answer)s' of '%(question)s'", answer=text, question=question)
    grade = raw.get("grade")
    if not isinstance(grade, str) or grade not in GRADE_LABELS:
        raise BadItem(
            _(
                "%(where)s: '%(value)s' is not a grade; choose %(grades)s",
                where=where,
                value=shown(grade),
                grades=", ".join(GRADE_LABELS),
            )
        )
    try:
        deduction = read_decimal(_DEDUCTION, raw.get("deduction", "0"))
    except BadValue as error:
        raise BadItem(
            _("%(where)s: the deduction %(problem)s", where=where, problem=error)
        ) from None
    return Answer(key, text, grade, deduction)


def _only(raw: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    for key in raw:
        if key not in keys:
            raise BadItem(
                _("%(where)s has an unknown setting '%(key)s'", where=where, key=shown(key))
            )


def _key(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not KEY.fullmatch(raw):
        raise BadItem(
            _(
                "%(where)s needs a key of 1 to 40 lower-case letters, digits, '-' or '_', "
                "not '%(value)s'",
                where=where,
                value=shown(raw),
            )
        )
    return raw


def _text(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw) > MAX_TEXT:
        raise BadItem(
            _("%(where)s needs a text of 1 to %(max)s characters", where=where, max=MAX_TEXT)
        )
    return raw.strip()


def _unique(keys: list[str], message: Any) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise BadItem(message(key))
        seen.add(key)


# --- evaluating answers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """What a line's answers claim: ``grade`` is None until every question is answered."""

    answers: tuple[tuple[Question, Answer], ...]
    missing: tuple[Question, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def grade(self) -> str | None:
        if self.missing or not self.answers:
            return None
        return worst_grade(answer.grade for _question, answer in self.answers)

    @property
    def deduction(self) -> Decimal:
        return min(sum((answer.deduction for _q, answer in self.answers), Decimal(0)), HUNDRED)

    def snapshot(self) -> list[dict[str, str]]:
        """The answers as a line stores them: enough to price and explain without the policy."""
        return [
            {
                "question": question.key,
                "answer": answer.key,
                "question_text": question.text,
                "answer_text": answer.text,
                "grade": answer.grade,
                "deduction": str(answer.deduction),
            }
            for question, answer in self.answers
        ]


def worst_grade(grades: Iterable[str]) -> str | None:
    known = [grade for grade in grades if grade in _GRADE_RANK]
    return max(known, key=_GRADE_RANK.__getitem__) if known else None


def claim(questions: Iterable[Question], chosen: Mapping[str, str]) -> Claim:
    """The claim of ``chosen`` (question key → answer key; an empty answer is no answer).
    An unknown question or answer raises ``UnknownAnswer``: nothing is guessed."""
    questions = tuple(questions)
    by_key = {question.key: question for question in questions}
    for key in chosen:
        if key not in by_key:
            raise UnknownAnswer(_("There is no question '%(key)s'.", key=shown(key)))
    answered: list[tuple[Question, Answer]] = []
    missing: list[Question] = []
    for question in questions:
        value = chosen.get(question.key) or ""
        if not value:
            missing.append(question)
            continue
        answer = question.answer(value)
        if answer is None:
            raise UnknownAnswer(
                _(
                    "'%(answer)s' is not an answer to '%(question)s'.",
                    answer=shown(value),
                    question=question.text,
                )
            )
        answered.append((question, answer))
    return Claim(tuple(answered), tuple(missing))


def snapshot_deduction(snapshot: Any) -> Decimal:
    """The answer deduction a stored snapshot claims (0 for none or anything unreadable)."""
    total = Decimal(0)
    for item in snapshot if isinstance(snapshot, list) else []:
        try:
            total += max(Decimal(str(item["deduction"])), Decimal(0))
        except (KeyError, TypeError, ArithmeticError):
            continue
    return min(total, HUNDRED)


def chosen_answers(snapshot: Any) -> dict[str, str]:
    """Question key → answer key of a stored snapshot."""
    items = snapshot if isinstance(snapshot, list) else []
    return {
        str(item["question"]): str(item["answer"])
        for item in items
        if isinstance(item, dict) and "question" in item and "answer" in item
    }


def answer_fields(snapshot: Any) -> dict[str, Any]:
    """What a ``RequestLine`` takes of a stored snapshot: its answers and their deduction."""
    return {
        "answers": tuple(chosen_answers(snapshot).items()),
        "answer_deduction_percent": snapshot_deduction(snapshot),
    }


def questions_of(policy: Any) -> tuple[Question, ...]:
    """The questionnaire a policy document asks (none when it is off or unreadable)."""
    from workflow_designer.policy.validation import read_policy

    rules = read_policy(policy).rules
    config = rules.get("condition_questionnaire")
    return tuple(config.params["questions"]) if config else ()


# The reader joins the others here: ``params`` cannot import this module (it imports params).
READERS["questionnaire"] = read_questions
