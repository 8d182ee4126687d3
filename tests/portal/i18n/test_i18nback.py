"""The back office in German and French: e-mails, the credit ledger and its memo PDF, the
approval queue, the warehouse and the rep's accounts, each in its reader's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_skeleton

from models import Role
from portal.notifications.emails import render_email
from tests import shop as backoffice
from tests.factories import make_rma, make_user
from tests.portal.admin.flows import resolve
from tests.portal.credits.helpers import add_entry, pdf_text
from workflow_designer.runtime.firing import fire

# The back office's shop: a rep's account with invoiced frames, staff, an RMA awaiting receipt.
shop = backoffice.shop
awaiting = backoffice.awaiting

PAYLOAD = {
    "rma_number": "RMA-2026-000123",
    "state_label": "Authorized",
    "account_name": "Optik Sonnenschein",
    "actor_name": "Rita Rep",
}


def speaks(session, user, language: str):
    user.locale = language
    session.flush()
    return user


def today(language: str) -> str:
    return format_skeleton("yMMMd", datetime.now(UTC).date(), locale=language)


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "footer"),
    [
        ("de", "RMA-2026-000123 ist genehmigt", "Guten Tag Olga,", "Rotaflow-Retourenportal."),
        ("fr", "RMA-2026-000123 est autorisé", "Bonjour Olga,", "Portail de retours Rotaflow."),
    ],
)
def test_an_email_speaks_its_recipients_language(app, language, subject, greeting, footer):
    with app.app_context():
        rendered = render_email("rma_authorized", PAYLOAD, "Olga", language)
    assert rendered.subject.startswith(subject)
    for body in (rendered.text, rendered.html):
        assert body.lstrip().startswith(greeting) or greeting in body
        assert footer in body
        assert "Optik Sonnenschein" in body
    assert "Good news" not in rendered.text


def test_an_email_without_a_language_is_english(app):
    with app.app_context():
        rendered = render_email("rma_closed", PAYLOAD, None)
    assert rendered.subject == "RMA-2026-000123 is closed"
    assert rendered.text.startswith("Hello,")


@pytest.mark.parametrize(
    ("language", "heading", "amount", "kind"),
    [
        ("de", "Kontoauszug", "1.346,00\xa0€", "Buchung"),
        ("fr", "Relevé", "1\u202f346,00\xa0€", "Écriture"),
    ],
)
def test_the_ledger_in_the_admins_language(
    db_session, client, login_as, shop, language, heading, amount, kind
):
    account = shop["account"]
    add_entry(db_session, account, "1346.00")
    login_as(speaks(db_session, shop["admin"], language))
    page = client.get(f"/credits/accounts/{account.id}").data.decode()
    assert f"<h2>{heading}</h2>" in page
    assert amount in page
    assert kind in page
    assert today(language) in page
    assert "Credit balance" not in page


def test_the_credit_memo_pdf_is_german_for_a_german_retailer(
    db_session, client, login_as, shop, awaiting
):
    resolve(db_session, awaiting, shop)
    from portal.credits import documents

    memo = documents.credit_memo_of(db_session, awaiting)
    login_as(speaks(db_session, shop["retailer"], "de"))
    text = pdf_text(client.get(f"/credits/memos/{memo.number}.pdf"))
    for expected in (
        "Gutschrift",
        f"Belegnummer {memo.number}",
        f"Datum {today('de')}",
        "Gutschrift gesamt (EUR) 188,66",
        "Netto 188,66",
        "Gebühr",
        "Beträge in EUR.",
    ):
        assert expected in text, expected
    assert "Total credit" not in text and "Document number" not in text


def test_the_credit_memo_pdf_is_french_for_a_french_admin(
    db_session, client, login_as, shop, awaiting
):
    resolve(db_session, awaiting, shop)
    from portal.credits import documents

    memo = documents.credit_memo_of(db_session, awaiting)
    login_as(speaks(db_session, shop["admin"], "fr"))
    text = pdf_text(client.get(f"/credits/memos/{memo.number}.pdf"))
    assert "Avoir" in text and f"Numéro de document {memo.number}" in text
    assert "Total de l'avoir (EUR) 188,66" in text
    assert "TVA 0 %" in text or "TVA 0\u202f%" in text or "TVA 0\xa0%" in text


def test_a_french_reps_approval_queue(db_session, client, login_as, shop):
    rma = make_rma(
        db_session,
        shop["account"],
        shop["version"],
        exception_requested=True,
        exception_justification="Fermeture d'une succursale.",
    )
    fire(db_session, rma, "submit", shop["retailer"], now=datetime.now(UTC) - timedelta(hours=1))
    login_as(speaks(db_session, shop["rep"], "fr"))
    page = client.get("/approvals/").data.decode()
    assert "<h1>Approbations</h1>" in page
    assert rma.number in page
    for label in ("Règles non respectées", "Approuver la sélection", ">Approuver<", ">Refuser<"):
        assert label in page, label
    assert "Nothing is waiting" not in page and "Approve selected" not in page


def test_a_german_reps_accounts(db_session, client, login_as, shop):
    login_as(speaks(db_session, shop["rep"], "de"))
    page = client.get("/rep/").data.decode()
    assert "<h1>Meine Kundenkonten</h1>" in page
    assert "Nettowert" in page and shop["account"].name in page


def test_the_warehouse_in_german(db_session, client, login_as, shop, awaiting):
    login_as(speaks(db_session, shop["warehouse_user"], "de"))
    page = client.get("/warehouse/").data.decode()
    assert "<h1>Bestand nach Zustandsklasse</h1>" in page
    assert "Bestandspositionen" in page
    page = client.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    assert "Wareneingang des Pakets buchen" in page
    assert "Wareneingang buchen" in page  # the button
    assert "Receive parcel" not in page


def test_the_warehouse_in_french(db_session, client, login_as, shop, awaiting):
    login_as(speaks(db_session, make_user(db_session, Role.WAREHOUSE), "fr"))
    page = client.get("/warehouse/receive").data.decode()
    assert "<h1>Réceptionner</h1>" in page
    assert "En attente de réception" in page
    assert today("fr") in page  # the queue's creation dates
