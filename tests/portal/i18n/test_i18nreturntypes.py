"""What admins type about a return type — its name, description, reasons and exception
prompt — read in the reader's language where the designer has a translation, and as typed
(the distributor's language) where it has none."""

from __future__ import annotations

import html

from sqlalchemy import select

from models import Rma, Role
from tests.factories import make_user
from tests.portal.requests import conftest as request_fixtures
from tests.portal.requests.helpers import add, complete_lines, draft_page, return_type, start
from tests.portal.requests.helpers import submit as submit_draft
from tests.support import rule

app, upload_folder, world = (
    request_fixtures.app,
    request_fixtures.upload_folder,
    request_fixtures.world,
)

GERMAN = {
    "name": "Lagerrotation",
    "description": "Tauschen Sie Ladenhüter gegen neue Ware.",
    "exception_prompt": "Nennen Sie die Fassungen, die Sie stattdessen bestellen.",
    "reasons": {"Slow seller": "Ladenhüter", "Overstock": "Überbestand"},
}
TYPED = {
    "name": "Stock rotation",
    "description": "Swap slow sellers for new stock.",
    "exception_prompt": "Name the frames you will order instead.",
}
AGE = {"purchase_age": rule("exception", min_days=90, max_days=730)}


def _rotation(db_session, world, policy=None):
    return return_type(
        db_session,
        world,
        policy or {},
        **TYPED,
        translations={"de": GERMAN, "fr": {"reasons": {"Overstock": "Surstock d'été"}}},
    )


def _reader(db_session, world, language):
    world.retailer.locale = language
    db_session.flush()
    return world.retailer


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_german_retailer_reads_the_german_texts(client, db_session, login_as, world):
    rtype = _rotation(db_session, world)
    login_as(_reader(db_session, world, "de"))
    start_page = _page(client, "/requests/new")
    assert "<h2>Lagerrotation</h2>" in start_page and GERMAN["description"] in start_page
    assert TYPED["name"] not in start_page and TYPED["description"] not in start_page

    number = start(client, rtype)
    assert add(client, number, {world.lines["velo"].id: 3}).status_code == 200
    draft = draft_page(client, number)
    assert "<h1>Lagerrotation" in draft
    # The line's reason: the value stays the typed reason, the label is German.
    assert '<option value="Slow seller">Ladenhüter</option>' in draft
    assert '<option value="Overstock">Überbestand</option>' in draft

    complete_lines(client, number, reason="Slow seller")
    assert submit_draft(client, number, resolution="credit").status_code == 303
    assert db_session.scalar(select(Rma.return_type_id).where(Rma.number == number)) == rtype.id
    rma_page = _page(client, f"/rmas/{number}")
    assert "Lagerrotation" in rma_page and "Ladenhüter" in rma_page
    assert "Slow seller" not in rma_page
    listing = _page(client, "/requests/")
    assert "Lagerrotation" in listing.split(number, 1)[1].split("</tr>", 1)[0]


def test_the_exception_prompt_stands_above_the_justification(client, db_session, login_as, world):
    rtype = _rotation(db_session, world, AGE)
    login_as(_reader(db_session, world, "de"))
    number = start(client, rtype)
    assert add(client, number, {world.lines["recent"].id: 3}).status_code == 200
    complete_lines(client, number)
    form = draft_page(client, number).split('id="exception-form"', 1)[1].split("</form>", 1)[0]
    assert f"data-exception-prompt>{GERMAN['exception_prompt']}</p>" in form
    assert form.index("data-exception-prompt") < form.index('name="justification"')


def test_a_french_reader_without_a_french_text_reads_it_as_typed(
    client, db_session, login_as, world
):
    rtype = _rotation(db_session, world, AGE)
    login_as(_reader(db_session, world, "fr"))
    start_page = _page(client, "/requests/new")
    assert f"<h2>{TYPED['name']}</h2>" in start_page and TYPED["description"] in start_page
    number = start(client, rtype)
    assert add(client, number, {world.lines["recent"].id: 3}).status_code == 200
    complete_lines(client, number)
    draft = draft_page(client, number)
    assert f"<h1>{TYPED['name']}" in draft
    assert f"data-exception-prompt>{TYPED['exception_prompt']}</p>" in draft
    assert '<option value="Slow seller">Slow seller</option>' in draft
    # A translated reason with an apostrophe: escaped once, read as written.
    option = draft.split('<option value="Overstock">', 1)[1].split("</option>", 1)[0]
    assert html.unescape(option) == "Surstock d'été" and "&amp;" not in option


def test_no_prompt_no_extra_text(client, db_session, login_as, world):
    rtype = return_type(db_session, world, AGE)
    login_as(world.retailer)
    number = start(client, rtype)
    assert add(client, number, {world.lines["recent"].id: 3}).status_code == 200
    complete_lines(client, number)
    draft = draft_page(client, number)
    assert 'id="exception-form"' in draft and "data-exception-prompt" not in draft


def test_staff_read_the_name_in_their_language(client, db_session, login_as, world):
    rtype = _rotation(db_session, world)
    login_as(world.retailer)
    number = start(client, rtype)
    assert add(client, number, {world.lines["velo"].id: 3}).status_code == 200
    complete_lines(client, number)
    assert submit_draft(client, number, resolution="credit").status_code == 303
    login_as(make_user(db_session, Role.ADMIN, locale="de"))
    row = _page(client, "/admin/rmas").split(number, 1)[1].split("</tr>", 1)[0]
    assert "Lagerrotation" in row
    assert "Lagerrotation" in _page(client, f"/rmas/{number}")
    csv = client.get("/admin/rmas.csv").get_data(as_text=True)
    assert "Lagerrotation" in csv
