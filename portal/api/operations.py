"""Changes to API tokens: make one, revoke one, note its use. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from models import ApiToken, RetailerAccount, TokenKind, User
from models.base import utcnow
from portal.api import token_secret
from portal.api.scopes import integration_scopes_for, scopes_for
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
    *,
    created_by: User | None = None,
) -> NewToken:
    """A new token of ``user`` with ``scopes`` (each one the role may hold), made by
    ``created_by`` (None: on the command line)."""
    _check_scopes(scopes, {scope.value for scope in scopes_for(user.role)}, "this role")
    token = ApiToken(kind=TokenKind.PERSONAL, user_id=user.id)
    return _fill(session, token, name, scopes, expires_in_days, now, created_by)


def create_integration_token(
    session: Session,
    account: RetailerAccount | None,
    name: str,
    scopes: Sequence[str],
    expires_in_days: int | None = None,
    now: datetime | None = None,
    *,
    created_by: User | None = None,
) -> NewToken:
    """A new integration token: of ``account`` (seeing what its users see), or with no
    account of the distributor (seeing what an admin sees). It belongs to no person, so it
    outlives ``created_by`` (None: made on the command line)."""
    kind = TokenKind.DISTRIBUTOR if account is None else TokenKind.ACCOUNT
    allowed = {scope.value for scope in integration_scopes_for(kind)}
    _check_scopes(scopes, allowed, "an integration token")
    token = ApiToken(kind=kind, account_id=None if account is None else account.id)
    return _fill(session, token, name, scopes, expires_in_days, now, created_by)


def _check_scopes(scopes: Sequence[str], allowed: set[str], holder: str) -> None:
    refused = [scope for scope in scopes if scope not in allowed]
    if refused:
        raise ScopeNotAllowed(f"Not allowed for {holder}: {', '.join(refused)}")


def _fill(
    session: Session,
    token: ApiToken,
    name: str,
    scopes: Sequence[str],
    expires_in_days: int | None,
    now: datetime | None,
    created_by: User | None,
) -> NewToken:
    now = now or utcnow()
    secret = token_secret.new_secret()
    token.created_by_id = None if created_by is None else created_by.id
    token.name = name.strip()
    token.secret_hash = token_secret.digest(secret)
    token.hint = token_secret.hint(secret)
    token.scopes = list(dict.fromkeys(scopes))
    token.created_at = now
    token.expires_at = now + timedelta(days=expires_in_days) if expires_in_days else None
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
