"""The admin's settings: the distributor's profile (the documents' letterhead, the staff's
default language and time zone), the risk signal thresholds, and the tax details and
language of an account."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from models.base import utcnow
from portal.admin.operations import (
    PROFILE_FIELDS,
    save_distributor,
    set_account_language,
    set_account_tax,
)
from portal.admin.settings_forms import AccountLanguageForm, AccountTaxForm, DistributorForm
from portal.credits.queries import distributor
from portal.db import get_session
from portal.scope import load_account
from portal.signals.forms import RiskSignalsForm
from portal.signals.operations import save_thresholds
from portal.signals.queries import load_thresholds
from portal.web import render


def settings() -> ResponseReturnValue:
    session = get_session()
    profile = distributor(session)
    form = DistributorForm(obj=profile)
    if form.validate_on_submit():
        values = {name: form[name].data for name in PROFILE_FIELDS}
        save_distributor(session, values, form.locale.data, form.time_zone.data)
        flash(_("Distributor profile saved."), "success")
        return redirect(url_for("admin.settings"), 303)
    status = 422 if form.errors else 200
    return render("admin/settings.html", http_status=status, form=form, profile=profile)


def risk_signals() -> ResponseReturnValue:
    """The thresholds of the risk signals reps and admins see; a refused form is 422 and
    changes nothing."""
    session = get_session()
    form = RiskSignalsForm(data=load_thresholds(session).as_document())
    if form.validate_on_submit():
        save_thresholds(session, current_user, form.thresholds(), utcnow())
        flash(_("Risk signal thresholds saved."), "success")
        return redirect(url_for("admin.risk_signals"), 303)
    status = 422 if form.errors else 200
    return render("admin/risk_signals.html", http_status=status, form=form)


def account_tax(account_id: int) -> ResponseReturnValue:
    session = get_session()
    account = load_account(session, current_user, account_id)
    form = AccountTaxForm(obj=account)
    if form.validate_on_submit():
        rate = form.tax_rate_percent.data
        assert rate is not None  # the form requires it
        set_account_tax(session, account, form.vat_number.data, rate)
        flash(_("Tax details of %(number)s saved.", number=account.number), "success")
        return redirect(url_for("admin.account", account_id=account.id), 303)
    status = 422 if form.errors else 200
    return render("admin/account_tax.html", http_status=status, form=form, account=account)


def account_language(account_id: int) -> ResponseReturnValue:
    session = get_session()
    account = load_account(session, current_user, account_id)
    form = AccountLanguageForm(data={"locale": account.locale or ""})
    if form.validate_on_submit():
        set_account_language(account, form.locale.data)
        flash(_("Language of %(account)s saved.", account=account.number), "success")
        return redirect(url_for("admin.account", account_id=account.id), 303)
    status = 422 if form.errors else 200
    return render("admin/account_language.html", http_status=status, form=form, account=account)
