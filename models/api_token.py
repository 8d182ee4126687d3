"""API tokens: a user's bearer credentials for the JSON API.

Only a digest of the secret is stored (see ``portal.api.token_secret``), so a copy of the
database lets no one call the API; the secret itself is shown once, when it is made.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, JsonDocument, Timestamp

if TYPE_CHECKING:
    from models.account import User

TOKEN_NAME_LENGTH = 80
IDEMPOTENCY_KEY_LENGTH = 255


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
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

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        """Neither revoked nor expired (the user's own state is checked apart)."""
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
