"""Demo accounts have a street address, written the way their country writes it, and the
demo's return labels print it."""

from __future__ import annotations

import io
import random
import re
from datetime import date

import pypdf
from sqlalchemy import select

from models import RetailerAccount, Rma
from portal.demo import SCALES, load_demo
from portal.demo.accounts import SHOWCASE_NUMBER, generate_accounts
from portal.rmas.labels import LabelFormat, render_label
from portal.rmas.queries import return_address, rma_lines

ADDRESS_FORMS = {
    "DE": r"^\D+ \d+a?$",  # Friedrichstraße 12
    "AT": r"^\D+ \d+a?$",
    "CH": r"^[^ß\d]+ \d+a?$",  # Bahnhofstrasse 3: no ß in Switzerland
    "NL": r"^\D+ \d+a?$",
    "BE": r"^\D+ \d+a?$",
    "FR": r"^\d+ \D+$",  # 12 rue Victor Hugo
    "GB": r"^\d+ \D+$",  # 24 High Street
}
POSTAL_FORMS = {
    "DE": r"^\d{5}$",
    "FR": r"^\d{5}$",
    "AT": r"^\d{4}$",
    "CH": r"^\d{4}$",
    "BE": r"^\d{4}$",
    "NL": r"^\d{4} [A-Z]{2}$",
    "GB": r"^[A-Z]{1,2}\d{1,2}[A-Z]? \d[A-Z]{2}$",
}


def test_every_generated_account_has_an_address_of_its_country():
    accounts = generate_accounts(random.Random("7:accounts"), SCALES["standard"].accounts)
    assert {account.country for account in accounts} == set(ADDRESS_FORMS)
    for account in accounts:
        address = account.address
        assert re.match(ADDRESS_FORMS[account.country], address.street), address
        assert re.match(POSTAL_FORMS[account.country], address.postal_code), address
        assert address.city and address.city in account.name
    streets = {account.address.street for account in accounts}
    assert len(streets) > len(accounts) // 2  # not one street for everybody


def test_the_demo_labels_print_the_shop_address(db_session, app):
    load_demo(db_session, seed=7, today=date(2026, 3, 15), scale=SCALES["tiny"])
    accounts = db_session.scalars(select(RetailerAccount)).all()
    assert all(a.street and a.postal_code and a.city for a in accounts)
    showcase = next(a for a in accounts if a.number == SHOWCASE_NUMBER)
    assert (showcase.street, showcase.postal_code, showcase.city) == (
        "Kastanienallee 32",
        "10435",
        "Berlin",
    )
    rma = db_session.scalars(
        select(Rma).where(Rma.label_issued_at.is_not(None)).order_by(Rma.id)
    ).first()
    assert rma is not None
    account = rma.account
    for label_format in LabelFormat:
        address = return_address(db_session, account)
        with app.app_context():  # the label's words and dates follow the app's language
            rendered = render_label(rma, rma_lines(db_session, rma), address, label_format)
        reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert account.street in text
        assert f"{account.postal_code} {account.city}" in text
