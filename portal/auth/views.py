from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, logout_user

from portal.auth.access import start_session
from portal.auth.forms import LoginForm
from portal.auth.operations import authenticate, end_sessions, home_endpoint
from portal.db import get_session
from portal.extensions import limiter
from portal.inputs.text import unstorable

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "E-mail or password is not correct, or the account is disabled."


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    return redirect(url_for("auth.login"))


def _submitted_email() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _login_failed(response) -> bool:
    return response.status_code != 303


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_FAILURES_PER_EMAIL"],
    key_func=_submitted_email,
    methods=["POST"],
    deduct_when=_login_failed,
    scope="login-email",
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        db = get_session()
        user = authenticate(db, form.email.data, form.password.data)
        if user is not None:
            db.commit()  # a re-hashed password, if argon2's parameters changed
            next_url = request.args.get("next")
            start_session(user)
            return redirect(_safe_next(next_url) or url_for(home_endpoint(user)), 303)
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
