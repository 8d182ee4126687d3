"""API tokens: bearer credentials for the JSON API.

A personal token acts as its user. An integration token belongs to no person, so it keeps
working when whoever made it leaves: a distributor token sees what an admin sees, an
account token what that retailer account's users see (``portal.api.principal``); each
records who made it and when. Only a digest of the secret is stored (see
``portal.api.token_secret``), so a copy of the database lets no one call the API; the
secret itself is shown once, when it is made.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, JsonDocument, Timestamp, str_enum

if TYPE_CHECKING:
    from models.account import RetailerAccount, User

TOKEN_NAME_LENGTH = 80
IDEMPOTENCY_KEY_LENGTH = 255


class TokenKind(enum.StrEnum):
    """Whom a token acts for."""

    PERSONAL = "personal"  # its user
    DISTRIBUTOR = "distributor"  # the distributor, as an admin sees it
    ACCOUNT = "account"  # one retailer account, as its users see it


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        # A personal token has its user; an integration token has none, and an account
        # token (only it) names its account.
        CheckConstraint("(kind = 'personal') = (user_id IS NOT NULL)", name="personal_has_user"),
        CheckConstraint("(kind = 'account') = (account_id IS NOT NULL)", name="account_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TokenKind] = mapped_column(
        str_enum(TokenKind, "api_token_kind"), default=TokenKind.PERSONAL
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("retailer_accounts.id", ondelete="CASCADE"), index=True
    )
    # Who made it (None: on the server's command line); kept when they leave.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_LENGTH))
    # The SHA-256 of the secret in hex: what a request's token is looked up by.
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The secret's first characters ("rf_Ab3x…"), so people can tell their tokens apart.
    hint: Mapped[str] = mapped_column(String(12))
    scopes: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    created_at: Mapped[CreatedAt]
    expires_at: Mapped[Timestamp | None]
    last_used_at: Mapped[Timestamp | None]
    revoked_at: Mapped[Timestamp | None]

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    account: Mapped[RetailerAccount | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def is_integration(self) -> bool:
        return self.kind is not TokenKind.PERSONAL

    def is_usable(self, now: datetime) -> bool:
        """Neither revoked nor expired (a personal token's user is checked apart)."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.name!r}>"


class ApiIdempotencyKey(Base):
    """A POST's ``Idempotency-Key`` and the answer it got, kept a day: the same key again
    (same token, method and path) is answered with it instead of acting twice. Written in
    the transaction of the change it answers; the unique key lets one request act."""

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (
        UniqueConstraint("token_id", "key"),
        CheckConstraint("length(key) > 0", name="key_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(IDEMPOTENCY_KEY_LENGTH))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(300))
    # SHA-256 of the body as parsed JSON (key order and spacing aside).
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, str]] = mapped_column(JsonDocument, default=dict)
    created_at: Mapped[CreatedAt] = mapped_column(index=True)

    def __repr__(self) -> str:
        return f"<ApiIdempotencyKey {self.id} token {self.token_id}>"
