"""The signed-in user's own account: language and time zone, change the password, sign
out everywhere. Open to every role."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh as refresh_babel
from flask_login import current_user, logout_user

from models import Role
from portal.auth.access import renew_session, restrict_blueprint
from portal.auth.forms import ChangePasswordForm, PreferencesForm, SignOutEverywhereForm
from portal.auth.operations import DIGEST_ROLES, end_sessions, set_preferences
from portal.auth.operations import change_password as set_own_password
from portal.auth.throttle import client_address, get_throttle, too_many_attempts
from portal.db import get_session
from portal.web import render

bp = Blueprint("profile", __name__)
restrict_blueprint(bp, *Role)

WRONG_PASSWORD = _l("This is not your current password.")


def _page(
    password_form: ChangePasswordForm,
    status: int = 200,
    preferences_form: PreferencesForm | None = None,
) -> Response:
    user = current_user
    return render(
        "auth/profile.html",
        http_status=status,
        password_form=password_form,
        preferences_form=preferences_form or PreferencesForm(data=_preferences(user)),
        digest_offered=user.role in DIGEST_ROLES,
        sign_out_form=SignOutEverywhereForm(),
    )


def _preferences(user) -> dict:
    return {
        "locale": user.locale or "",
        "time_zone": user.time_zone or "",
        "weekly_digest": user.weekly_digest,
    }


def show() -> ResponseReturnValue:
    return _page(ChangePasswordForm())


def save_preferences() -> ResponseReturnValue:
    form = PreferencesForm()
    if not form.validate_on_submit():
        return _page(ChangePasswordForm(), 422, preferences_form=form)
    user = current_user._get_current_object()
    set_preferences(user, form.locale.data, form.time_zone.data, form.weekly_digest.data)
    g.pop("language", None)  # the confirmation is in the language just chosen
    refresh_babel()
    flash(_("Your language and time zone are saved."), "success")
    return redirect(url_for("profile.show"), 303)


def change_password() -> ResponseReturnValue:
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
        form.current_password.errors.append(str(WRONG_PASSWORD))
        return _page(form, 422)
    # Committed before the throttle's counters open their own transaction, which would
    # wait for this one (on SQLite it holds the one write lock).
    get_session().commit()
    renew_session(user)  # every other session has ended; this one goes on
    throttle.forget_failures(email, address)
    flash(_("Password changed. You were signed out on every other device."), "success")
    return redirect(url_for("profile.show"), 303)


def sign_out_everywhere() -> ResponseReturnValue:
    if not SignOutEverywhereForm().validate_on_submit():
        return _page(ChangePasswordForm(), 400)
    end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You have been signed out on every device."), "info")
    return redirect(url_for("auth.index"), 303)


# The URL table: every route of the area, its endpoint name and its methods.
bp.add_url_rule("", "show", show, methods=["GET"])
bp.add_url_rule("/password", "change_password", change_password, methods=["POST"])
bp.add_url_rule("/preferences", "save_preferences", save_preferences, methods=["POST"])
bp.add_url_rule(
    "/sign-out-everywhere", "sign_out_everywhere", sign_out_everywhere, methods=["POST"]
)
