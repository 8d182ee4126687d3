"""What admins type in the workflow designer, read in each reader's language: state labels
on My RMAs and the RMA page, the editor's translation fields, and what is still missing."""

from __future__ import annotations

import pytest

from models import Role
from tests.factories import make_distributor_profile, make_published_workflow, make_user
from tests.portal.designer.helpers import HX, base, current_config, draft_of
from tests.portal.requests import conftest as request_fixtures
from tests.portal.requests.helpers import add, complete_lines, return_type, start
from tests.portal.requests.helpers import submit as submit_draft
from workflow_designer.engine import load_template

app, upload_folder, world = (
    request_fixtures.app,
    request_fixtures.upload_folder,
    request_fixtures.world,
)


def _german_only(doc):
    """The template with its German translations only: French readers get the typed text."""
    for element in [*doc["states"], *doc["transitions"]]:
        element["translations"] = {"de": element["translations"]["de"]}
    return doc


@pytest.mark.parametrize(
    ("language", "draft", "authorized"),
    [("de", "Entwurf", "Genehmigt"), ("fr", "Draft", "Authorized"), ("en", "Draft", "Authorized")],
)
def test_the_retailer_reads_state_labels_in_their_language_or_as_typed(
    client, db_session, login_as, world, language, draft, authorized
):
    version = make_published_workflow(
        db_session, config=_german_only(load_template("stock_rotation"))
    )
    rtype = return_type(db_session, world, {}, workflow_id=version.workflow_id)
    world.retailer.locale = language
    db_session.flush()
    login_as(world.retailer)
    number = start(client, rtype)
    assert add(client, number, {world.lines["velo"].id: 3}).status_code == 200
    row = client.get("/requests/").get_data(as_text=True).split(number, 1)[1].split("</tr>")[0]
    assert f'<span class="tag">{draft}</span>' in row
    complete_lines(client, number)
    assert submit_draft(client, number, resolution="credit").status_code == 303
    page = client.get(f"/rmas/{number}").get_data(as_text=True)
    assert authorized in page
    if language == "de":
        assert "Ihre Retoure ist genehmigt." in page and "Authorized" not in page
    listing = client.get("/requests/").get_data(as_text=True)
    assert f'<span class="tag">{authorized}</span>' in listing.split(number, 1)[1]


@pytest.fixture
def designer(db_session, login_as):
    """An English-speaking distributor's admin with a published rotation workflow."""
    admin = make_user(db_session, Role.ADMIN, name="Ada Admin")
    version = make_published_workflow(db_session, actor=admin, config=_untranslated())
    db_session.commit()
    login_as(admin)
    return version.workflow


def _untranslated():
    doc = load_template("stock_rotation")
    for element in [*doc["states"], *doc["transitions"]]:
        element.pop("translations")
    return doc


def _save_received(client, db_session, workflow, **fields):
    data = {
        "state-received-label": "Received",
        "state-received-description": "Your parcel has arrived at our warehouse.",
        "state-received-base": base(db_session, workflow),
        **{f"state-received-{key}": value for key, value in fields.items()},
    }
    return client.post(f"/designer/workflows/{workflow.id}/states/received", data=data, headers=HX)


def test_the_editor_lists_missing_translations_and_saves_one(client, db_session, designer):
    html = client.get(f"/designer/workflows/{designer.id}").get_data(as_text=True)
    assert (
        'name="state-received-in_de-label"' in html
        and 'name="state-received-in_en-label"' not in html
    )
    assert "Deutsch: 32 labels, 16 explanations missing" in html
    assert "State “Received”: explanation" in html and "Button “Receive parcel”" in html
    response = _save_received(
        client, db_session, designer, **{"in_de-label": "Eingegangen", "in_fr-label": " "}
    )
    assert response.status_code == 200
    state = next(
        s for s in current_config(db_session, designer)["states"] if s["name"] == "received"
    )
    assert state["translations"] == {"de": {"label": "Eingegangen"}}
    assert "Deutsch: 31 labels, 16 explanations missing" in response.get_data(as_text=True)
    assert 'value="Eingegangen"' in response.get_data(as_text=True)


def test_a_french_reader_is_asked_for_german_and_english_when_french_is_the_default(
    client, db_session, designer
):
    make_distributor_profile(db_session, legal_name="Lunettes du Nord SAS", locale="fr")
    db_session.commit()
    html = client.get(f"/designer/workflows/{designer.id}").get_data(as_text=True)
    assert 'name="state-received-in_en-label"' in html and "in_fr-label" not in html


def test_a_too_long_translation_is_refused_and_changes_nothing(client, db_session, designer):
    before = current_config(db_session, designer)
    response = _save_received(client, db_session, designer, **{"in_de-label": "x" * 101})
    assert response.status_code == 422
    assert "Field cannot be longer than 100 characters." in response.get_data(as_text=True)
    assert draft_of(db_session, designer) is None
    assert current_config(db_session, designer) == before


def test_a_button_translation_is_saved_from_the_transition_form(client, db_session, designer):
    doc = current_config(db_session, designer)
    index = next(i for i, t in enumerate(doc["transitions"]) if t["trigger"] == "receive")
    response = client.post(
        f"/designer/workflows/{designer.id}/transitions/{index}",
        data={
            f"t{index}-label": "Receive parcel",
            f"t{index}-sources": "awaiting_receipt",
            f"t{index}-dest": "received",
            f"t{index}-roles": "warehouse",
            f"t{index}-in_fr-label": "Réceptionner le colis",
            f"t{index}-base": base(db_session, designer),
        },
        headers=HX,
    )
    assert response.status_code == 200
    saved = current_config(db_session, designer)["transitions"][index]
    assert saved["translations"] == {"fr": {"label": "Réceptionner le colis"}}
    diff = client.get(f"/designer/workflows/{designer.id}/diff?a=1&b=2").get_data(as_text=True)
    assert "label in French none → Réceptionner le colis" in diff
