"""Declarative base, naming convention and the column types every model shares."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    MetaData,
    Numeric,
    String,
    Table,
    TypeDecorator,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, mapped_column

# Every constraint gets a predictable name so migrations can refer to it.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Rotaflow stores UTC datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def str_enum(enum_cls: type[enum.StrEnum], name: str, length: int | None = None) -> Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint listing the values.
    ``length`` keeps a column wider than its longest value (one that lost a value)."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length or max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


def one_of(column: str, values: Iterable[str]) -> str:
    """A CHECK condition: ``column`` holds one of ``values`` (NULL passes, as CHECKs do)."""
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({listed})"


Money = Annotated[Decimal, mapped_column(Numeric(12, 2))]
UnitPrice = Annotated[Decimal, mapped_column(Numeric(12, 4))]
Timestamp = Annotated[datetime, mapped_column(UTCDateTime())]
CreatedAt = Annotated[
    datetime, mapped_column(UTCDateTime(), default=utcnow, server_default=text("CURRENT_TIMESTAMP"))
]
Currency = Annotated[str, mapped_column(String(3))]

# JSONB on PostgreSQL (indexable, compact); JSON text elsewhere.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    if TYPE_CHECKING:
        # Every model maps one table (no joined or imperative mappings), so code that
        # takes a model's table may use its columns.
        __table__: ClassVar[Table]
