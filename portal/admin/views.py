"""The admin area: accounts, users, catalog and ERP imports; the RMA screens
(views_rmas) and the settings (views_settings) are registered in its URL table."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from models import Role, User
from portal.admin import operations, views_rmas, views_settings
from portal.admin.forms import (
    AccountAddressForm,
    ConfirmForm,
    ImportForm,
    PasswordResetForm,
    SearchForm,
    UserCreateForm,
)
from portal.admin.queries import accounts_page, products_page, users_page
from portal.auth.access import renew_session, restrict_blueprint
from portal.db import get_session
from portal.erp.importing import UploadDecodeError, decode_upload, import_csv
from portal.orders.views import render_order_history
from portal.pagination import Page
from portal.scope import load_account
from portal.signals.pages import account_signals
from portal.web import carried_query, render, wants_fragment

bp = Blueprint("admin", __name__)
GET_POST = ["GET", "POST"]
restrict_blueprint(bp, Role.ADMIN)


def _search(loader: Callable[..., Page], template: str, fragment: str) -> ResponseReturnValue:
    form = SearchForm(request.args)
    valid = form.validate()
    page = loader(
        get_session(),
        form.q.data or "" if valid else "",
        form.page.data or 1 if valid else 1,
        current_app.config["PAGE_SIZE"],
    )
    return render(template, fragment=fragment, form=form, page=page)


def home() -> ResponseReturnValue:
    return _search(accounts_page, "admin/accounts.html", "admin/_accounts.html")


def account(account_id: int) -> ResponseReturnValue:
    session = get_session()
    account = load_account(session, current_user, account_id)
    return render_order_history(
        account,
        "admin/account.html",
        "admin.account",
        endpoint_args={"account_id": account.id},
        signals=[] if wants_fragment() else account_signals(session, current_user, account),
    )


def account_address(account_id: int) -> ResponseReturnValue:
    """The account's street address, printed as the sender on its return labels."""
    session = get_session()
    account = load_account(session, current_user, account_id)
    form = AccountAddressForm(obj=account)
    if form.validate_on_submit():
        changed = operations.set_account_address(
            session,
            account,
            street=form.street.data,
            postal_code=form.postal_code.data,
            city=form.city.data,
        )
        flash(
            _("Address of %(name)s saved.", name=account.name)
            if changed
            else _("Nothing changed."),
            "success",
        )
        return redirect(url_for("admin.account", account_id=account.id), 303)
    status = 422 if form.errors else 200
    return render("admin/account_address.html", http_status=status, form=form, account=account)


def products() -> ResponseReturnValue:
    return _search(products_page, "admin/products.html", "admin/_products.html")


def users() -> ResponseReturnValue:
    return _search(users_page, "admin/users.html", "admin/_users.html")


def user_create() -> ResponseReturnValue:
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = operations.create_user(
                get_session(),
                name=form.name.data,
                email=form.email.data,
                role=Role(form.role.data),
                password=form.password.data,
                account_number=form.account_number.data or "",
            )
        except operations.UserError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            flash(_("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.users"), 303)
    status = 422 if form.errors else 200
    return render("admin/user_form.html", http_status=status, form=form)


def _load_user(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


def user_password(user_id: int) -> ResponseReturnValue:
    user = _load_user(user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        operations.reset_password(get_session(), user, form.password.data)
        if user.id == current_user.id:
            renew_session(user)  # an admin resetting their own password stays logged in here
        flash(_("Password of %(email)s reset.", email=user.email), "success")
        return redirect(url_for("admin.users"), 303)
    status = 422 if form.errors else 200
    return render("admin/password_form.html", http_status=status, form=form, user=user)


def user_active(user_id: int) -> ResponseReturnValue:
    user = _load_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    try:
        operations.set_user_active(get_session(), current_user, user, active)
    except operations.UserError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.users"), 303)
    flash(
        _("%(email)s reactivated.", email=user.email)
        if active
        else _("%(email)s deactivated.", email=user.email),
        "success",
    )
    return redirect(url_for("admin.users", **carried_query()), 303)


def imports() -> ResponseReturnValue:
    """An ERP export, imported whole or not at all: with errors, nothing is kept (the
    request's answer is 422, so its work is rolled back)."""
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        try:
            stream = decode_upload(form.file.data)
        except UploadDecodeError as error:
            form.file.errors.append(str(error))
        else:
            result = import_csv(get_session(), form.kind.data, stream)
            if not result.errors:
                flash(result.words(), "success")
                return redirect(url_for("admin.imports"), 303)
    status = 422 if form.errors or result else 200
    return render("admin/import.html", http_status=status, form=form, result=result)


# The URL table: every route of the area, its endpoint name and its methods.
bp.add_url_rule("/", "home", home, methods=["GET"])
bp.add_url_rule("/accounts/<id:account_id>", "account", account, methods=["GET"])
# Ids beyond PostgreSQL's integer are not asked of the database: 404 before the query.
bp.add_url_rule(
    "/accounts/<id:account_id>/address", "account_address", account_address, methods=GET_POST
)
bp.add_url_rule(
    "/accounts/<id:account_id>/tax", "account_tax", views_settings.account_tax, methods=GET_POST
)
bp.add_url_rule(
    "/accounts/<id:account_id>/language",
    "account_language",
    views_settings.account_language,
    methods=GET_POST,
)
bp.add_url_rule("/products", "products", products, methods=["GET"])
bp.add_url_rule("/users", "users", users, methods=["GET"])
bp.add_url_rule("/users/new", "user_create", user_create, methods=GET_POST)
bp.add_url_rule("/users/<id:user_id>/password", "user_password", user_password, methods=GET_POST)
bp.add_url_rule("/users/<id:user_id>/active", "user_active", user_active, methods=["POST"])
bp.add_url_rule("/import", "imports", imports, methods=GET_POST)
bp.add_url_rule("/settings", "settings", views_settings.settings, methods=GET_POST)
bp.add_url_rule(
    "/settings/risk-signals", "risk_signals", views_settings.risk_signals, methods=GET_POST
)
bp.add_url_rule("/rmas", "rmas", views_rmas.rmas, methods=["GET"])
bp.add_url_rule("/rmas.csv", "rmas_csv", views_rmas.rmas_csv, methods=["GET"])
bp.add_url_rule("/rmas.json", "rmas_json", views_rmas.rmas_json, methods=["GET"])
bp.add_url_rule("/rma_lines.csv", "rma_lines_csv", views_rmas.rma_lines_csv, methods=["GET"])
bp.add_url_rule(
    "/rmas/<number:number>/resolve", "rma_resolve", views_rmas.rma_resolve, methods=GET_POST
)
bp.add_url_rule(
    "/replacement-orders", "replacement_orders", views_rmas.replacement_orders, methods=["GET"]
)
bp.add_url_rule(
    "/replacement-orders/export",
    "replacement_orders_export",
    views_rmas.replacement_orders_export,
    methods=["POST"],
)
