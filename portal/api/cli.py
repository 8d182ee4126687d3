"""``rotaflow api-token create|revoke``: API tokens for integrations, from the shell."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from models import ApiToken, User
from portal.api.operations import ScopeNotAllowed, create_token, revoke_token
from portal.api.scopes import SCOPES, parse_scopes, unknown_scopes
from portal.db import get_session
from portal.inputs.numbers import MAX_ID
from portal.inputs.text import unstorable

api_token_group = AppGroup("api-token", help="Create and revoke API tokens.")


@api_token_group.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", required=True, help="What the token is for, e.g. the ERP's name.")
@click.option("--scopes", required=True, help=f"Comma-separated, of: {', '.join(SCOPES)}.")
@click.option("--expires-days", type=click.IntRange(1, 3650), help="Days until it expires.")
def create(email: str, name: str, scopes: str, expires_days: int | None) -> None:
    """Create a token and print it: shown this once, as the last line."""
    session = get_session()
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        raise click.UsageError(f"No active user with the e-mail {email}.")
    name = name.strip()
    if not name or len(name) > 80 or unstorable(name):
        raise click.UsageError("--name must be 1 to 80 characters on one line.")
    wanted = parse_scopes(scopes)
    if not wanted or unknown_scopes(wanted):
        raise click.UsageError(f"--scopes must name some of: {', '.join(SCOPES)}.")
    try:
        made = create_token(session, user, name, wanted, expires_days)
    except ScopeNotAllowed as refused:
        raise click.UsageError(str(refused)) from None
    session.commit()
    click.echo(f"Token {made.token.id} for {user.email}: {', '.join(made.token.scopes)}.")
    click.echo("Store it now; it is not shown again:")
    click.echo(made.secret)


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
