"""SQLAlchemy models, one module per aggregate.

Importing this package registers every model on ``Base.metadata`` (Alembic and the
test suite rely on that).
"""

from models.account import AccountStatus, RetailerAccount, Role, User
from models.base import Base
from models.catalog import Lifecycle, Product
from models.designer import SimulationScenario
from models.distributor import DistributorProfile
from models.fulfilment import ReplacementOrder, ReplacementOrderStatus
from models.inventory import Grade, InventoryLevel, ReturnAddress, Warehouse
from models.ledger import (
    CreditMemo,
    CreditMemoLine,
    LedgerEntry,
    MemoKind,
    Refund,
    RefundMethod,
)
from models.order import Order, OrderLine
from models.outbox import Channel, OutboxMessage, OutboxStatus
from models.receiving import HeldDecision, UnexpectedItem
from models.return_type import PolicyVersion, ReturnType
from models.rma import (
    InspectionResult,
    NumberSequence,
    ReplacementLine,
    Rma,
    RmaAttachment,
    RmaEvent,
    RmaLine,
    RmaMessage,
)
from models.throttle import ThrottleCounter
from models.workflow import VersionStatus, Workflow, WorkflowVersion

__all__ = [
    "AccountStatus",
    "Base",
    "Channel",
    "CreditMemo",
    "CreditMemoLine",
    "DistributorProfile",
    "Grade",
    "HeldDecision",
    "InspectionResult",
    "InventoryLevel",
    "LedgerEntry",
    "Lifecycle",
    "MemoKind",
    "NumberSequence",
    "Order",
    "OrderLine",
    "OutboxMessage",
    "OutboxStatus",
    "PolicyVersion",
    "Product",
    "Refund",
    "RefundMethod",
    "ReplacementLine",
    "ReplacementOrder",
    "ReplacementOrderStatus",
    "RetailerAccount",
    "ReturnAddress",
    "ReturnType",
    "Rma",
    "RmaAttachment",
    "RmaEvent",
    "RmaLine",
    "RmaMessage",
    "Role",
    "SimulationScenario",
    "ThrottleCounter",
    "UnexpectedItem",
    "User",
    "VersionStatus",
    "Warehouse",
    "Workflow",
    "WorkflowVersion",
]
