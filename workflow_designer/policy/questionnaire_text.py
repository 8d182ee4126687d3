"""The condition questionnaire as the policy editor writes it: one question per line;
below it one answer per line, starting with "-": ``- text | grade | deduction``. Keys
come from the texts, so they stay while the texts do. The text is read into the policy
document unchecked: ``questionnaire.read_questions`` names whatever is wrong.
"""

from __future__ import annotations

import re
from typing import Any


def questions_from_text(text: str) -> list[dict[str, Any]]:
    """The document's questions as the text describes them (unchecked: the validator names
    whatever is wrong, e.g. an answer without a grade)."""
    questions: list[dict[str, Any]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("-"):
            questions.append({"key": "", "text": line, "answers": []})
            continue
        if not questions:
            questions.append({"key": "", "text": "", "answers": []})
        parts = [part.strip() for part in line[1:].split("|")]
        answer_text, grade, deduction = [*parts, "", ""][:3]
        answer = {"key": "", "text": answer_text, "grade": _grade_word(grade)}
        answer["deduction"] = deduction.rstrip("%").strip().replace(",", ".") or "0"
        questions[-1]["answers"].append(answer)
    for number, question in enumerate(questions, start=1):
        question["key"] = _slug(question["text"], f"q{number}", questions)
        for n, answer in enumerate(question["answers"], start=1):
            answer["key"] = _slug(answer["text"], f"a{n}", question["answers"])
    return questions


def questions_as_text(raw: Any) -> str:
    """A stored questions list in the designer's text form (what it cannot read, left out)."""
    lines: list[str] = []
    for question in raw if isinstance(raw, list) else []:
        if not isinstance(question, dict):
            continue
        lines.append(str(question.get("text", "")))
        answers = question.get("answers")
        for answer in answers if isinstance(answers, list) else []:
            if isinstance(answer, dict):
                parts = (
                    answer.get("text", ""),
                    answer.get("grade", ""),
                    answer.get("deduction", 0),
                )
                lines.append("- " + " | ".join(str(part) for part in parts))
    return "\n".join(lines)


def _grade_word(word: str) -> str:
    """``Open packaging`` or ``open_packaging`` → ``open_packaging``."""
    return "_".join(word.lower().split())


def _slug(text: str, fallback: str, siblings: list[dict[str, Any]]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:32] or fallback
    taken = {item["key"] for item in siblings if item.get("key")}
    key, n = slug, 2
    while key in taken:
        key, n = f"{slug}-{n}", n + 1
    return key
