"""Authentication and user management operations (no request, no commit)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Role, User
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.i18n import known_language
from portal.i18n.zones import known_zone


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None, taking the same time either way."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    valid = verify_password(user.password_hash if user else None, password)
    if not valid or user is None or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def change_password(user: User, current: str, new: str) -> bool:
    """Set ``user``'s password to ``new`` if ``current`` is theirs; every session ends
    (the caller renews the one it was done from). False, changing nothing, otherwise."""
    if not verify_password(user.password_hash, current):
        return False
    user.password_hash = hash_password(new)
    end_sessions(user)
    return True


def end_sessions(user: User) -> None:
    """End every session of ``user`` on every device, copies of the cookie included."""
    user.session_epoch += 1


def home_endpoint(user: User) -> str:
    return {
        Role.ADMIN: "admin.home",
        Role.SALES_REP: "reps.home",
        Role.WAREHOUSE: "warehouse.home",
        Role.RETAILER: "retailer.home",
    }[user.role]


# Who gets the weekly digest (portal.signals.digest), and may turn it off.
DIGEST_ROLES = (Role.ADMIN, Role.SALES_REP)


def set_preferences(
    user: User, locale: str, time_zone: str, weekly_digest: bool | None = None
) -> None:
    """Store the user's language and time zone (empty means "follow the default") and,
    for the digest's recipients (reps and admins), whether they want it."""
    user.locale = known_language(locale)
    user.time_zone = known_zone(time_zone)
    if weekly_digest is not None and user.role in DIGEST_ROLES:
        user.weekly_digest = weekly_digest
