from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from portal.auth.access import start_session
from portal.auth.forms import LoginForm
from portal.auth.operations import authenticate, end_sessions, home_endpoint, normalise_email
from portal.auth.throttle import get_throttle
from portal.db import get_session
from portal.inputs.text import unstorable

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "E-mail or password is not correct, or the account is disabled."


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    return redirect(url_for("auth.login"))


def client_address() -> str:
    # Behind proxies, PROXY_FIX makes this the client's address, not the proxy's.
    return request.remote_addr or "unknown"


def too_many_attempts(seconds: int):
    """The 429 page, with the wait in words and in ``Retry-After``."""
    message = (
        f"Too many attempts. Wait {seconds} second{'' if seconds == 1 else 's'} and try again."
    )
    body = render_template("error.html", code=429, message=message)
    return body, 429, {"Retry-After": str(seconds)}


@bp.route("/login", methods=["GET", "POST"])
def login():
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
        db = get_session()
        user = authenticate(db, email, form.password.data)
        if user is not None:
            db.commit()  # a re-hashed password, if argon2's parameters changed
            throttle.forget_failures(email, address)
            next_url = request.args.get("next")
            start_session(user)
            return redirect(_safe_next(next_url) or url_for(home_endpoint(user)), 303)
        db.rollback()  # nothing to keep; the failure is counted in a transaction of its own
        throttle.record_failure(email, address)
        flash(LOGIN_FAILED, "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        end_sessions(current_user._get_current_object())
        get_session().commit()
    logout_user()
    session.clear()
    flash("You have been logged out.", "info")
    return redirect(url_for("auth.login"), 303)


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths; never an open redirect."""
    if not target or unstorable(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
