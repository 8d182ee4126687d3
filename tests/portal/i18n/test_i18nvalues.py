"""The last English-only spots: the models' labels, what the product writes into an RMA's
log, and labels inside sentences, each in its reader's language."""

from __future__ import annotations

import html
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from flask_babel import force_locale
from sqlalchemy import select

from models import AccountStatus, DistributorProfile, HeldDecision, RmaEvent, Role
from models.distributor import PROFILE_ID
from portal.rmas import event_words
from portal.warehouse.held import HeldRefused, decide_held
from portal.warehouse.operations import UnconfirmedReceipt, Unexpected, receive
from tests import shop as backoffice
from tests import world as worlds
from tests.factories import make_return_address, make_return_type, make_user, make_warehouse
from tests.portal.warehouse.helpers import lines_of
from tests.support import rule
from workflow_designer.policy.rules.grade_deductions import deduction_words
from workflow_designer.policy.vocabulary import Grade
from workflow_designer.policy.words import in_sentence

shop = backoffice.shop
awaiting = backoffice.awaiting


@pytest.fixture
def held(db_session, shop, awaiting):
    """Received with 2 AUR-1 over the 4 authorised and a case not on the RMA."""
    aurora, velo = lines_of(awaiting)
    counts, case = {aurora.id: 6, velo.id: 3}, [Unexpected("Sunglasses case", 1)]
    with pytest.raises(UnconfirmedReceipt) as asked:
        receive(db_session, awaiting, shop["warehouse_user"], counts, case)
    user = shop["warehouse_user"]
    receive(db_session, awaiting, user, counts, case, confirmation=asked.value.signature)
    return awaiting


def speaks(session, user, language: str):
    user.locale = language
    session.flush()
    return user


def test_account_status_and_roles_read_in_german(db_session, client, login_as, shop):
    shop["account"].status = AccountStatus.ON_HOLD
    login_as(speaks(db_session, shop["admin"], "de"))
    accounts = client.get("/admin/").data.decode()
    assert "Gesperrt" in accounts and "On hold" not in accounts
    users = client.get("/admin/users").data.decode()
    assert "Außendienst" in users and "Sales rep" not in users
    products = client.get("/admin/products").data.decode()
    assert ">Aktiv</span>" in products and ">active</span>" not in products


def test_replacement_order_statuses_read_in_french(db_session, client, login_as, shop):
    login_as(speaks(db_session, shop["admin"], "fr"))
    page = client.get("/admin/replacement-orders").data.decode()
    assert "À traiter" in page and "Exportée vers l&#x27;ERP" in page
    assert "To fulfil" not in page


def test_a_held_decision_made_in_english_reads_in_german_on_the_timeline(
    db_session, client, login_as, shop, held
):
    aurora, _velo = lines_of(held)
    decide_held(db_session, held, aurora, shop["rep"], HeldDecision.RETURN_TO_SENDER, "Zu viel")
    event = db_session.scalars(select(RmaEvent).where(RmaEvent.trigger == "decide_held")).one()
    assert event.data["label"] == "Held units: return to sender — AUR-1 × 2"  # stored: English
    login_as(speaks(db_session, shop["rep"], "de"))
    timeline = client.get(f"/rmas/{held.number}").data.decode()
    assert "Zurückgehaltene Einheiten: zurück an Absender — AUR-1 × 2" in timeline
    assert "Held units:" not in timeline
    assert "Zu viel" in timeline  # a person's comment stays as written


def test_deciding_twice_is_refused_in_french(app, db_session, shop, held):
    aurora, _velo = lines_of(held)
    decide_held(db_session, held, aurora, shop["rep"], HeldDecision.DISPOSE, "Accord")
    refused = pytest.raises(HeldRefused, match=r"AUR-1 : déjà décidé \(mise au rebut\)\.")
    with app.test_request_context(), force_locale("fr"), refused:
        decide_held(db_session, held, aurora, shop["admin"], HeldDecision.DISPOSE, "Encore")


def test_a_correction_reads_in_german_with_its_grades_as_german_writes_them(app):
    facts = {
        "line": 1,
        "sku": "AUR-1",
        "grades": {"from": {"new": 3, "used": 1}, "to": {"new": 2, "open_packaging": 2}},
        "stock": {"used": -1, "open_packaging": 2},
    }
    with app.test_request_context(), force_locale("de"):
        words = event_words.correction_words(facts)
    assert words == (
        "Zustandsklassen korrigiert: AUR-1 Zustandsklassen 3 × neu, 1 × gebraucht → "
        "2 × neu, 2 × Verpackung geöffnet; Lager −1 gebraucht, +2 Verpackung geöffnet"
    )
    with app.test_request_context():
        assert event_words.stored_label("correct_grading", facts).startswith(
            "Grading corrected: AUR-1 grades 3 × new, 1 × used"
        )


def test_an_escalation_reads_in_french_in_the_readers_time(app):
    data = {"step": 1, "to_step": None, "overdue_since": "2026-12-03T09:30:00+00:00"}
    with app.test_request_context(), force_locale("fr"):
        words = event_words.comment("escalate", data)
    assert words is not None
    assert words.startswith("Approbation en retard depuis le 3 déc. 2026")
    assert words.endswith("transmise aux administrateurs.")
    assert event_words.comment("escalate", {"step": 1}) is None  # older events: as stored


def test_a_refund_comment_reads_in_german(app):
    data = {
        "refund": "RF-1",
        "method": "bank_transfer",
        "reference": "X-9",
        "paid_on": "2026-12-04",
    }
    with app.test_request_context(), force_locale("de"):
        assert event_words.what("refund_recorded", data) == "Rückerstattung RF-1 erfasst"
        assert event_words.comment("refund_recorded", data) == (
            "Überweisung, Referenz X-9, bezahlt am 4. Dez. 2026"
        )
        assert event_words.what("credit_memo_issued", {"memo": "CM-7"}) == (
            "Gutschrift CM-7 ausgestellt"
        )


def test_labels_inside_sentences_keep_their_case_where_the_language_does(app):
    with app.test_request_context():
        assert in_sentence("Received") == "received"
        assert in_sentence("RMA closed") == "RMA closed"
        with force_locale("de"):
            assert in_sentence("Prüfung") == "Prüfung"
            assert Grade.USED.phrase == "gebraucht"
            assert deduction_words({"used": Decimal(20)}) == "gebraucht −20\xa0%"
        with force_locale("fr"):
            assert in_sentence("Reçu") == "reçu"
            assert Grade.OPEN_PACKAGING.phrase == "emballage ouvert"


# --- what the scripts write: the words come with the page, the scripts fill in numbers ---


def _fill(message: str, **values) -> str:
    """What warehouse.js does with a message of page.live_words."""
    return re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), message)


def _words_of(page: str) -> dict:
    return json.loads(html.unescape(re.search(r"data-words='([^']*)'", page).group(1)))


def test_the_receiving_scripts_words_are_german(db_session, client, login_as, shop, awaiting):
    login_as(speaks(db_session, shop["warehouse_user"], "de"))
    page = client.get(f"/warehouse/rmas/{awaiting.number}").data.decode()
    words = _words_of(page)
    assert "Over by" not in json.dumps(words)
    which = _fill(words["line_of"], sku="AUR-1", received=5, expected=4)
    assert which == "AUR-1: 5 von 4"
    summary = _fill(words["flagged"], parts=_fill(words["over_one"], num=1, which=which))
    assert summary == "Wird markiert: 1 Position mit Mehrmenge (AUR-1: 5 von 4)."


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_the_scripts_words_say_what_the_server_says(app, language):
    from portal.warehouse.page import flag_summary, live_words, remaining_words

    with app.test_request_context(), force_locale(language):
        words = live_words()
        assert _fill(words["left"], graded=2, received=5, left=3) == remaining_words(2, 5)
        assert _fill(words["too_many"], graded=6, received=5, extra=1) == remaining_words(6, 5)
        short = _fill(words["short_other"], num=2, which="A; B")
        unexpected = _fill(words["unexpected_one"], num=1)
        live = _fill(words["flagged"], parts=f"{short}, {unexpected}")
        assert live == flag_summary(["A", "B"], [], 1, 0)


def test_the_alert_lines_words_are_french(db_session, client, login_as, shop):
    login_as(speaks(db_session, shop["admin"], "fr"))
    page = html.unescape(client.get("/admin/").data.decode())
    assert 'data-message-409="Quelqu' in page
    assert "Rotaflow est injoignable" in page


def test_no_script_writes_english_words_of_its_own():
    scripts = Path(__file__).parents[3] / "portal" / "static" / "js"
    for script in scripts.glob("*.js"):
        code = re.sub(r"//.*|/\*.*?\*/", "", script.read_text(), flags=re.S)
        # A quoted phrase of two or more words starting with a capital is a sentence.
        assert re.findall(r"\"[A-Z][a-z]+ [a-z][^\"]*\"", code) == [], script.name


# --- the ERP import: its refusals and its report ------------------------------------------

PRODUCTS = "sku,brand,model,colour,size,category,list_price,lifecycle\n"


def _upload(client, kind: str, content: str):
    return client.post(
        "/admin/import",
        data={"kind": kind, "file": (io.BytesIO(content.encode()), "export.csv")},
        content_type="multipart/form-data",
    )


def test_an_import_missing_a_column_is_refused_in_french(db_session, client, login_as, shop):
    login_as(speaks(db_session, shop["admin"], "fr"))
    header_without_sku = PRODUCTS.removeprefix("sku,")
    response = _upload(
        client, "products", header_without_sku + "A,B,C,50-16-140,optical,1,active\n"
    )
    page = html.unescape(response.data.decode())
    assert response.status_code == 422
    assert "colonne obligatoire absente de l'en-tête" in page
    assert "required column" not in page


def test_an_empty_required_cell_and_the_report_read_in_german(db_session, client, login_as, shop):
    login_as(speaks(db_session, shop["admin"], "de"))
    refused = _upload(
        client, "products", PRODUCTS + ",Aurelo,Paola,Havana,50-16-140,optical,1,active\n"
    )
    assert "ist Pflichtfeld, aber leer" in refused.data.decode()
    done = _upload(
        client, "products", PRODUCTS + "UP-1,Aurelo,Paola,Havana,50-16-140,optical,1,active\n"
    )
    page = client.get(done.headers["Location"]).data.decode()
    assert "Produkte: 1 Zeile gelesen, 1 angelegt, 0 aktualisiert, 0 unverändert" in page
    form = client.get("/admin/import").data.decode()
    assert ">Bestellungen</option>" in form


def test_the_simulators_figures_are_labelled_in_german(db_session, client, login_as, shop):
    policy = {"request_size": rule("blocking", min_units=1, max_units=50)}
    rtype = make_return_type(db_session, shop["version"].workflow_id, policy=policy)
    line = shop["order"].lines[0]
    login_as(speaks(db_session, shop["admin"], "de"))
    data = {
        "return_type": str(rtype.id),
        "account": str(shop["account"].id),
        "version": "published",
        f"qty-{line.id}": "3",
        "restart": "1",
    }
    page = html.unescape(client.post("/designer/simulate", data=data).data.decode())
    findings = page.split('id="findings"', 1)[1]
    assert '<span data-figure="min_units">Mindeststückzahl: 1</span>' in findings
    assert "Ausgewählte Stück: 3" in findings
    assert "min units" not in findings and "min_units:" not in findings


# --- the return label: the account's document, in the distributor's time zone --------------

world = worlds.world


def test_an_admin_prints_a_german_accounts_label_in_german_and_berlin_time(
    client, db_session, login_as, world
):
    db_session.add(
        DistributorProfile(
            id=PROFILE_ID,
            legal_name="Nordwind Optik GmbH",
            street="Hafenstraße 1",
            postal_code="20457",
            city="Hamburg",
            country="DE",
            vat_number="DE123456789",
            email="returns@nordwind.example.com",
            time_zone="Europe/Berlin",
        )
    )
    world.account.locale = "de"
    make_return_address(db_session, make_warehouse(db_session), world.account.region)
    rma = worlds.authorized_rma(db_session, world)  # label issued 2 Mar 2026, 09:00 UTC
    login_as(make_user(db_session, Role.ADMIN))  # reads English, in UTC
    response = client.get(f"/rmas/{rma.number}/label.pdf?format=4x6")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    assert "Ausgestellt am 2. März 2026, 10:00" in text
    assert "Issued" not in text


def test_the_b_stock_discounts_name_their_grades_as_german_writes_them(
    db_session, client, login_as, shop
):
    login_as(speaks(db_session, shop["warehouse_user"], "de"))
    page = html.unescape(client.get("/warehouse/b-stock").data.decode())
    (lead,) = re.findall(r'<p class="lead">(.*?)</p>', page, flags=re.S)
    assert "(Verpackung geöffnet 20\xa0%, gebraucht 35\xa0%," in lead  # as German writes them
    assert ">Alle Lager</option>" in page and ">Alle Marken</option>" in page
