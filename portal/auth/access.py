"""Role checks, done once per blueprint; sessions tied to the user's session epoch."""

from __future__ import annotations

from flask import Blueprint, abort, session
from flask_login import current_user, login_user

from models import Role, User
from portal.db import get_session
from portal.extensions import login_manager

# The user's ``session_epoch`` when the session began. Sessions are signed cookies, so
# logging out cannot delete a copy; bumping the epoch makes every copy worthless instead.
SESSION_EPOCH = "_session_epoch"


def restrict_blueprint(blueprint: Blueprint, *roles: Role) -> None:
    """Every route of ``blueprint`` requires a logged-in user with one of ``roles``."""

    @blueprint.before_request
    def _check_role():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role not in roles:
            abort(403)
        return None


@login_manager.user_loader
def _load_user(user_id: str):
    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    if user is None or not user.is_active:
        return None
    # A session without the key predates epochs, when every user's epoch was 0.
    if session.get(SESSION_EPOCH, 0) != user.session_epoch:
        return None
    return user


def start_session(user: User) -> None:
    """Log ``user`` in on a fresh session (no fixation) stamped with their epoch."""
    session.clear()
    login_user(user)
    session[SESSION_EPOCH] = user.session_epoch


def renew_session(user: User) -> None:
    """Keep the current session alive after ``user``'s epoch moved on (their own reset)."""
    session[SESSION_EPOCH] = user.session_epoch
