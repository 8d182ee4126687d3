"""The admin's changes: users, an account's address and tax details, the distributor's
profile. No request, no commit: the request commits once, when it succeeds."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DistributorProfile, RetailerAccount, Role, User
from models.distributor import PROFILE_ID
from portal.auth.operations import end_sessions, normalise_email
from portal.auth.passwords import hash_password
from portal.i18n import known_language
from portal.i18n.zones import known_zone
from workflow_designer.engine.errors import Refusal

PROFILE_FIELDS = ("legal_name", "street", "postal_code", "city", "country", "vat_number", "email")


class UserError(Refusal):
    """A user-management request that cannot be carried out; the message is for the admin."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def create_user(
    session: Session, *, name: str, email: str, role: Role, password: str, account_number: str = ""
) -> User:
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise UserError(_("A user with the e-mail %(email)s already exists.", email=email), "email")
    account_id = None
    if role is Role.RETAILER:
        account_id = session.scalar(
            select(RetailerAccount.id).where(RetailerAccount.number == account_number.strip())
        )
        if account_id is None:
            raise UserError(
                _("There is no retailer account numbered %(number)s.", number=account_number),
                "account_number",
            )
    user = User(
        name=name.strip(),
        email=email,
        role=role,
        account_id=account_id,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def set_user_active(session: Session, actor: User, user: User, active: bool) -> None:
    if user.id == actor.id and not active:
        raise UserError(_("You cannot deactivate yourself."))
    if not active:
        end_sessions(user)  # reactivating later must not revive cookies from before
    user.is_active = active


def reset_password(session: Session, user: User, password: str) -> None:
    """Set a new password; every session made with the old one ends."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def set_account_address(
    session: Session, account: RetailerAccount, *, street: str, postal_code: str, city: str
) -> bool:
    """Store the account's street address (the sender block of its labels); True when it
    changed. An empty part is stored empty: the label leaves it out."""
    new = (street.strip(), postal_code.strip(), city.strip())
    if new == (account.street, account.postal_code, account.city):
        return False
    account.street, account.postal_code, account.city = new
    session.flush()
    return True


def save_distributor(
    session: Session, values: dict[str, str], locale: str = "", time_zone: str = ""
) -> DistributorProfile:
    """Write the one profile row (created on first save) with the staff's default language
    and time zone (empty: none)."""
    profile = session.get(DistributorProfile, PROFILE_ID) or DistributorProfile(id=PROFILE_ID)
    for name in PROFILE_FIELDS:
        setattr(profile, name, values[name].strip())
    profile.locale, profile.time_zone = known_language(locale), known_zone(time_zone)
    session.add(profile)
    return profile


def set_account_language(account: RetailerAccount, locale: str) -> None:
    """The language of the account's users who chose none (empty: their browser's)."""
    account.locale = known_language(locale)


def set_account_tax(
    session: Session, account: RetailerAccount, vat_number: str | None, rate: Decimal
) -> None:
    account.vat_number = (vat_number or "").strip() or None
    account.tax_rate_percent = rate
