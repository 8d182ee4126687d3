"""Helpers of the security tests: the identities, the world they act in, table snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from models import OutboxMessage, Rma, RmaAttachment, Role, User
from models.outbox import Channel
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_address,
    make_return_type,
    make_rma_with_lines,
    make_user,
    make_warehouse,
)
from tests.portal.admin.flows import resolve
from tests.shop import POLICY


@dataclass
class World:
    users: dict[str, User | None]
    account_a_id: int
    account_b_id: int
    draft: Rma
    approval: Rma
    awaiting: Rma
    credited: Rma
    memo_number: str
    attachment_id: int
    notification_id: int
    outbox_id: int
    workflow_id: int
    return_type_id: int
    a_numbers: list[str] = field(default_factory=list)


def _rma(session, shop, state: str, lines=((0, 4), (1, 3))) -> Rma:
    return make_rma_with_lines(
        session,
        shop["account"],
        shop["version"],
        [(shop["order"].lines[i], qty) for i, qty in lines],
        state=state,
        return_type=shop["return_type"],
    )


def table_rows(session, models) -> dict[str, dict[int, tuple]]:
    """Every row of ``models``, read afresh: table → id → all its column values."""
    session.expire_all()
    return {
        model.__tablename__: {
            row.id: tuple(getattr(row, column.key) for column in model.__table__.columns)
            for row in session.scalars(select(model))
        }
        for model in models
    }


ACCOUNT_A_NAME = "Optik Alphazeta"


IDENTITIES = (
    "anonymous",
    "retailer_a",
    "retailer_b",
    "rep_a",
    "rep_other",
    "warehouse",
    "admin",
)


def build_world(session, upload_folder) -> World:
    rep_a = make_user(session, Role.SALES_REP, name="Rita Rep")
    rep_other = make_user(session, Role.SALES_REP, name="Otto Other")
    account_a = make_account(session, sales_rep=rep_a, name=ACCOUNT_A_NAME, region="DE")
    account_b = make_account(session, sales_rep=rep_other, name="Brillen Nordlicht")
    warehouse = make_warehouse(session, code="CEN", name="Central")
    make_return_address(session, warehouse, "DE")
    aurora = make_product(session, sku="AUR-1", brand="Aurelo", model="Paola")
    velo = make_product(session, sku="VEL-2", brand="Velo", model="Sprint")
    order = make_order(session, account_a, [(aurora, 20, "40.00"), (velo, 20, "33.33")])
    make_order(session, account_b, [(velo, 5, "33.33")])
    version = make_published_workflow(session, "stock_rotation")
    return_type = make_return_type(session, version.workflow_id, policy=POLICY)
    users = {
        "anonymous": None,
        "retailer_a": make_retailer(session, account_a),
        "retailer_b": make_retailer(session, account_b),
        "rep_a": rep_a,
        "rep_other": rep_other,
        "warehouse": make_user(session, Role.WAREHOUSE, name="Wanda Warehouse"),
        "admin": make_user(session, Role.ADMIN, name="Ada Admin"),
    }
    shop = {
        "account": account_a,
        "order": order,
        "version": version,
        "return_type": return_type,
        "warehouse_user": users["warehouse"],
        "admin": users["admin"],
    }
    draft = _rma(session, shop, "draft")
    approval = _rma(session, shop, "rep_review")
    approval.approval_step, approval.approver_user_id = 1, rep_a.id
    awaiting = _rma(session, shop, "awaiting_receipt")
    awaiting.label_issued_at = awaiting.created_at
    credited = resolve(session, _rma(session, shop, "awaiting_receipt"), shop)
    from models import CreditMemo

    memo = session.query(CreditMemo).filter_by(rma_id=credited.id).one()
    (upload_folder / "photo-a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    attachment = RmaAttachment(
        rma_id=draft.id,
        rma_line_id=draft.lines[0].id,
        stored_name="photo-a.png",
        original_name=f"{ACCOUNT_A_NAME}.png",
        content_type="image/png",
        size_bytes=24,
        uploaded_by_id=users["retailer_a"].id,
    )
    notification = OutboxMessage(
        channel=Channel.IN_APP,
        template="rma_authorized",
        recipient_user_id=users["retailer_a"].id,
        rma_id=awaiting.id,
        payload={"number": awaiting.number},
    )
    outbox = OutboxMessage(
        channel=Channel.EMAIL,
        template="rma_authorized",
        recipient_user_id=users["retailer_a"].id,
        recipient_address="a@example.test",
        rma_id=awaiting.id,
    )
    session.add_all([attachment, notification, outbox])
    session.flush()
    session.commit()
    return World(
        users=users,
        account_a_id=account_a.id,
        account_b_id=account_b.id,
        draft=draft,
        approval=approval,
        awaiting=awaiting,
        credited=credited,
        memo_number=memo.number,
        attachment_id=attachment.id,
        notification_id=notification.id,
        outbox_id=outbox.id,
        workflow_id=version.workflow_id,
        return_type_id=return_type.id,
        a_numbers=[r.number for r in (draft, approval, awaiting, credited)],
    )
