"""Warehouse screens reuse the back office's shop: a rep's account in region DE with a
warehouse, two invoiced frames and an RMA for 4 × AUR-1 and 3 × VEL-2 awaiting receipt."""

from __future__ import annotations

import pytest

from tests.shop import POLICY, awaiting, shop  # noqa: F401 (fixtures)

__all__ = ["POLICY"]


@pytest.fixture
def staff(client, login_as, shop):  # noqa: F811 (the imported fixture)
    """The client, logged in as the shop's warehouse user."""
    login_as(shop["warehouse_user"])
    return client


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


@pytest.fixture
def inspecting(db_session, shop, awaiting):  # noqa: F811 (the imported fixtures)
    """The RMA received through the domain (1 VEL-2 short) and under inspection."""
    from portal.warehouse.operations import receive
    from workflow_designer.runtime.firing import fire

    aurora, velo = lines_of(awaiting)
    receive(db_session, awaiting, shop["warehouse_user"], {aurora.id: 4, velo.id: 2})
    fire(db_session, awaiting, "start_inspection", shop["warehouse_user"])
    return awaiting


def grade_data(line, **counts):
    """The grading form of one line as the browser posts it."""
    data = {f"line-{line.id}-{grade}": str(n) for grade, n in counts.items()}
    data.setdefault(f"line-{line.id}-note", "")
    return data
