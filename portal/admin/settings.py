"""The admin's settings: the distributor's profile (the documents' letterhead) and the
tax details of an account. Routes of the admin blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import Session

from models import DistributorProfile, RetailerAccount
from models.distributor import PROFILE_ID
from portal.admin.settings_forms import AccountTaxForm, DistributorForm
from portal.admin.views import bp
from portal.db import get_session
from portal.scope import load_account

PROFILE_FIELDS = ("legal_name", "street", "postal_code", "city", "country", "vat_number", "email")


def save_distributor(session: Session, values: dict[str, str]) -> DistributorProfile:
    """Write the one profile row (created on first save)."""
    profile = session.get(DistributorProfile, PROFILE_ID) or DistributorProfile(id=PROFILE_ID)
    for name in PROFILE_FIELDS:
        setattr(profile, name, values[name].strip())
    session.add(profile)
    return profile


def set_account_tax(session: Session, account: RetailerAccount, vat_number, rate) -> None:
    account.vat_number = (vat_number or "").strip() or None
    account.tax_rate_percent = rate


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    session = get_session()
    profile = session.get(DistributorProfile, PROFILE_ID)
    form = DistributorForm(obj=profile)
    if form.validate_on_submit():
        save_distributor(session, {name: form[name].data for name in PROFILE_FIELDS})
        session.commit()
        flash("Distributor profile saved.", "success")
        return redirect(url_for("admin.settings"), 303)
    status = 422 if form.errors else 200
    return render_template("admin/settings.html", form=form, profile=profile), status


# Ids past the database integer are no account (404), never a database error.
@bp.route("/accounts/<id:account_id>/tax", methods=["GET", "POST"])
def account_tax(account_id: int):
    session = get_session()
    account = load_account(session, current_user, account_id)
    form = AccountTaxForm(obj=account)
    if form.validate_on_submit():
        set_account_tax(session, account, form.vat_number.data, form.tax_rate_percent.data)
        session.commit()
        flash(f"Tax details of {account.number} saved.", "success")
        return redirect(url_for("admin.account", account_id=account.id), 303)
    status = 422 if form.errors else 200
    return render_template("admin/account_tax.html", form=form, account=account), status
