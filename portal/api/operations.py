"""Changes to API tokens: make one, revoke one, note its use. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from models import ApiToken, User
from models.base import utcnow
from portal.api import token_secret
from portal.api.scopes import scopes_for
from workflow_designer.engine.errors import Refusal

# A token's last use is written at most this often: a write per request would cost more
# than the reads it serves, and a minute is precise enough to tell a token is in use.
LAST_USED_PRECISION = timedelta(minutes=1)


class ScopeNotAllowed(Refusal):
    """A scope the user's role may never hold."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create_token(
    session: Session,
    user: User,
    name: str,
    scopes: Sequence[str],
    expires_in_days: int | None = None,
    now: datetime | None = None,
) -> NewToken:
    """A new token of ``user`` with ``scopes`` (each one the role may hold)."""
    allowed = {scope.value for scope in scopes_for(user.role)}
    refused = [scope for scope in scopes if scope not in allowed]
    if refused:
        raise ScopeNotAllowed(f"Not allowed for this role: {', '.join(refused)}")
    now = now or utcnow()
    secret = token_secret.new_secret()
    token = ApiToken(
        user_id=user.id,
        name=name.strip(),
        secret_hash=token_secret.digest(secret),
        hint=token_secret.hint(secret),
        scopes=list(dict.fromkeys(scopes)),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(token)
    session.flush()
    return NewToken(token, secret)


def revoke_token(session: Session, token: ApiToken, now: datetime | None = None) -> None:
    """Revoke ``token`` from now on; revoking it again changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        session.flush()


def note_use(session: Session, token: ApiToken, now: datetime) -> None:
    """Record that ``token`` was used, unless that was recorded less than a minute ago.

    One conditional UPDATE: concurrent requests of one token write it once between them.
    """
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at < now - LAST_USED_PRECISION,
            ),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
