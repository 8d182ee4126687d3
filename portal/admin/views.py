"""The admin area: accounts, users, catalog and ERP imports."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import Role, User
from portal.admin import operations
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
from portal.scope import load_account
from portal.web import carried_query, render

bp = Blueprint("admin", __name__)
restrict_blueprint(bp, Role.ADMIN)


def _search(loader, template: str, fragment: str):
    form = SearchForm(request.args)
    valid = form.validate()
    page = loader(
        get_session(),
        form.q.data or "" if valid else "",
        form.page.data or 1 if valid else 1,
        current_app.config["PAGE_SIZE"],
    )
    return render(template, fragment=fragment, form=form, page=page)


@bp.route("/")
def home():
    return _search(accounts_page, "admin/accounts.html", "admin/_accounts.html")


@bp.route("/accounts/<id:account_id>")
def account(account_id: int):
    account = load_account(get_session(), current_user, account_id)
    return render_order_history(
        account, "admin/account.html", "admin.account", endpoint_args={"account_id": account.id}
    )


# Ids beyond PostgreSQL's integer are not asked of the database: 404 before the query.
@bp.route("/accounts/<id:account_id>/address", methods=["GET", "POST"])
def account_address(account_id: int):
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
        session.commit()
        flash(f"Address of {account.name} saved." if changed else "Nothing changed.", "success")
        return redirect(url_for("admin.account", account_id=account.id), 303)
    status = 422 if form.errors else 200
    return render_template("admin/account_address.html", form=form, account=account), status


@bp.route("/products")
def products():
    return _search(products_page, "admin/products.html", "admin/_products.html")


@bp.route("/users")
def users():
    return _search(users_page, "admin/users.html", "admin/_users.html")


@bp.route("/users/new", methods=["GET", "POST"])
def user_create():
    form = UserCreateForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            user = operations.create_user(
                session,
                name=form.name.data,
                email=form.email.data,
                role=Role(form.role.data),
                password=form.password.data,
                account_number=form.account_number.data or "",
            )
        except operations.UserError as error:
            session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            session.commit()
            flash(f"User {user.email} created.", "success")
            return redirect(url_for("admin.users"), 303)
    return render_template("admin/user_form.html", form=form), 422 if form.errors else 200


def _load_user(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<id:user_id>/password", methods=["GET", "POST"])
def user_password(user_id: int):
    user = _load_user(user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        operations.reset_password(get_session(), user, form.password.data)
        get_session().commit()
        if user.id == current_user.id:
            renew_session(user)  # an admin resetting their own password stays logged in here
        flash(f"Password of {user.email} reset.", "success")
        return redirect(url_for("admin.users"), 303)
    return render_template("admin/password_form.html", form=form, user=user), (
        422 if form.errors else 200
    )


@bp.route("/users/<id:user_id>/active", methods=["POST"])
def user_active(user_id: int):
    user = _load_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    try:
        operations.set_user_active(get_session(), current_user, user, active)
    except operations.UserError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.users"), 303)
    get_session().commit()
    flash(f"{user.email} {'reactivated' if active else 'deactivated'}.", "success")
    return redirect(url_for("admin.users", **carried_query()), 303)


@bp.route("/import", methods=["GET", "POST"])
def imports():
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        session = get_session()
        try:
            stream = decode_upload(form.file.data)
        except UploadDecodeError as error:
            form.file.errors.append(str(error))
        else:
            result = import_csv(session, form.kind.data, stream)
            if not result.errors:
                session.commit()
                flash(result.summary(), "success")
                return redirect(url_for("admin.imports"), 303)
            session.rollback()
    status = 422 if form.errors or result else 200
    return render_template("admin/import.html", form=form, result=result), status


# The RMA screens add their routes to this blueprint.
from portal.admin import rmas as _rmas  # noqa: E402, F401
from portal.admin import settings as _settings  # noqa: E402, F401
