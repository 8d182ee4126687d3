"""Role checks, done once per blueprint."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from models import Role
from portal.db import get_session
from portal.extensions import login_manager


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
    from models import User

    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    return user if user is not None and user.is_active else None
