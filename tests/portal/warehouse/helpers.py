"""Helpers of the warehouse tests: an RMA's lines and the receiving and grading forms."""

from __future__ import annotations

from tests.shop import POLICY, awaiting, shop  # noqa: F401 (fixtures)


def lines_of(rma):
    aurora, velo = rma.lines
    return aurora, velo


def receive_data(rma, aurora=4, velo=3, unexpected=(), comment=""):
    """The receiving form as the browser posts it."""
    first, second = lines_of(rma)
    data = {
        "lines-0-line_id": str(first.id),
        "lines-0-quantity": str(aurora),
        "lines-1-line_id": str(second.id),
        "lines-1-quantity": str(velo),
        "comment": comment,
    }
    for index, (sku, description, quantity) in enumerate(unexpected):
        data[f"unexpected-{index}-sku"] = sku
        data[f"unexpected-{index}-description"] = description
        data[f"unexpected-{index}-quantity"] = str(quantity)
    return data


def grade_data(line, **counts):
    """The grading form of one line as the browser posts it."""
    data = {f"line-{line.id}-{grade}": str(n) for grade, n in counts.items()}
    data.setdefault(f"line-{line.id}-note", "")
    return data
