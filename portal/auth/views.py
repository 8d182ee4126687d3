"""Signing in and out, and the language of the pages before signing in."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from portal.auth.access import start_session
from portal.auth.forms import LoginForm, SwitchLanguageForm
from portal.auth.operations import authenticate, end_sessions, home_endpoint, normalise_email
from portal.auth.throttle import client_address, get_throttle, too_many_attempts
from portal.db import get_session
from portal.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_AGE, known_language
from portal.inputs.text import unstorable
from portal.web import render

bp = Blueprint("auth", __name__)

LOGIN_FAILED = _l("E-mail or password is not correct, or the account is disabled.")


def index() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    return redirect(url_for("auth.login"))


def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    throttle, address = get_throttle(), client_address()
    if request.method == "POST" and (wait := throttle.count_attempt(address)):
        return too_many_attempts(wait)
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        if wait := throttle.wait_before_trying(email, address):
            return too_many_attempts(wait)
        user = authenticate(get_session(), email, form.password.data)
        if user is not None:
            # A re-hashed password (argon2's parameters changed) is committed before the
            # throttle's counters open their own transaction, which would wait for this one.
            get_session().commit()
            throttle.forget_failures(email, address)
            start_session(user)
            target = _safe_next(request.args.get("next")) or url_for(home_endpoint(user))
            return redirect(target, 303)
        throttle.record_failure(email, address)  # in a transaction of its own
        flash(str(LOGIN_FAILED), "error")
    return render("auth/login.html", form=form)


def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        end_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"), 303)


def switch_language() -> ResponseReturnValue:
    """The language switch of the pages before signing in: remembered in a cookie, and
    followed until a signed-in user's own setting takes over. An unknown one changes
    nothing."""
    target = _safe_next(request.form.get("next")) or url_for("auth.login")
    language = known_language(request.form.get("language"))
    if not SwitchLanguageForm().validate_on_submit() or language is None:
        flash(_("This language is not offered."), "error")
        return redirect(target, 303)
    response = redirect(target, 303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_AGE,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )
    return response


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths; never an open redirect."""
    if not target or unstorable(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


# The URL table: every route of the area, its endpoint name and its methods.
bp.add_url_rule("/", "index", index, methods=["GET"])
bp.add_url_rule("/login", "login", login, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", logout, methods=["POST"])
bp.add_url_rule("/language", "switch_language", switch_language, methods=["POST"])
