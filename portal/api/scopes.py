"""The API's scopes: the one list of what a token may be allowed, and which roles may
ever hold each. A token sees no more than its user: a scope opens an area of the API, the
user's role and accounts still decide which rows it shows."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from models import Role, TokenKind


class Scope(enum.StrEnum):
    RMAS_READ = "rmas:read"
    RMAS_WRITE = "rmas:write"
    ORDERS_IMPORT = "orders:import"
    LEDGER_READ = "ledger:read"
    ACCOUNTS_READ = "accounts:read"
    PRODUCTS_READ = "products:read"
    WEBHOOKS_MANAGE = "webhooks:manage"


SCOPES: tuple[str, ...] = tuple(scope.value for scope in Scope)

# What each role may ever grant its own tokens: what its pages let it do. Warehouse staff
# have no account or ledger pages; importing orders and managing webhooks are the admin's.
_EVERYONE = (Scope.RMAS_READ, Scope.RMAS_WRITE, Scope.PRODUCTS_READ)
_ACCOUNT_PEOPLE = (*_EVERYONE, Scope.ACCOUNTS_READ, Scope.LEDGER_READ)
ROLE_SCOPES: dict[Role, tuple[Scope, ...]] = {
    Role.ADMIN: tuple(Scope),
    Role.SALES_REP: _ACCOUNT_PEOPLE,
    Role.RETAILER: _ACCOUNT_PEOPLE,
    Role.WAREHOUSE: _EVERYONE,
}


# Integration tokens read, and the distributor's manages webhooks. They do not write RMAs
# or import orders: the event log and the import history name the person who acted, and an
# integration token is no person.
_READS = (Scope.RMAS_READ, Scope.PRODUCTS_READ, Scope.ACCOUNTS_READ, Scope.LEDGER_READ)
INTEGRATION_SCOPES: dict[TokenKind, tuple[Scope, ...]] = {
    TokenKind.DISTRIBUTOR: (*_READS, Scope.WEBHOOKS_MANAGE),
    TokenKind.ACCOUNT: _READS,
}


def scopes_for(role: Role) -> tuple[Scope, ...]:
    """The scopes a user of ``role`` may give a token, in the list's order."""
    allowed = ROLE_SCOPES[role]
    return tuple(scope for scope in Scope if scope in allowed)


def unknown_scopes(names: Iterable[str]) -> list[str]:
    return [name for name in names if name not in SCOPES]


def parse_scopes(text: str) -> list[str]:
    """``"rmas:read, ledger:read"`` or ``"rmas:read ledger:read"`` as a list, in order,
    each once."""
    names = text.replace(",", " ").split()
    return list(dict.fromkeys(names))


def integration_scopes_for(kind: TokenKind) -> tuple[Scope, ...]:
    """The scopes an integration token of ``kind`` may hold, in the list's order."""
    allowed = INTEGRATION_SCOPES[kind]
    return tuple(scope for scope in Scope if scope in allowed)
