"""Reading API tokens: by secret for a request, and the lists the tokens page shows."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from models import ApiToken, RetailerAccount, Role, TokenKind, User
from portal.api.token_secret import PREFIX, digest

# Longer than any secret we make; a longer header is not worth hashing.
MAX_SECRET_LENGTH = 200


def token_by_secret(session: Session, secret: str) -> ApiToken | None:
    """The token whose secret this is, with its user; None for anything else."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_SECRET_LENGTH:
        return None
    return session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.secret_hash == digest(secret))
    )


def own_tokens(session: Session, user: User) -> list[ApiToken]:
    """``user``'s tokens, newest first, revoked ones included (their history)."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def others_tokens(session: Session, user: User) -> list[ApiToken]:
    """For an admin, every other user's tokens with their owner; nobody else sees any."""
    if user.role is not Role.ADMIN:
        return []
    return list(
        session.scalars(
            select(ApiToken)
            .join(User, ApiToken.user_id == User.id)
            .options(joinedload(ApiToken.user))
            .where(ApiToken.user_id != user.id)
            .order_by(User.email, ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def integration_tokens(session: Session, user: User) -> list[ApiToken]:
    """The integration tokens ``user`` manages: every one for an admin (the distributor's
    first), their account's for a retailer user, none for anyone else."""
    query = (
        select(ApiToken)
        .options(joinedload(ApiToken.account), joinedload(ApiToken.created_by))
        .where(ApiToken.kind != TokenKind.PERSONAL)
    )
    if user.role is Role.RETAILER:
        query = query.where(ApiToken.account_id == user.account_id)
    elif user.role is not Role.ADMIN:
        return []
    return list(
        session.scalars(
            query.order_by(
                ApiToken.account_id.is_not(None),
                ApiToken.account_id,
                ApiToken.created_at.desc(),
                ApiToken.id.desc(),
            )
        )
    )


def can_revoke(user: User, token: ApiToken) -> bool:
    """Their own tokens, their account's integration tokens (retailer users), or any
    (admins)."""
    if user.role is Role.ADMIN or token.user_id == user.id:
        return True
    return (
        user.role is Role.RETAILER
        and token.kind is TokenKind.ACCOUNT
        and token.account_id == user.account_id
    )


def load_token(session: Session, user: User, token_id: int) -> ApiToken:
    """A token ``user`` may revoke (``can_revoke``). Else 404."""
    token = session.get(ApiToken, token_id)
    if token is None or not can_revoke(user, token):
        abort(404)
    return token


def account_by_number(session: Session, number: str) -> RetailerAccount | None:
    """The account an admin names for an integration token, by its number."""
    return session.scalar(select(RetailerAccount).where(RetailerAccount.number == number))
