"""Whom a token acts as: the user the API's reads are scoped to.

A personal token acts as its user. An integration token acts as a stand-in user that is
never stored: an admin for a distributor token, a retailer user of its account for an
account token. The API then scopes every read with ``portal.scope`` and the RMA loaders,
the rules the pages use, so an integration token sees exactly what its principal would.
The stand-in holds no id: it is not a person, and the scopes integration tokens may hold
write nothing that names one (``portal.api.scopes``).
"""

from __future__ import annotations

from models import ApiToken, Role, TokenKind, User


def principal(token: ApiToken) -> User | None:
    """The user ``token`` acts as; None when it may not act (its user is deactivated)."""
    if token.kind is TokenKind.PERSONAL:
        user = token.user
        return user if user is not None and user.is_active else None
    if token.kind is TokenKind.DISTRIBUTOR:
        return _stand_in(token, Role.ADMIN, None)
    return _stand_in(token, Role.RETAILER, token.account_id)


def _stand_in(token: ApiToken, role: Role, account_id: int | None) -> User:
    # Only plain columns are set: no relationship links it to a stored object, so no
    # cascade can ever add it to the session.
    return User(
        email="",
        name=token.name,
        password_hash="",
        role=role,
        account_id=account_id,
        is_active=True,
    )
