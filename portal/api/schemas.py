"""The API's typed shapes: pydantic models that validate what comes in (query strings)
and shape what goes out, and from which the OpenAPI document is generated.

Every input model forbids fields it does not name. Times are ISO 8601 in UTC, amounts
are decimal strings beside their currency, and RMAs are named by their number.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from portal.inputs.numbers import MAX_ID
from portal.inputs.text import unstorable

MAX_LIMIT = 100
DEFAULT_LIMIT = 25


class Storable:
    """Marks a string that may hold no control character: refused with words, and
    documented as a pattern so clients (and generated tests) know it beforehand."""

    PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_storable, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(schema), "pattern": self.PATTERN}


def _storable(value: str) -> str:
    if unstorable(value):
        raise ValueError("contains control characters")
    return value


Text = Annotated[str, Field(max_length=200), Storable()]


def _iso_day(value: object) -> object:
    # Left lax, pydantic reads 0 or "0" as a Unix time: 1 January 1970.
    if isinstance(value, date) or (isinstance(value, str) and ISO_DAY.fullmatch(value)):
        return value
    raise ValueError("not a day written YYYY-MM-DD")


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
Day = Annotated[date, BeforeValidator(_iso_day)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- inputs ---------------------------------------------------------------------------


class PageQuery(Input):
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = Field(
        DEFAULT_LIMIT, description=f"Items per page, at most {MAX_LIMIT}."
    )
    cursor: Annotated[str, Field(max_length=200)] | None = Field(
        None, description="The `next` value of the previous page; opaque."
    )


class RmaFilters(Input):
    state: Text | None = Field(None, description="Only RMAs in this workflow state.")
    account: Id | None = Field(None, description="Only RMAs of this account id.")
    return_type: Annotated[str, Field(max_length=40), Storable()] | None = Field(
        None, description="Only RMAs of this return type (its code)."
    )
    submitted_from: Day | None = Field(None, description="Submitted on or after this day (UTC).")
    submitted_to: Day | None = Field(None, description="Submitted on or before this day (UTC).")

    @model_validator(mode="after")
    def _period(self) -> RmaFilters:
        _check_period(self.submitted_from, self.submitted_to)
        return self


class RmaQuery(PageQuery, RmaFilters):
    pass


ExportFormat = Literal["csv", "json"]
FORMAT_DESCRIPTION = "csv (a spreadsheet's, formula cells defused) or json (an array of items)."


class RmaExportQuery(RmaFilters):
    format: ExportFormat = Field("csv", description=FORMAT_DESCRIPTION)


def _check_period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise ValueError("The period ends before it starts.")


class LedgerFilters(Input):
    account: Id = Field(description="The account whose ledger to list.")
    kind: Literal["credit_memo", "adjustment", "reversal", "refund", "entry"] | None = Field(
        None, description="Only entries of this kind."
    )
    date_from: Day | None = Field(None, description="Entries on or after this day (UTC).")
    date_to: Day | None = Field(None, description="Entries on or before this day (UTC).")

    @model_validator(mode="after")
    def _period(self) -> LedgerFilters:
        _check_period(self.date_from, self.date_to)
        return self


class LedgerQuery(PageQuery, LedgerFilters):
    pass


class LedgerExportQuery(LedgerFilters):
    format: ExportFormat = Field("csv", description=FORMAT_DESCRIPTION)


Code = Annotated[str, Field(min_length=1, max_length=60), Storable()]


class RmaCreate(Input):
    account: Id | None = Field(
        None, description="The account (id). A retailer's token may leave it out: its own."
    )
    return_type: Code = Field(description="The return type's code (GET /return-types).")


class LinePick(Input):
    order_line: Id = Field(description="The order line (id) to return from.")
    quantity: Annotated[int, Field(ge=1, le=1_000_000)] | None = Field(
        None, description="Units to add; left out, all that can still be returned."
    )


class RmaLinesAdd(Input):
    lines: Annotated[list[LinePick], Field(min_length=1, max_length=200)]
    reason: Text = Field("", description="One of the return type's reasons, for every line.")
    condition: Code | None = Field(None, description="The condition reported: a grade name.")


class RmaSubmit(Input):
    resolution: Code | None = Field(
        None, description="What the retailer asks for in return: one of the type's resolutions."
    )
    exception_justification: (
        Annotated[str, Field(min_length=1, max_length=2000), Storable()] | None
    ) = Field(
        None,
        description="Asks for the policy's exception-allowed failures to be overridden, "
        "with this reason (the draft page's exception request).",
    )


class TransitionIn(Input):
    trigger: Code = Field(description="The workflow trigger to fire, e.g. approve.")
    comment: Annotated[str, Field(max_length=2000), Storable()] = Field(
        "", description="Why; required by transitions that ask for a comment."
    )


Quantity = Annotated[int, Field(ge=1, le=1_000_000)]


class PolicyLineIn(Input):
    sku: Code = Field(description="The product returned (its SKU).")
    quantity: Quantity = Field(description="Units returned.")
    reason: Text = Field("", description="One of the return type's reasons.")
    condition: Code | None = Field(None, description="The condition reported: a grade name.")
    order_line: Id | None = Field(
        None, description="The order line (id) it comes from; left out, the SKU's newest."
    )
    invoice: Code | None = Field(
        None, description="The invoice (number) it comes from; left out, the newest."
    )


class ReplacementIn(Input):
    sku: Code = Field(description="The product ordered (its SKU).")
    quantity: Quantity


class PolicyCheckIn(Input):
    account: Id | None = Field(
        None, description="The account (id). A retailer's token may leave it out: its own."
    )
    return_type: Code = Field(description="The return type's code (GET /return-types).")
    lines: Annotated[list[PolicyLineIn], Field(min_length=1, max_length=200)]
    replacement: Annotated[list[ReplacementIn], Field(max_length=200)] = Field(
        default_factory=list, description="The replacement order, for a stock rotation."
    )


MAX_ORDER_ROWS = 10_000


class OrderRowIn(Input):
    """One order line as the CSV order import reads it (docs/import-formats.md): a column each."""

    invoice_number: Code
    account_number: Code
    invoice_date: Day
    delivery_date: Day | None = None
    currency: Annotated[str, Field(min_length=1, max_length=3)] = Field(
        description="ISO 4217 code: the account's currency."
    )
    line_number: Annotated[int, Field(ge=1, le=MAX_ID)]
    sku: Code
    quantity: Quantity
    unit_net_price: Decimal = Field(description='A decimal amount, e.g. "40.00".')


class OrdersImport(Input):
    orders: Annotated[list[OrderRowIn], Field(min_length=1, max_length=MAX_ORDER_ROWS)] = Field(
        description=f"One item per order line, at most {MAX_ORDER_ROWS}."
    )


# --- outputs --------------------------------------------------------------------------


class Money(Output):
    amount: str = Field(description='A decimal amount, e.g. "120.00".')
    currency: str = Field(description="ISO 4217 code, e.g. EUR.")

    @classmethod
    def of(cls, amount: Decimal, currency: str) -> Money:
        return cls(amount=str(amount), currency=currency)


class AccountRef(Output):
    id: int
    number: str
    name: str


class RmaSummary(Output):
    number: str
    account: AccountRef
    return_type: str = Field(description="The return type's code.")
    state: str = Field(description="The workflow state's name.")
    total_value: Money
    created_at: datetime
    submitted_at: datetime | None
    updated_at: datetime


class RmaPage(Output):
    items: list[RmaSummary]
    next: str | None = Field(description="Cursor of the next page; null on the last.")


class RmaLineOut(Output):
    id: int
    sku: str | None
    order_line_id: int | None
    invoice_number: str | None
    quantity_requested: int
    quantity_authorized: int
    quantity_received: int
    reason: str
    condition: str
    grade: str | None
    disposition: str | None
    credit: Money | None


class RmaEventOut(Output):
    id: int
    at: datetime
    trigger: str
    from_state: str | None
    to_state: str
    actor: str | None = Field(description="The acting user's name; null for Rotaflow.")
    comment: str


class CreditRow(Output):
    item: str
    quantity: int
    gross: Money
    restocking_fee: Money
    grade_deduction: Money
    exchange_bonus: Money
    credit: Money


class CreditOut(Output):
    final: bool = Field(description="False while it is an estimate (before inspection).")
    amount: Money
    rows: list[CreditRow]


class RmaDetail(RmaSummary):
    version: int = Field(description="Changes with every change; the ETag carries it.")
    requested_resolution: str | None
    resolution: str | None
    policy_passed: bool
    exception_requested: bool
    lines: list[RmaLineOut]
    events: list[RmaEventOut]
    credit: CreditOut | None


class AccountOut(Output):
    id: int
    number: str
    name: str
    country: str
    currency: str
    region: str
    status: str
    sales_rep_id: int | None
    created_at: datetime


class AccountPage(Output):
    items: list[AccountOut]
    next: str | None


class ProductOut(Output):
    id: int
    sku: str
    brand: str
    model: str
    colour: str
    size: str = Field(description="eye-bridge-temple, e.g. 52-18-140.")
    category: str
    list_price: str = Field(description="A decimal amount in the distributor's currency.")
    lifecycle: str


class ProductPage(Output):
    items: list[ProductOut]
    next: str | None


class ReturnTypeOut(Output):
    id: int
    code: str
    name: str
    description: str
    reasons: list[str]
    resolutions: list[str]
    requires_photos: bool
    requires_description: bool
    policy: dict[str, Any] = Field(description="The published policy: each rule's settings.")
    policy_version: int | None = Field(description="The policy's current version number.")


class ReturnTypeList(Output):
    items: list[ReturnTypeOut]


class LedgerEntryOut(Output):
    id: int
    at: datetime
    kind: str = Field(description="credit_memo, adjustment, reversal, refund or entry.")
    document: str | None
    rma_number: str | None
    description: str
    amount: Money
    balance: Money = Field(description="The running balance of the currency after it.")


class LedgerPage(Output):
    items: list[LedgerEntryOut]
    next: str | None


class FindingOut(Output):
    rule: str
    label: str
    passed: bool
    blocking: bool = Field(description="Failed, and no exception can override it.")
    exception_allowed: bool = Field(description="Failed, and an exception request may.")
    message: str
    figures: dict[str, Any] = Field(description="The rule's numbers; amounts as strings.")


class CheckOut(Output):
    label: str
    passed: bool
    message: str


class LineIssueOut(Output):
    rule: str
    message: str
    blocking: bool


class CheckedLineOut(Output):
    sku: str
    order_line_id: int
    invoice_number: str
    quantity: int
    returnable: int = Field(description="Still returnable of the order line.")
    value: Money
    issues: list[LineIssueOut]


class PolicyTotals(Output):
    units: int
    value: Money = Field(description="Returned units at their invoiced net prices.")
    replacement_units: int
    replacement_value: Money


class PolicyCheckOut(Output):
    passed: bool = Field(description="Every rule and every check passed.")
    can_submit: bool = Field(description="It could be submitted as it is.")
    exception_needed: bool = Field(
        description="Only rules that allow an exception failed: submitting with "
        "exception_justification would send it for approval."
    )
    blocked: bool = Field(description="A check or a rule failed that no exception overrides.")
    findings: list[FindingOut]
    checks: list[CheckOut] = Field(description="The request's own checks (no exception).")
    lines: list[CheckedLineOut]
    totals: PolicyTotals


class ImportOut(Output):
    rows: int = Field(description="Rows read.")
    created: int
    updated: int
    unchanged: int


# --- errors ---------------------------------------------------------------------------


class FieldError(Output):
    field: str
    message: str


class ProblemOut(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str


class ValidationProblemOut(ProblemOut):
    errors: list[FieldError]
