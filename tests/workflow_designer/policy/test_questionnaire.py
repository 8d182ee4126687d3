"""The condition questionnaire: its validation (messages naming the question and answer),
the answers → grade and deduction rule, and the credit it feeds: the estimate equals the
final credit when inspection finds the grade claimed."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from tests.workflow_designer.policy.helpers import line, rule
from workflow_designer.policy import estimate_credit, validate_policy
from workflow_designer.policy.credit import line_amounts
from workflow_designer.policy.questionnaire import (
    UnknownAnswer,
    answer_fields,
    claim,
    questions_of,
    worst_grade,
)
from workflow_designer.policy.questionnaire_text import questions_as_text, questions_from_text

D = Decimal

QUESTIONS = [
    {
        "key": "frame",
        "text": "Frame condition",
        "answers": [
            {"key": "perfect", "text": "Like new", "grade": "new", "deduction": "0"},
            {"key": "scratched", "text": "Light scratches", "grade": "used", "deduction": "0"},
            {"key": "bent", "text": "Bent temple", "grade": "lightly_damaged", "deduction": "0"},
        ],
    },
    {
        "key": "case",
        "text": "Case and cloth",
        "answers": [
            {"key": "both", "text": "Both present", "grade": "new", "deduction": "0"},
            {"key": "missing", "text": "Case missing", "grade": "open_packaging", "deduction": "5"},
        ],
    },
]


def policy(questions=None, deductions=None):
    questions = QUESTIONS if questions is None else questions
    return {
        "restocking_fee": rule(None, percent="10"),
        "grade_deductions": rule(
            None, percent=deductions or {"used": "20", "lightly_damaged": "40"}, disposition={}
        ),
        "condition_questionnaire": {
            "enabled": True,
            "questions": QUESTIONS if questions is None else questions,
        },
    }


def messages(questions) -> list[str]:
    return [p.message for p in validate_policy(policy(questions))]


def test_a_sound_questionnaire_is_valid_and_read():
    assert validate_policy(policy()) == []
    frame, case = questions_of(policy())
    assert frame.text == "Frame condition" and [a.key for a in frame.answers][-1] == "bent"
    assert case.answer("missing").deduction == D("5")
    assert questions_of({}) == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda q: q[0]["answers"][1].update(grade="scuffed"),
            "answer 'Light scratches' of 'Frame condition': 'scuffed' is not a grade",
        ),
        (
            lambda q: q[1]["answers"][1].update(deduction="120"),
            "answer 'Case missing' of 'Case and cloth': the deduction",
        ),
        (
            lambda q: q[1]["answers"][1].update(key="both"),
            "question 'Case and cloth' has two answers with the key 'both'",
        ),
        (lambda q: q[1].update(key="frame"), "two questions have the key 'frame'"),
        (lambda q: q[1].update(answers=[]), "question 'Case and cloth' needs a list of answers"),
        (lambda q: q[0].update(text=" "), "question 'frame' needs a text"),
        (lambda q: q[0].update(colour="red"), "question 1 has an unknown setting 'colour'"),
        (lambda q: q[0].update(key="Frame!"), "question 1 needs a key of 1 to 40"),
    ],
)
def test_a_broken_questionnaire_is_refused_naming_the_question_and_answer(change, expected):
    questions = copy.deepcopy(QUESTIONS)
    change(questions)
    found = messages(questions)
    assert len(found) == 1 and found[0].startswith("Condition questionnaire: "), found
    assert expected in found[0], found


def test_no_questions_or_not_a_list_is_refused():
    assert "ask at least one question" in messages([])[0]
    assert "must be a list of questions" in " ".join(
        p.message
        for p in validate_policy({"condition_questionnaire": {"enabled": True, "questions": "x"}})
    )


def test_the_worst_grade_answered_is_claimed_and_deductions_add_up():
    questions = questions_of(policy())
    given = claim(questions, {"frame": "scratched", "case": "missing"})
    assert given.complete and given.grade == "used"  # used is worse than open packaging
    assert given.deduction == D("5")
    assert claim(questions, {"frame": "perfect", "case": "missing"}).grade == "open_packaging"
    assert worst_grade(["new", "defective", "used"]) == "defective"


def test_an_unanswered_question_claims_nothing_yet():
    given = claim(questions_of(policy()), {"frame": "bent", "case": ""})
    assert not given.complete and given.grade is None
    assert [q.key for q in given.missing] == ["case"]


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ({"frame": "melted", "case": "both"}, "'melted' is not an answer to 'Frame condition'."),
        ({"frame": "perfect", "lenses": "fine"}, "There is no question 'lenses'."),
    ],
)
def test_an_answer_that_does_not_exist_is_refused(chosen, expected):
    with pytest.raises(UnknownAnswer, match=expected):
        claim(questions_of(policy()), chosen)


def test_deductions_cap_at_a_hundred_percent():
    questions = copy.deepcopy(QUESTIONS)
    questions[0]["answers"][2]["deduction"] = "80"
    questions[1]["answers"][1]["deduction"] = "50"
    given = claim(questions_of(policy(questions)), {"frame": "bent", "case": "missing"})
    assert given.deduction == D("100")


def claimed_line(chosen, **fields):
    """A line of 2 × €100 answered ``chosen``, its condition the claimed grade."""
    given = claim(questions_of(policy()), chosen)
    return line(quantity=2, condition=given.grade, **answer_fields(given.snapshot()), **fields)


def test_estimate_equals_final_when_inspection_finds_the_claimed_grade():
    answered = claimed_line({"frame": "scratched", "case": "missing"})
    estimate = estimate_credit(policy(), [answered], "credit")
    # 200 × (100 − 10 fee − 20 used − 5 case missing) % = 130.00
    assert estimate.total_credit == D("130.00")
    [priced] = estimate.lines
    assert (priced.grade, priced.grade_source) == ("used", "reported")
    assert priced.answer_deduction_percent == D("5")
    inspected = claimed_line(
        {"frame": "scratched", "case": "missing"},
        quantity_authorized=2,
        quantity_received=2,
        grades=(("used", 2),),
    )
    final = estimate_credit(policy(), [inspected], "credit", inspected=True)
    assert final.total_credit == estimate.total_credit == D("130.00")
    amounts = line_amounts(final.lines[0], "EUR")
    assert (amounts.gross, amounts.restocking_fee, amounts.grade_deduction) == (
        D("200.00"),
        D("20.00"),
        D("50.00"),  # the used grade's 20 % and the answers' 5 %
    )
    assert amounts.credit == D("130.00")


def test_final_differs_from_the_estimate_by_the_grades_deductions_when_not_as_claimed():
    chosen = {"frame": "scratched", "case": "both"}
    estimate = estimate_credit(policy(), [claimed_line(chosen)], "credit")
    worse = claimed_line(chosen, quantity_received=2, grades=(("lightly_damaged", 2),))
    final = estimate_credit(policy(), [worse], "credit", inspected=True)
    # claimed used (−20 %) → 140.00; found lightly damaged (−40 %) → 100.00
    assert (estimate.total_credit, final.total_credit) == (D("140.00"), D("100.00"))
    assert estimate.total_credit - final.total_credit == D("200") * D("0.20")


def test_a_line_without_answers_is_priced_as_before():
    plain = line(quantity=2, condition="used")
    assert answer_fields([]) == {"answers": (), "answer_deduction_percent": D(0)}
    assert estimate_credit(policy(), [plain], "credit").total_credit == D("140.00")


def test_the_rule_reports_lines_still_to_answer():
    from tests.workflow_designer.policy.helpers import request
    from workflow_designer.policy import evaluate

    half = line(answers=(("frame", "perfect"),))
    full = claimed_line({"frame": "perfect", "case": "both"})
    findings = {f.rule: f for f in evaluate(policy(), request(half, full)).findings}
    found = findings["condition_questionnaire"]
    assert found.passed and found.figures == {"questions": 2, "unanswered_lines": 1}


def test_the_editor_text_reads_into_a_valid_document_and_back():
    text = (
        "Frame condition\n- Like new | new | 0\n- Bent temple | Lightly damaged | 10 %\n"
        "Case\n- Missing | open packaging | 2,5\n- Missing | used\n"
    )
    questions = questions_from_text(text)
    assert validate_policy(policy(questions)) == []
    assert [a["key"] for a in questions[1]["answers"]] == ["missing", "missing-2"]
    assert questions[0]["answers"][1] == {
        "key": "bent-temple",
        "text": "Bent temple",
        "grade": "lightly_damaged",
        "deduction": "10",
    }
    assert questions[1]["answers"][0]["deduction"] == "2.5"
    assert questions_from_text(questions_as_text(questions)) == questions


def test_an_answer_line_without_a_grade_reads_into_a_refused_document():
    questions = questions_from_text("Frame\n- Fine\n")
    assert "'' is not a grade" in messages(questions)[0]
