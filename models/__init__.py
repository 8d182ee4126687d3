"""SQLAlchemy models, one module per aggregate.

Importing this package registers every model on ``Base.metadata`` (Alembic and the
test suite rely on that).
"""

from models.account import AccountStatus, RetailerAccount, Role, User
from models.api_token import ApiIdempotencyKey, ApiToken, TokenKind
from models.base import Base
from models.catalog import Lifecycle, Product
from models.designer import SimulationScenario
from models.distributor import DistributorProfile
from models.feedback import FeedbackAnswer, FeedbackAnswerTag, FeedbackTag
from models.flow_rollups import (
    FlowCreditMonth,
    FlowGradeResult,
    FlowRollupMark,
    FlowStateVisit,
    FlowSubmission,
)
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
from models.rollups import (
    AccountPurchaseRollup,
    AccountReturnRollup,
    BrandPurchaseRollup,
    BrandReturnRollup,
    PurchaseRollup,
    ReturnRollup,
    RollupWatermark,
    TotalPurchaseRollup,
    TotalReturnRollup,
)
from models.signals import RiskSignalSettings, WeeklyDigest
from models.throttle import ThrottleCounter
from models.webhook import DeliveryState, WebhookDelivery, WebhookEvent, WebhookSubscription
from models.workflow import VersionStatus, Workflow, WorkflowVersion

__all__ = [
    "AccountPurchaseRollup",
    "AccountReturnRollup",
    "AccountStatus",
    "ApiIdempotencyKey",
    "ApiToken",
    "Base",
    "BrandPurchaseRollup",
    "BrandReturnRollup",
    "Channel",
    "CreditMemo",
    "CreditMemoLine",
    "DeliveryState",
    "DistributorProfile",
    "FeedbackAnswer",
    "FeedbackAnswerTag",
    "FeedbackTag",
    "FlowCreditMonth",
    "FlowGradeResult",
    "FlowRollupMark",
    "FlowStateVisit",
    "FlowSubmission",
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
    "PurchaseRollup",
    "Refund",
    "RefundMethod",
    "ReplacementLine",
    "ReplacementOrder",
    "ReplacementOrderStatus",
    "RetailerAccount",
    "ReturnAddress",
    "ReturnRollup",
    "ReturnType",
    "RiskSignalSettings",
    "Rma",
    "RmaAttachment",
    "RmaEvent",
    "RmaLine",
    "RmaMessage",
    "Role",
    "RollupWatermark",
    "SimulationScenario",
    "ThrottleCounter",
    "TokenKind",
    "TotalPurchaseRollup",
    "TotalReturnRollup",
    "UnexpectedItem",
    "User",
    "VersionStatus",
    "Warehouse",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
    "WeeklyDigest",
    "Workflow",
    "WorkflowVersion",
]
