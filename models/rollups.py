"""Analytics rollups: the facts (invoiced order lines, returned RMA lines) summed per month
and per the dimensions the analytics pages group and filter by.

Derived data only: every row can be rebuilt from the facts (``portal.analytics.refresh``),
so the tables carry no foreign keys (a full rebuild writes millions of rows, and checking
each against its account and product would double its time). There are four grains per
side, finest first; a page reads the coarsest one that holds what it groups and filters by
(``portal.analytics.sources``):

| grain | purchases | returns |
| --- | --- | --- |
| product | month, account, product (+ brand) | … + return type, reason |
| brand | month, account, brand | … + return type, reason |
| account | month, account | month, account |
| total (no account) | month, brand | month, brand, return type, reason |

Units and values are per invoice currency: amounts in two currencies are never added.
Values keep the four decimals of a unit net price, so a sum equals the facts' sum.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Index, Numeric, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Currency, Timestamp

# Σ quantity × unit net price (12, 4) of up to millions of lines.
RollupValue = Numeric(18, 4)


class _Figures:
    """Every rollup row: a month, a currency, and the units and their net value."""

    month: Mapped[date] = mapped_column(primary_key=True)
    currency: Mapped[Currency] = mapped_column(primary_key=True)
    units: Mapped[int]
    value: Mapped[Decimal] = mapped_column(RollupValue)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.month} {self.currency}>"


class _Returned:
    """Returns are kept by return type and the line's reason as typed."""

    return_type_id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(String(80), primary_key=True)


class PurchaseRollup(_Figures, Base):
    __tablename__ = "analytics_purchases"
    __table_args__ = (
        PrimaryKeyConstraint("month", "account_id", "product_id", "currency"),
        Index("ix_analytics_purchases_account_id_month", "account_id", "month"),
        # A page ranking products reads the purchases of its few products only, from the
        # index alone on PostgreSQL.
        Index(
            "ix_analytics_purchases_product_id_month",
            "product_id",
            "month",
            postgresql_include=["account_id", "currency", "units", "value"],
        ),
    )

    account_id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(primary_key=True)
    brand: Mapped[str] = mapped_column(String(80))


class BrandPurchaseRollup(_Figures, Base):
    __tablename__ = "analytics_brand_purchases"
    __table_args__ = (
        PrimaryKeyConstraint("month", "account_id", "brand", "currency"),
        Index("ix_analytics_brand_purchases_account_id_month", "account_id", "month"),
    )

    account_id: Mapped[int] = mapped_column(primary_key=True)
    brand: Mapped[str] = mapped_column(String(80), primary_key=True)


class AccountPurchaseRollup(_Figures, Base):
    __tablename__ = "analytics_account_purchases"
    __table_args__ = (
        PrimaryKeyConstraint("month", "account_id", "currency"),
        Index("ix_analytics_account_purchases_account_id_month", "account_id", "month"),
    )

    account_id: Mapped[int] = mapped_column(primary_key=True)


class TotalPurchaseRollup(_Figures, Base):
    __tablename__ = "analytics_total_purchases"
    __table_args__ = (PrimaryKeyConstraint("month", "brand", "currency"),)

    brand: Mapped[str] = mapped_column(String(80), primary_key=True)


class ReturnRollup(_Returned, _Figures, Base):
    __tablename__ = "analytics_returns"
    __table_args__ = (
        PrimaryKeyConstraint(
            "month", "account_id", "product_id", "return_type_id", "reason", "currency"
        ),
        Index("ix_analytics_returns_account_id_month", "account_id", "month"),
        # The products of one brand, as the product ranking reads them (from the index
        # alone on PostgreSQL).
        Index(
            "ix_analytics_returns_brand_month",
            "brand",
            "month",
            postgresql_include=["account_id", "product_id", "currency", "units", "value"],
        ),
    )

    account_id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(primary_key=True)
    brand: Mapped[str] = mapped_column(String(80))


class BrandReturnRollup(_Returned, _Figures, Base):
    __tablename__ = "analytics_brand_returns"
    __table_args__ = (
        PrimaryKeyConstraint(
            "month", "account_id", "brand", "return_type_id", "reason", "currency"
        ),
        Index("ix_analytics_brand_returns_account_id_month", "account_id", "month"),
    )

    account_id: Mapped[int] = mapped_column(primary_key=True)
    brand: Mapped[str] = mapped_column(String(80), primary_key=True)


class AccountReturnRollup(_Figures, Base):
    __tablename__ = "analytics_account_returns"
    __table_args__ = (
        PrimaryKeyConstraint("month", "account_id", "currency"),
        Index("ix_analytics_account_returns_account_id_month", "account_id", "month"),
    )

    account_id: Mapped[int] = mapped_column(primary_key=True)


class TotalReturnRollup(_Returned, _Figures, Base):
    __tablename__ = "analytics_total_returns"
    __table_args__ = (
        PrimaryKeyConstraint("month", "brand", "return_type_id", "reason", "currency"),
    )

    brand: Mapped[str] = mapped_column(String(80), primary_key=True)


class RollupWatermark(Base):
    """How far the rollups are up to date: facts changed since ``changes_through`` (less
    a margin for transactions still open then) are summed again by the next refresh."""

    __tablename__ = "analytics_watermarks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    changes_through: Mapped[Timestamp]
    full_refresh_at: Mapped[Timestamp | None]

    def __repr__(self) -> str:
        return f"<RollupWatermark {self.name} {self.changes_through}>"
