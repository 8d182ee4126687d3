"""Claimed against found: inspection shows the condition the retailer claimed (with the
questionnaire's answers) beside the grading, and the RMA page explains in money why the
final credit differs from the estimate — or that it does not, when found as claimed."""

from __future__ import annotations

import re
from decimal import Decimal

from models import Grade, ReturnType
from portal.credits.claims import claim_comparisons
from portal.credits.operations import credit_for, estimate_for_reported_condition
from portal.warehouse.operations import grade_line
from tests.factories import make_return_address, make_warehouse, receive_confirmed
from tests.workflow_designer.policy.test_questionnaire import QUESTIONS
from tests.world import authorized_rma
from workflow_designer.policy.questionnaire import claim, questions_of
from workflow_designer.runtime.firing import fire

POLICY = {
    "restocking_fee": {"enabled": True, "percent": "10"},
    "grade_deductions": {
        "enabled": True,
        "percent": {"used": "20", "lightly_damaged": "40"},
        "disposition": {},
    },
    "condition_questionnaire": {"enabled": True, "questions": QUESTIONS},
}


def inspected(session, world, found_second: Grade):
    """3 × €40 answered perfect/both (new) and 2 × €55 answered scratched/missing (used,
    −5 %); all arrive; the first is found new, the second ``found_second``."""
    world.return_type.policy = POLICY
    session.get(ReturnType, world.return_type.id).policy = POLICY
    make_return_address(session, make_warehouse(session), world.account.region)
    rma = authorized_rma(session, world)
    first, second = rma.lines
    questions = questions_of(POLICY)
    for line, chosen in (
        (first, {"frame": "perfect", "case": "both"}),
        (second, {"frame": "scratched", "case": "missing"}),
    ):
        given = claim(questions, chosen)
        line.condition, line.condition_answers = given.grade or "", given.snapshot()
    fire(session, rma, "ship", world.retailer)
    receive_confirmed(session, rma, world.warehouse_user, {first.id: 3, second.id: 2})
    fire(session, rma, "start_inspection", world.warehouse_user)
    grade_line(session, rma, first, world.warehouse_user, {Grade.NEW: 3})
    grade_line(session, rma, second, world.warehouse_user, {found_second: 2})
    session.flush()
    return rma


def test_found_as_claimed_the_final_credit_is_the_estimate(db_session, world):
    rma = inspected(db_session, world, Grade.USED)
    estimate = estimate_for_reported_condition(rma)
    final = credit_for(rma)
    # 3 × 40 × 90 % = 108.00; 2 × 55 × (100 − 10 − 20 − 5) % = 71.50
    assert estimate.total_credit == final.total_credit == Decimal("179.50")
    claims = claim_comparisons(rma, rma.lines)
    assert all(c.as_claimed and c.difference == 0 for c in claims.values())


def test_found_worse_the_difference_is_the_grades_deductions(db_session, world):
    rma = inspected(db_session, world, Grade.LIGHTLY_DAMAGED)
    assert estimate_for_reported_condition(rma).total_credit == Decimal("179.50")
    # 2 × 55 × (100 − 10 − 40 − 5) % = 49.50
    assert credit_for(rma).total_credit == Decimal("157.50")
    second = claim_comparisons(rma, rma.lines)[rma.lines[1].id]
    assert (second.claimed, second.found) == ("used", (("lightly_damaged", 2),))
    assert (second.claimed_credit, second.final_credit, second.difference) == (
        Decimal("71.50"),
        Decimal("49.50"),
        Decimal("-22.00"),  # 2 × 55 × 20 %: used deducts 20 %, lightly damaged 40 %
    )
    assert not second.as_claimed


def test_the_retailer_sees_why_the_final_credit_differs(client, db_session, login_as, world):
    rma = inspected(db_session, world, Grade.LIGHTLY_DAMAGED)
    fire(db_session, rma, "finish_inspection", world.warehouse_user)
    db_session.flush()
    login_as(world.retailer)
    page = client.get(f"/rmas/{rma.number}").get_data(as_text=True)
    section = page.split('id="claims"', 1)[1].split("</section>", 1)[0]
    assert "The final credit differs from the estimate" in section
    second = section.split(f'data-claim-line="{rma.lines[1].id}"', 1)[1].split("</tr>", 1)[0]
    assert "Used" in second and "Case and cloth: Case missing" in second
    assert "2 × Lightly damaged" in second
    assert re.search(r"€71\.50.*€49\.50.*−€22\.00", second, re.S)
    first = section.split(f'data-claim-line="{rma.lines[0].id}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-as-claimed="true"' in section and "€108.00" in first


def test_inspection_shows_the_claim_and_the_difference(client, db_session, login_as, world):
    rma = inspected(db_session, world, Grade.LIGHTLY_DAMAGED)
    login_as(world.warehouse_user)
    page = client.get(f"/warehouse/rmas/{rma.number}").get_data(as_text=True)
    card = page.split(f'id="line-{rma.lines[1].id}" class="card grade-line"', 1)[1]
    card = card.split("</form>", 1)[0]
    assert "Claimed by the retailer: Used" in card
    assert "Frame condition: Light scratches" in card
    assert "Credit as claimed €71.50, as graded €49.50: difference −€22.00." in card


def test_another_retailer_never_sees_the_claims(client, db_session, login_as, world):
    rma = inspected(db_session, world, Grade.LIGHTLY_DAMAGED)
    login_as(world.other_retailer)
    assert client.get(f"/rmas/{rma.number}").status_code == 404
