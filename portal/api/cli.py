"""``rotaflow api-token create|revoke``: API tokens, personal or integration, from the shell."""

from __future__ import annotations

from functools import partial

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ApiToken, RetailerAccount, User
from portal.api.operations import (
    ScopeNotAllowed,
    create_integration_token,
    create_token,
    revoke_token,
)
from portal.api.scopes import SCOPES, parse_scopes, unknown_scopes
from portal.api.token_queries import account_by_number
from portal.db import get_session
from portal.inputs.numbers import MAX_ID
from portal.inputs.text import unstorable

api_token_group = AppGroup("api-token", help="Create and revoke API tokens.")


@api_token_group.command("create")
@click.option("--email", help="The user a personal token acts as.")
@click.option(
    "--integration", is_flag=True, help="An integration token: of no person (see --account)."
)
@click.option("--account", "account_number", help="Integration: the retailer account's number.")
@click.option("--distributor", is_flag=True, help="Integration: the distributor's token.")
@click.option("--name", required=True, help="What the token is for, e.g. the ERP's name.")
@click.option("--scopes", required=True, help=f"Comma-separated, of: {', '.join(SCOPES)}.")
@click.option("--expires-days", type=click.IntRange(1, 3650), help="Days until it expires.")
def create(
    email: str | None,
    integration: bool,
    account_number: str | None,
    distributor: bool,
    name: str,
    scopes: str,
    expires_days: int | None,
) -> None:
    """Create a token and print it: shown this once, as the last line.

    A personal token (--email) acts as its user. An integration token (--integration with
    --account NUMBER or --distributor) belongs to no person: it sees what that account's
    users see, or what an admin sees."""
    session = get_session()
    name = name.strip()
    if not name or len(name) > 80 or unstorable(name):
        raise click.UsageError("--name must be 1 to 80 characters on one line.")
    wanted = parse_scopes(scopes)
    if not wanted or unknown_scopes(wanted):
        raise click.UsageError(f"--scopes must name some of: {', '.join(SCOPES)}.")
    if integration:
        account = _integration_owner(session, email, account_number, distributor)
        owner = "the distributor" if account is None else f"account {account.number}"
        make = partial(create_integration_token, session, account)
    else:
        user = _personal_owner(session, email, account_number, distributor)
        owner = user.email
        make = partial(create_token, session, user)
    try:
        made = make(name, wanted, expires_days)
    except ScopeNotAllowed as refused:
        raise click.UsageError(str(refused)) from None
    session.commit()
    click.echo(f"Token {made.token.id} for {owner}: {', '.join(made.token.scopes)}.")
    click.echo("Store it now; it is not shown again:")
    click.echo(made.secret)


def _personal_owner(
    session: Session, email: str | None, account_number: str | None, distributor: bool
) -> User:
    if account_number is not None or distributor:
        raise click.UsageError("--account and --distributor are for --integration tokens.")
    if not email:
        raise click.UsageError("Name the user with --email, or make an --integration token.")
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        raise click.UsageError(f"No active user with the e-mail {email}.")
    return user


def _integration_owner(
    session: Session, email: str | None, account_number: str | None, distributor: bool
) -> RetailerAccount | None:
    if email is not None:
        raise click.UsageError("An --integration token belongs to no user: leave out --email.")
    if distributor == (account_number is not None):
        raise click.UsageError("An --integration token needs --account NUMBER or --distributor.")
    if distributor:
        return None
    number = (account_number or "").strip()
    account = account_by_number(session, number)
    if account is None:
        raise click.UsageError(f"No retailer account numbered {number}.")
    return account


@api_token_group.command("revoke")
@click.option("--id", "token_id", required=True, type=click.IntRange(1, MAX_ID))
def revoke(token_id: int) -> None:
    """Revoke the token with this id (see the API tokens page)."""
    session = get_session()
    token = session.get(ApiToken, token_id)
    if token is None:
        raise click.UsageError(f"No token {token_id}.")
    revoke_token(session, token)
    session.commit()
    click.echo(f"Token {token_id} ({token.name}) is revoked.")
