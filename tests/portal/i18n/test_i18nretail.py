"""The shell (layout, navigation, errors, sign-in) and the retailer's pages — order
history, starting a return, the draft with its policy panel, My RMAs, the RMA page — in
German and in French: their words, money and dates."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from babel.dates import format_skeleton

from tests.factories import make_return_address
from tests.portal.requests import conftest as request_fixtures
from tests.portal.requests.helpers import add, complete_lines, draft_page, return_type, start
from tests.portal.requests.helpers import submit as submit_draft
from tests.world import WorldBuilder

# The request tests' world: an account with invoices 30 to 800 days old, its retailer.
app, upload_folder, world = (
    request_fixtures.app,
    request_fixtures.upload_folder,
    request_fixtures.world,
)

NBSP, NNBSP = "\xa0", "\u202f"

# What each language shows; money is 1,346.00 and 1,205.00 euros, the day 5 December 2026.
READER = {
    "de": {
        "log_in": "Anmelden",
        "password": "Passwort",
        "please_log_in": "Bitte melden Sie sich an, um fortzufahren.",
        "not_found": "Diese Seite existiert nicht, oder Sie haben keinen Zugriff darauf.",
        "nav": ["Bestellhistorie", "Neue Retoure", "Meine RMAs", "Gutschriften"],
        "log_out": "Abmelden",
        "history": ["Rechnung", "Artikelnummer", "Lebenszyklus", "Guthaben:"],
        "day": "5. Dez. 2026",
        "price": f"1.346,00{NBSP}€",
        "start": "Was möchten Sie retournieren?",
        "draft": ["1. Positionen aus Ihren Einkäufen hinzufügen", "2. Ihre Positionen"],
        "panel": ["3. Prüfen und einreichen", "Retoure einreichen", "Positionen"],
        "four_lines": "4 Positionen",
        "total": f"1.205,00{NBSP}€",
        "list": ["Meine RMAs", "Retourenart", "Eingereicht", "Fortsetzen"],
        "rma": ["Aktueller Stand", "Was retourniert wird", "Verlauf", "Nachrichten", "Neu"],
        "submitted": "eingereicht am",
        "label": ["Rücksendeetikett", "Packliste", "Empfänger", "Ausgestellt am"],
    },
    "fr": {
        "log_in": "Se connecter",
        "password": "Mot de passe",
        "please_log_in": "Veuillez vous connecter pour continuer.",
        "not_found": "Cette page n’existe pas, ou vous n’y avez pas accès.",
        "nav": ["Historique des commandes", "Nouveau retour", "Mes RMA", "Avoirs"],
        "log_out": "Se déconnecter",
        "history": ["Facture", "Référence", "Cycle de vie", "Solde créditeur :"],
        "day": "5 déc. 2026",
        "price": f"1{NNBSP}346,00{NBSP}€",
        "start": "Que souhaitez-vous retourner ?",
        "draft": ["1. Ajouter des lignes depuis vos achats", "2. Vos lignes"],
        "panel": ["3. Vérifier et soumettre", "Soumettre le retour", "Lignes"],
        "four_lines": "4 lignes",
        "total": f"1{NNBSP}205,00{NBSP}€",
        "list": ["Mes RMA", "Type de retour", "Soumis", "Reprendre"],
        "rma": ["Où en est-il", "Ce qui est retourné", "Historique", "Messages", "Neuf"],
        "submitted": "soumis le",
        "label": ["Étiquette de retour", "Liste de colisage", "Destinataire", "Émise le"],
    },
}
LANGUAGES = pytest.mark.parametrize("language", sorted(READER))


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _reader(db_session, world, language: str):
    world.retailer.locale = language
    db_session.flush()
    return world.retailer


@LANGUAGES
def test_the_login_page_follows_the_browser(client, language):
    page = _text(client.get("/login", headers={"Accept-Language": f"{language},en;q=0.5"}))
    words = READER[language]
    assert f'<html lang="{language}" dir="ltr">' in page
    assert f"<h1>{words['log_in']}</h1>" in page and words["password"] in page
    assert "Log in" not in page


@LANGUAGES
def test_a_signed_out_visitor_is_asked_to_log_in_in_their_language(client, language):
    headers = {"Accept-Language": language}
    response = client.get("/requests/", headers=headers, follow_redirects=True)
    assert READER[language]["please_log_in"] in _text(response)


@LANGUAGES
def test_error_pages_speak_the_readers_language(client, db_session, login_as, world, language):
    login_as(_reader(db_session, world, language))
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert READER[language]["not_found"] in response.get_data(as_text=True)


@LANGUAGES
def test_the_retailer_reads_navigation_and_order_history_in_their_language(
    client, db_session, login_as, world, language
):
    WorldBuilder(db_session, world).order(
        [("new_stock", 1, "1346.00")], invoice_number="INV-DEC", invoice_date=date(2026, 12, 5)
    )
    login_as(_reader(db_session, world, language))
    page, words = _text(client.get("/account/")), READER[language]
    for label in words["nav"] + words["history"] + [words["log_out"]]:
        assert label in page, label
    row = page.split("INV-DEC", 1)[1].split("</tr>", 1)[0]
    assert words["day"] in row and words["price"] in row
    assert "Order history" not in page and "Unit net" not in page


@LANGUAGES
def test_a_draft_with_its_policy_panel_in_the_readers_language(
    client, db_session, login_as, world, language
):
    rtype = return_type(db_session, world, {}, name="Lagerrotation")
    login_as(_reader(db_session, world, language))
    words = READER[language]
    assert words["start"] in _text(client.get("/requests/new"))
    number = start(client, rtype)
    picks = {world.lines[key].id: None for key in ("velo", "recent", "red", "old")}
    assert add(client, number, picks).status_code == 200
    page = draft_page(client, number)
    for label in words["draft"] + words["panel"]:
        assert label in page, label
    lines = page.split('id="lines"', 1)[1].split("</tfoot>", 1)[0]
    assert words["four_lines"] in lines
    assert words["total"] in lines  # 8 × 50 + 10 × 40 + 6 × 42.50 + 5 × 30
    assert "Check and submit" not in page and "Add selected lines" not in page


@LANGUAGES
def test_my_rmas_and_the_rma_page_in_the_readers_language(
    client, db_session, login_as, world, language
):
    rtype = return_type(db_session, world, {}, name="Lagerrotation")
    reader = _reader(db_session, world, language)
    login_as(reader)
    words = READER[language]
    number = start(client, rtype)
    assert add(client, number, {world.lines["velo"].id: 3}).status_code == 200
    listing = _text(client.get("/requests/"))
    for label in words["list"]:
        assert label in listing, label
    today = format_skeleton("yMMMd", date.today(), locale=language)
    assert today in listing.split(number, 1)[1]

    complete_lines(client, number)
    assert submit_draft(client, number, resolution="credit").status_code == 303
    page = _text(client.get(f"/rmas/{number}"))
    for label in words["rma"]:
        assert label in page, label
    assert words["submitted"] in page and today in page
    assert f"150,00{NBSP}€" in page  # 3 × 50.00
    assert "Where it stands" not in page and "UTC</time>" not in page

    make_return_address(db_session, world.warehouse, world.account.region)
    label = client.get(f"/rmas/{number}/label.pdf")
    assert label.status_code == 200
    text = "".join(sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(label.data)).pages)
    for words_on_label in words["label"]:
        assert words_on_label in text, words_on_label
    assert "Packing list" not in text and " UTC" not in text


def test_english_stays_as_it_was(client, db_session, login_as, world):
    WorldBuilder(db_session, world).order(
        [("new_stock", 1, "1346.00")], invoice_number="INV-DEC", invoice_date=date(2026, 12, 5)
    )
    login_as(world.retailer)
    page = _text(client.get("/account/"))
    assert "Order history" in page and "My RMAs" in page
    row = page.split("INV-DEC", 1)[1].split("</tr>", 1)[0]
    assert "Dec 5, 2026" in row and "€1,346.00" in row


@pytest.mark.parametrize(
    ("language", "units", "shown"),
    [
        ("en", 1, "(1 unit)"),
        ("en", 3, "(3 units)"),
        ("de", 3, "(3 Stück)"),
        ("fr", 2, "(2 "),
    ],
)
def test_the_replacement_summary_counts_its_units(app, language, units, shown):
    """The count of a plural sentence is its own variable, not the first one given."""
    from types import SimpleNamespace

    contents = SimpleNamespace(replacement_value=Decimal("1346"), replacement_units=units)
    with app.test_request_context("/", headers={"Accept-Language": language}):
        html = app.jinja_env.get_template("requests/_replacement_summary.html").render(
            finding_by_rule={},
            replacement_on=True,
            contents=contents,
            rma=SimpleNamespace(currency="EUR"),
        )
    assert shown in html
