"""CSV exports in German and French: the header row in the reader's language, the cells
as machine-readable as in English, and column codes for scripts on request."""

from __future__ import annotations

import csv
import io

import pytest

from models import Role
from portal.admin.rma_csv import LINE_COLUMNS, RMA_COLUMNS
from portal.credits.ledger_csv import LEDGER_COLUMNS
from portal.warehouse.resale import CSV_COLUMNS
from tests import shop as backoffice
from tests.factories import make_user
from tests.portal.admin.flows import resolve

shop = backoffice.shop
awaiting = backoffice.awaiting

HEADERS = {
    "de": {
        "rmas": [
            "RMA-Nummer", "Kundennummer", "Kundenname", "Retourenart", "Status",
            "Eingereicht am (UTC)", "Gesamtwert", "Währung", "Abschluss", "Gutschriftsbetrag",
            "Ausnahme beantragt", "Begründung der Ausnahme", "Nicht erfüllte Regeln",
            "Entscheidung über die Ausnahme", "Ausnahme entschieden von",
            "Kommentar zur Entscheidung über die Ausnahme",
        ],
        "lines": [
            "RMA-Nummer", "Rechnungsnummer", "Artikelnummer", "Beantragte Menge",
            "Genehmigte Menge", "Eingegangene Menge", "Zustandsklasse", "Verbleib",
            "Gutschriftsbetrag", "Währung",
        ],
        "ledger": [
            "Datum", "Art", "Beleg", "RMA", "Beschreibung", "Währung", "Betrag", "Saldo",
        ],
        "b-stock": [
            "Artikelnummer", "Marke", "Modell", "Farbe", "Größe", "Zustandsklasse", "Lager",
            "Menge", "Listenpreis", "Rabatt (%)", "Wiederverkaufspreis",
        ],
    },
    "fr": {
        "rmas": [
            "N° de RMA", "N° de compte client", "Nom du compte client", "Type de retour",
            "Statut", "Soumis le (UTC)", "Valeur totale", "Devise", "Règlement",
            "Montant de l'avoir", "Dérogation demandée", "Justification de la dérogation",
            "Règles non respectées", "Décision sur la dérogation", "Dérogation décidée par",
            "Commentaire de la décision sur la dérogation",
        ],
        "lines": [
            "N° de RMA", "N° de facture", "Référence", "Quantité demandée",
            "Quantité autorisée", "Quantité réceptionnée", "Catégorie d'état", "Destination",
            "Montant de l'avoir", "Devise",
        ],
        "ledger": [
            "Date", "Type", "Document", "RMA", "Description", "Devise", "Montant", "Solde",
        ],
        "b-stock": [
            "Référence", "Marque", "Modèle", "Coloris", "Taille", "Catégorie d'état",
            "Entrepôt", "Quantité", "Prix catalogue", "Remise (%)", "Prix de revente",
        ],
    },
}  # fmt: skip
CODES = {
    "rmas": list(RMA_COLUMNS),
    "lines": list(LINE_COLUMNS),
    "ledger": list(LEDGER_COLUMNS),
    "b-stock": list(CSV_COLUMNS),
}


@pytest.fixture
def credited(db_session, shop, awaiting):
    """The RMA credited (a memo in the ledger) and its open-packaging frames in B-stock."""
    return resolve(db_session, awaiting, shop)


def exports(shop) -> dict[str, tuple[Role, str]]:
    """Each human export: who downloads it, and where."""
    return {
        "rmas": (Role.ADMIN, "/admin/rmas.csv"),
        "lines": (Role.ADMIN, "/admin/rma_lines.csv"),
        "ledger": (Role.RETAILER, f"/credits/accounts/{shop['account'].id}/ledger.csv"),
        "b-stock": (Role.WAREHOUSE, "/warehouse/b-stock.csv"),
    }


def download(client, login_as, db_session, shop, export: str, language: str, query=""):
    role, url = exports(shop)[export]
    fields = {"account_id": shop["account"].id} if role is Role.RETAILER else {}
    login_as(make_user(db_session, role, locale=language, **fields))
    response = client.get(url + query)
    assert response.status_code == 200 and response.mimetype == "text/csv", response.status
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("export", ["rmas", "lines", "ledger", "b-stock"])
def test_the_header_row_is_in_the_readers_language(
    client, login_as, db_session, shop, credited, export, language
):
    rows = download(client, login_as, db_session, shop, export, language)
    assert rows[0] == HEADERS[language][export]
    assert len(rows) > 1


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("export", ["rmas", "lines", "ledger", "b-stock"])
def test_scripts_ask_for_column_codes_in_any_language(
    client, login_as, db_session, shop, credited, export, language
):
    rows = download(client, login_as, db_session, shop, export, language, "?headers=codes")
    assert rows[0] == CODES[export]


@pytest.mark.parametrize("language", ["de", "fr"])
def test_only_the_header_is_translated_the_cells_stay_machine_readable(
    client, login_as, db_session, shop, credited, language
):
    english = download(client, login_as, db_session, shop, "rmas", "en", "?headers=codes")
    translated = download(client, login_as, db_session, shop, "rmas", language)
    assert translated[1:] == english[1:]
    row = dict(zip(CODES["rmas"], translated[1], strict=True))
    assert (row["state"], row["total_value"], row["credit"]) == ("credited", "259.99", "188.66")
    (memo,) = download(client, login_as, db_session, shop, "ledger", language)[1:]
    entry = dict(zip(CODES["ledger"], memo, strict=True))
    assert entry["amount"] == "188.66" and entry["date"].count("-") == 2  # ISO, "." decimals


@pytest.mark.parametrize("export", ["rmas", "lines", "ledger", "b-stock"])
def test_an_unknown_headers_value_is_refused_in_the_readers_language(
    client, login_as, db_session, shop, credited, export
):
    role, url = exports(shop)[export]
    fields = {"account_id": shop["account"].id} if role is Role.RETAILER else {}
    login_as(make_user(db_session, role, locale="de", **fields))
    response = client.get(f"{url}?headers=deutsch")
    assert response.status_code == 400 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "Spaltenüberschriften: Wählen Sie labels" in text
    assert credited.number not in text
