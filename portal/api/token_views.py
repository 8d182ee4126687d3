"""The API tokens page, reached from Your account: make personal tokens, see them, revoke
them; admins also see and revoke every other user's. Open to every role."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from models import Role
from portal.api import token_queries
from portal.api.forms import NewTokenForm, RevokeTokenForm
from portal.api.operations import create_token, revoke_token
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.web import render

bp = Blueprint("api_tokens", __name__)
restrict_blueprint(bp, *Role)


def _page(form: NewTokenForm, status: int = 200, secret: str | None = None) -> Response:
    session, user = get_session(), current_user._get_current_object()
    response = render(
        "api/tokens.html",
        "api/_tokens.html",
        http_status=status,
        form=form,
        revoke_form=RevokeTokenForm(),
        secret=secret,
        own=token_queries.own_tokens(session, user),
        others=token_queries.others_tokens(session, user),
    )
    response.headers["Cache-Control"] = "no-store"  # the page may show a secret
    return response


def index() -> ResponseReturnValue:
    return _page(NewTokenForm(current_user.role))


def create() -> ResponseReturnValue:
    """Make a token and show its secret, this once, on the page the POST answers."""
    user = current_user._get_current_object()
    form = NewTokenForm(user.role)
    if not form.validate_on_submit():
        return _page(form, 422)
    made = create_token(
        get_session(), user, form.name.data or "", form.scopes.data or [], form.expires_in_days
    )
    return _page(NewTokenForm(user.role, formdata=None), 201, secret=made.secret)


def revoke(token_id: int) -> ResponseReturnValue:
    token = token_queries.load_token(get_session(), current_user, token_id)
    if not RevokeTokenForm().validate_on_submit():
        return _page(NewTokenForm(current_user.role), 400)
    revoke_token(get_session(), token)
    return redirect(url_for("api_tokens.index"), 303)


# The URL table: every route of the area, its endpoint name and its methods.
bp.add_url_rule("", "index", index, methods=["GET"])
bp.add_url_rule("", "create", create, methods=["POST"])
bp.add_url_rule("/<id:token_id>/revoke", "revoke", revoke, methods=["POST"])
