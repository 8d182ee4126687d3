"""The API tokens page, reached from Your account: make personal tokens, see them, revoke
them; admins also see and revoke every other user's. Open to every role. Admins also make
and revoke integration tokens (the distributor's and any account's), retailer users their
own account's."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, Response, abort, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from models import Role
from portal.api import token_queries
from portal.api.forms import NewIntegrationTokenForm, NewTokenForm, RevokeTokenForm
from portal.api.operations import create_integration_token, create_token, revoke_token
from portal.auth.access import restrict_blueprint
from portal.db import get_session
from portal.web import render

bp = Blueprint("api_tokens", __name__)
restrict_blueprint(bp, *Role)


# Who makes integration tokens: admins (any), retailer users (their account's).
INTEGRATORS = (Role.ADMIN, Role.RETAILER)


def _page(
    form: NewTokenForm,
    status: int = 200,
    secret: str | None = None,
    integration_form: NewIntegrationTokenForm | None = None,
) -> Response:
    session, user = get_session(), current_user._get_current_object()
    if integration_form is None and user.role in INTEGRATORS:
        integration_form = _integration_form(formdata=None)
    response = render(
        "api/tokens.html",
        "api/_tokens.html",
        http_status=status,
        form=form,
        integration_form=integration_form,
        revoke_form=RevokeTokenForm(),
        secret=secret,
        own=token_queries.own_tokens(session, user),
        others=token_queries.others_tokens(session, user),
        integration=token_queries.integration_tokens(session, user),
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
        get_session(),
        user,
        form.name.data or "",
        form.scopes.data or [],
        form.expires_in_days,
        created_by=user,
    )
    return _page(NewTokenForm(user.role, formdata=None), 201, secret=made.secret)


def _integration_form(**kwargs: object) -> NewIntegrationTokenForm:
    find = partial(token_queries.account_by_number, get_session())
    return NewIntegrationTokenForm(current_user.role, find, **kwargs)


def integration_create() -> ResponseReturnValue:
    """Make an integration token and show its secret, this once."""
    session, user = get_session(), current_user._get_current_object()
    if user.role not in INTEGRATORS:
        abort(403)
    form = _integration_form()
    if not form.validate_on_submit():
        return _page(NewTokenForm(user.role, formdata=None), 422, integration_form=form)
    made = create_integration_token(
        session,
        user.account if user.role is Role.RETAILER else form.chosen_account,
        form.name.data or "",
        form.scopes.data or [],
        form.expires_in_days,
        created_by=user,
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
bp.add_url_rule("/integration", "integration_create", integration_create, methods=["POST"])
bp.add_url_rule("/<id:token_id>/revoke", "revoke", revoke, methods=["POST"])
