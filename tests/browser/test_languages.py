"""A German and a French retailer draft and submit a rotation, and their reps approve it, in a
real browser: the pages speak the reader's language (what the admin typed too: the return
type, its reason, the workflow's state), amounts read as that language writes money, and
every moment is shown in the reader's own time zone.

The expected dates are written out by hand (month names, order, separators) rather than
asked of Babel: the test checks what a German or French reader would expect to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from models.base import utcnow
from tests.browser.helpers import log_in
from tests.factories import (
    PASSWORD,
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_type,
    make_user,
)
from tests.support import rule

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Reader:
    """What one language's readers see: its words, and how it writes money and moments."""

    language: str
    retailer_zone: str
    rep_zone: str
    months: tuple[str, ...]
    day: str  # a date: {d} day, {m} month's short name, {y} year
    words: dict[str, str]
    request_value: str  # 6 frames at 180.00
    allowance: str  # 10 % of 1,440.00 bought

    def moment(self, iso: str, zone: str) -> str:
        local = datetime.fromisoformat(iso).astimezone(ZoneInfo(zone))
        day = self.day.format(d=local.day, m=self.months[local.month - 1], y=local.year)
        return f"{day}, {local:%H:%M}"


GERMAN = Reader(
    language="de",
    retailer_zone="Europe/Berlin",
    rep_zone="Asia/Dubai",  # a rep travelling: the queue follows the rep's zone, not the shop's
    months=tuple(
        [
            "Jan.",
            "Feb.",
            "März",
            "Apr.",
            "Mai",
            "Juni",
            "Juli",
            "Aug.",
            "Sept.",
            "Okt.",
            "Nov.",
            "Dez.",
        ]
    ),
    day="{d}. {m} {y}",
    words={
        "new": "Neue Retoure",
        "start": "Beginnen: {name}",
        "return_type": "Lagerrotation",
        "reason": "Ladenhüter",
        "state": "Prüfung durch den Außendienst",
        "allowance": "Kontingent",
        "ask": "Ausnahme beantragen",
        "submit": "Retoure einreichen",
        "submitted": "{number} wurde eingereicht.",
        "approvals": "Freigaben",
        "recorded": "{number}: Freigabe erfasst.",
    },
    request_value="1.080,00 €",
    allowance="144,00 €",
)

FRENCH = Reader(
    language="fr",
    retailer_zone="Indian/Reunion",
    rep_zone="America/Martinique",
    months=tuple(
        [
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ]
    ),
    day="{d} {m} {y}",
    words={
        "new": "Nouveau retour",
        "start": "Commencer : {name}",
        "return_type": "Rotation de stock",
        "reason": "Invendu",
        "state": "Examen par le commercial",
        "allowance": "Quota",
        "ask": "Demander une dérogation",
        "submit": "Soumettre le retour",
        "submitted": "{number} a été soumis.",
        "approvals": "Approbations",
        "recorded": "{number} : approbation enregistrée.",
    },
    request_value="1 080,00 €",
    allowance="144,00 €",
)


def spaced(text: str) -> str:
    """French groups digits with a narrow no-break space and both languages put a no-break
    space before €: compare them as the spaces a reader sees."""
    return re.sub(r"[\u00a0\u202f ]+", " ", text).strip()


@pytest.fixture(scope="module")
def people(live_server):
    """For each language: a shop that reads it and its rep, each in their own time zone."""
    from models import Role

    made = {}
    with live_server.session() as session:
        version = make_published_workflow(session, "stock_rotation")
        for reader in (GERMAN, FRENCH):
            code = reader.language.upper()
            rep = make_user(
                session,
                Role.SALES_REP,
                email=f"lang-rep-{reader.language}@example.test",
                locale=reader.language,
                time_zone=reader.rep_zone,
            )
            account = make_account(
                session, sales_rep=rep, name=f"Optique {code}", locale=reader.language
            )
            frames = make_product(session, sku=f"LANG-{code}-1", brand="Aurora", model="Vue")
            make_order(
                session,
                account,
                [(frames, 8, "180.00")],
                invoice_number=f"LANG-INV-{code}",
                invoice_date=utcnow().date() - timedelta(days=120),
            )
            make_return_type(
                session,
                version.workflow_id,
                code=f"LANG_{code}",
                name=f"Rotation {code}",
                reasons=["Slow seller"],
                resolutions=["credit"],
                # What the admin typed (English) and its translation for this shop.
                translations={
                    reader.language: {
                        "name": f"{reader.words['return_type']} {code}",
                        "reasons": {"Slow seller": reader.words["reason"]},
                    }
                },
                policy={"allowance": rule("exception", percent="10", period_days=365)},
            )
            # The retailer chose no language: the account's applies. The zone is their own.
            retailer = make_retailer(
                session,
                account,
                email=f"lang-shop-{reader.language}@example.test",
                time_zone=reader.retailer_zone,
            )
            made[reader.language] = (retailer.email, rep.email)
        session.commit()
    return made


@pytest.mark.parametrize("reader", [GERMAN, FRENCH], ids=lambda r: r.language)
def test_draft_submit_and_approval_in_the_readers_language(chromium, live_server, people, reader):
    shop, rep = people[reader.language]
    number = _retailer_submits(chromium, live_server, shop, reader)
    _rep_approves(chromium, live_server, rep, reader, number)


def _page(chromium, live_server, email):
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, email, PASSWORD)
    return context, page, errors


def _retailer_submits(chromium, live_server, email, reader: Reader) -> str:
    words = reader.words
    context, page, errors = _page(chromium, live_server, email)
    # The browser asks for English; the account's language wins.
    assert page.get_attribute("html", "lang") == reader.language
    page.click(f"nav >> text={words['new']}")
    code = reader.language.upper()
    name = f"{words['return_type']} {code}"
    page.click(f"button:has-text('{words['start'].format(name=name)}')")
    page.wait_for_url(re.compile(r"/requests/RMA-\d{4}-\d{6}$"))

    expect(page.locator("h1")).to_contain_text(name)
    reason = page.locator("#pick-form select[name=reason] option[value='Slow seller']")
    expect(reason).to_have_text(words["reason"])  # the typed reason is what is stored
    page.select_option("#pick-form select[name=reason]", "Slow seller")
    page.select_option("#pick-form select[name=condition]", "new")
    invoice = f"LANG-INV-{code}"
    with page.expect_response(lambda r: "/history" in r.url and f"q={invoice}" in r.url):
        page.fill("#history-search input[name=q]", invoice)
    page.wait_for_selector(f"#history-results td:text-is('{invoice}')")
    page.fill("#history-results input.qty >> nth=0", "6")
    with page.expect_response(lambda r: r.url.endswith("/lines") and r.status == 200):
        page.press("#history-results input.qty >> nth=0", "Enter")
    page.wait_for_selector(f"#lines tr[data-sku='LANG-{code}-1']")

    allowance = page.locator("#policy-panel [data-rule='allowance']")
    expect(allowance).to_contain_text(words["allowance"])
    figure = allowance.locator("[data-figure='this_request']")
    expect(figure).to_have_text(re.compile(r"\d"))
    assert spaced(figure.inner_text()) == spaced(reader.request_value)
    assert spaced(allowance.locator("[data-figure='allowance']").inner_text()) == spaced(
        reader.allowance
    )

    ask = page.locator("#exception-form button[type=submit]")
    expect(ask).to_have_text(words["ask"])
    page.fill("#exception-form textarea", "Le magasin ferme / Die Filiale schließt.")
    ask.click()
    page.wait_for_selector("#policy-panel [data-exception=requested]")

    submit = page.locator("#submit-form button[type=submit]")
    expect(submit).to_have_text(words["submit"])
    submit.click()
    page.wait_for_url(re.compile(r"/rmas/RMA-\d{4}-\d{6}$"))
    number = page.url.rsplit("/", 1)[1]
    expect(page.locator(".flash")).to_contain_text(words["submitted"].format(number=number))
    expect(page.locator("#rma-timeline")).to_contain_text(words["state"])
    _moments_read_in(page, "#rma-timeline time", reader, reader.retailer_zone)
    context.close()
    assert errors == []
    return number


def _rep_approves(chromium, live_server, email, reader: Reader, number: str) -> None:
    words = reader.words
    context, page, errors = _page(chromium, live_server, email)
    page.goto("/approvals/")
    assert page.get_attribute("html", "lang") == reader.language
    expect(page.locator("h1")).to_contain_text(words["approvals"])
    row = page.locator(f"#approval-{number}")
    expect(row).to_contain_text(words["allowance"])
    expect(row).to_contain_text(f"{words['return_type']} {reader.language.upper()}")
    assert spaced(row.locator("td.num").inner_text()) == spaced(reader.request_value)
    _moments_read_in(page, f"#approval-{number} time", reader, reader.rep_zone)

    row.locator("textarea[name=comment]").fill("OK")
    row.locator("button[value=approve]").click()
    expect(page.locator(f"#approval-{number}")).to_have_count(0)
    expect(page.locator("#approval-queue .flash-success")).to_have_text(
        words["recorded"].format(number=number)
    )
    context.close()
    assert errors == []


def _moments_read_in(page, selector: str, reader: Reader, zone: str) -> None:
    """Each ``<time>`` reads as the reader writes its machine-readable UTC moment, in
    ``zone``; a zone far from UTC makes a page left in UTC (or the server's zone) fail."""
    times = page.locator(selector)
    assert times.count() >= 1
    for index in range(times.count()):
        moment = times.nth(index)
        expected = reader.moment(moment.get_attribute("datetime"), zone)
        assert spaced(moment.inner_text()) == spaced(expected)
