"""The assistant through HTTP: who sees which account, the one-click draft passes the
policy it was built for, what became invalid meanwhile is refused at submit with its
reason, and a rep can send the draft to the retailer."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from models import InventoryLevel, OutboxMessage, ReplacementLine, Rma
from tests.portal.requests.helpers import can_submit, draft_page, findings, submit


def page(client, account_id: int | None = None):
    return client.get("/assistant/" if account_id is None else f"/assistant/accounts/{account_id}")


def build(client, account_id: int, lines: list[int], products: list[int], **extra):
    html = page(client, account_id).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    data = {"csrf_token": token, "lines": [str(i) for i in lines]}
    data["products"] = [str(i) for i in products]
    data.update(extra)
    return client.post(f"/assistant/accounts/{account_id}/draft", data=data)


def number_of(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.headers["Location"].rsplit("/", 1)[-1]


def test_the_retailer_sees_its_own_ranking_and_suggestions(client, login_as, shelf):
    login_as(shelf.world.retailer)
    response = page(client)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.findall(r'data-candidate="([^"]+)"', html) == ["SLOW-1", "POP-1", "RECENT-1"]
    assert re.findall(r'data-suggestion="([^"]+)"', html) == ["BEST-1", "SECOND-1"]
    assert 'data-allowance-left="402.00"' in html
    assert "Bought 300 days ago (6 for €300.00)" in html
    assert 'href="/assistant/"' in html  # in the retailer's navigation


@pytest.mark.parametrize(
    ("who", "whose", "status"),
    [
        ("retailer", "account", 200),
        ("retailer", "other_account", 404),
        ("rep", "account", 200),
        ("rep", "other_account", 404),
        ("other_rep", "other_account", 200),
        ("admin", "account", 403),
        ("warehouse_user", "account", 403),
    ],
)
def test_each_sees_only_the_accounts_it_may(client, login_as, shelf, who, whose, status):
    login_as(getattr(shelf.world, who))
    assert page(client, getattr(shelf.world, whose).id).status_code == status


def test_a_rep_reaches_it_from_the_account_page(client, login_as, shelf):
    login_as(shelf.world.rep)
    assert page(client).status_code == 303  # no own account: picks one first
    html = client.get(f"/rep/accounts/{shelf.world.account.id}").get_data(as_text=True)
    assert f'href="/assistant/accounts/{shelf.world.account.id}"' in html


def test_a_one_click_draft_passes_the_policy_it_was_built_for(client, db_session, login_as, shelf):
    login_as(shelf.world.retailer)
    best = shelf.products["best"]
    number = number_of(build(client, shelf.world.account.id, [shelf.lines["slow"].id], [best.id]))
    html = draft_page(client, number)
    assert findings(html) == {
        "allowance": True,
        "purchase_age": True,
        "replacement_order": True,
        "Lines": True,
        "Returnable quantities": True,
        "Reason and condition": True,
    }
    assert can_submit(html)
    # 300.00 returned at 100%: BEST-1 at 70.00 × 5 = 350.00, the smallest order that fits.
    ordered = db_session.scalars(select(ReplacementLine)).all()
    assert [(line.product_id, line.quantity) for line in ordered] == [(best.id, 5)]
    response = submit(client, number)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    assert db_session.scalar(select(Rma).where(Rma.number == number)).submitted_at is not None


def test_the_allowance_used_meanwhile_is_refused_at_submit(client, db_session, login_as, shelf):
    login_as(shelf.world.retailer)
    account, best = shelf.world.account.id, shelf.products["best"].id
    first = number_of(build(client, account, [shelf.lines["slow"].id], [best]))
    second = number_of(build(client, account, [shelf.lines["pop"].id], [best]))
    assert submit(client, second).status_code == 303  # 200.00 of the 402.00 left
    response = submit(client, first)  # 300.00 no longer fits the 202.00 left
    assert response.status_code == 422
    assert "Allowance" in response.get_data(as_text=True)
    assert db_session.scalar(select(Rma).where(Rma.number == first)).submitted_at is None


def test_a_line_returned_meanwhile_is_refused_at_submit(client, db_session, login_as, shelf):
    login_as(shelf.world.retailer)
    account, slow = shelf.world.account.id, shelf.lines["slow"].id
    first = number_of(build(client, account, [slow], [shelf.products["best"].id]))
    second = number_of(build(client, account, [slow], [shelf.products["second"].id]))
    assert submit(client, second).status_code == 303
    response = submit(client, first)
    assert response.status_code == 422
    assert "More than is still returnable: SLOW-1" in response.get_data(as_text=True)


def test_stock_gone_meanwhile_is_refused_at_submit(client, db_session, login_as, shelf):
    login_as(shelf.world.retailer)
    best = shelf.products["best"]
    number = number_of(build(client, shelf.world.account.id, [shelf.lines["slow"].id], [best.id]))
    db_session.execute(
        update(InventoryLevel).where(InventoryLevel.product_id == best.id).values(quantity=1)
    )
    response = submit(client, number)
    assert response.status_code == 422
    assert "not enough stock: BEST-1 (1 in stock)" in response.get_data(as_text=True)


def test_bad_picks_are_refused_and_change_nothing(client, db_session, login_as, shelf):
    login_as(shelf.world.retailer)
    account = shelf.world.account.id
    other_line = shelf.lines["slow"].id + 10_000
    response = build(client, account, [other_line], [])
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"/assistant/accounts/{account}"
    )
    assert build(client, account, [], [shelf.products["best"].id]).status_code == 303
    assert build(client, account, ["x1"], []).status_code == 400  # type: ignore[list-item]
    unorderable = shelf.products["gone"].id
    assert build(client, account, [shelf.lines["slow"].id], [unorderable]).status_code == 303
    assert db_session.scalar(select(Rma).where(Rma.submitted_at.is_(None))) is None


def test_a_rep_sends_the_draft_to_the_retailer(client, db_session, login_as, shelf):
    login_as(shelf.world.rep)
    account, best = shelf.world.account.id, shelf.products["best"].id
    number = number_of(build(client, account, [shelf.lines["slow"].id], [best], send="y"))
    rma = db_session.scalar(select(Rma).where(Rma.number == number))
    sent = db_session.scalars(select(OutboxMessage).where(OutboxMessage.rma_id == rma.id)).all()
    assert {(m.template, m.channel.value, m.recipient_user_id) for m in sent} == {
        ("rotation_suggested", "email", shelf.world.retailer.id),
        ("rotation_suggested", "in_app", shelf.world.retailer.id),
    }
    login_as(shelf.world.retailer)
    assert can_submit(draft_page(client, number))


def test_the_mail_reads_in_the_retailers_language(app):
    from portal.notifications.emails import SUGGESTED_TEMPLATE, render_email

    payload = {"rma_number": "RMA-2026-000001", "account_name": "Optik Sonne"}
    with app.app_context():
        mail = render_email(SUGGESTED_TEMPLATE, {**payload, "actor_name": "Rita Rep"}, "Mia", "de")
    assert mail.subject == "RMA-2026-000001: Ihr Außendienst schlägt eine Lagerrotation vor"
    assert "Rita Rep schlägt eine Lagerrotation für Optik Sonne vor" in mail.text
    assert "/requests/RMA-2026-000001" in mail.text


def test_without_a_rotation_type_nothing_is_drafted(client, db_session, login_as, shelf):
    shelf.rotation.is_archived = True
    db_session.flush()
    login_as(shelf.world.retailer)
    assert "No stock rotation can be requested" in page(client).get_data(as_text=True)
    response = build(client, shelf.world.account.id, [shelf.lines["slow"].id], [])
    assert response.status_code == 303
    assert db_session.scalar(select(Rma).where(Rma.submitted_at.is_(None))) is None


def test_rules_that_refuse_any_request_today_are_shown(client, db_session, login_as, shelf):
    from datetime import timedelta

    from tests.portal.assistant.conftest import ROTATION
    from tests.support import rule

    closed = shelf.today - timedelta(days=40), shelf.today - timedelta(days=1)
    window = {"start": closed[0].strftime("%m-%d"), "end": closed[1].strftime("%m-%d")}
    shelf.rotation.policy = {**ROTATION, "calendar_windows": rule(windows=[window])}
    db_session.flush()
    login_as(shelf.world.retailer)
    html = page(client).get_data(as_text=True)
    blockers = html.split("data-blockers", 1)[1].split("</div>", 1)[0]
    assert "Window: closed; next window opens" in blockers
    assert 'data-candidate="SLOW-1"' in html  # the draft can still be built


def test_a_suggestion_sold_out_since_the_best_sellers_were_read_is_left_out(
    client, db_session, login_as, shelf
):
    login_as(shelf.world.retailer)
    assert 'data-suggestion="BEST-1"' in page(client).get_data(as_text=True)  # kept now
    best = shelf.products["best"].id
    db_session.execute(
        update(InventoryLevel).where(InventoryLevel.product_id == best).values(quantity=0)
    )
    html = page(client).get_data(as_text=True)
    assert re.findall(r'data-suggestion="([^"]+)"', html) == ["SECOND-1"]
