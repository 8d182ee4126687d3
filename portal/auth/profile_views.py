"""The signed-in user's own account: change the password, sign out everywhere. Open to
every role."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_login import current_user, logout_user

from models import Role
from portal.auth.access import renew_session, restrict_blueprint
from portal.auth.forms import ChangePasswordForm, SignOutEverywhereForm
from portal.auth.operations import change_password as set_own_password
from portal.auth.operations import end_sessions
from portal.auth.throttle import get_throttle
from portal.auth.views import client_address, too_many_attempts
from portal.db import get_session

bp = Blueprint("profile", __name__)
restrict_blueprint(bp, *Role)

WRONG_PASSWORD = "This is not your current password."


def _page(password_form: ChangePasswordForm, status: int = 200):
    return render_template(
        "auth/profile.html", password_form=password_form, sign_out_form=SignOutEverywhereForm()
    ), status


@bp.get("")
def show():
    return _page(ChangePasswordForm())


@bp.post("/password")
def change_password():
    """Throttled like the login form: guessing the current password here is a login."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    user = current_user._get_current_object()
    throttle, email, address = get_throttle(), user.email, client_address()
    wait = throttle.count_attempt(address) or throttle.wait_before_trying(email, address)
    if wait:
        return too_many_attempts(wait)
    if not set_own_password(user, form.current_password.data, form.password.data):
        throttle.record_failure(email, address)
        form.current_password.errors.append(WRONG_PASSWORD)
        return _page(form, 422)
    get_session().commit()
    renew_session(user)  # every other session has ended; this one goes on
    throttle.forget_failures(email, address)
    flash("Password changed. You were signed out on every other device.", "success")
    return redirect(url_for("profile.show"), 303)


@bp.post("/sign-out-everywhere")
def sign_out_everywhere():
    if not SignOutEverywhereForm().validate_on_submit():
        return _page(ChangePasswordForm(), 400)
    end_sessions(current_user._get_current_object())
    get_session().commit()
    logout_user()
    session.clear()
    flash("You have been signed out on every device.", "info")
    return redirect(url_for("auth.index"), 303)
