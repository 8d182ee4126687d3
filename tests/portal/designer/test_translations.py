"""A return type's texts in other languages: saved with the form, refused when too long,
and what is still missing listed on the form and on the designer's home."""

from __future__ import annotations

from portal.designer.translations import clean_translations, missing_translations
from tests.factories import make_distributor_profile

URL = "/designer/return-types/{id}"


def _form(return_type, workflow, **fields):
    """The form as the page posts it: reasons "Slow seller", "Defective" shown for
    translation (``reason_keys``)."""
    data = {
        "name": "Stock rotation",
        "code": return_type.code,
        "description": "Swap slow sellers.",
        "reasons": "Slow seller\nDefective",
        "exception_prompt": "Tell us why.",
        "resolutions": ["credit"],
        "workflow": str(workflow.id),
        "reason_keys-0": "Slow seller",
        "reason_keys-1": "Defective",
    }
    data.update(fields)
    return data


GERMAN = {
    "translated-de-name": "Lagerrotation",
    "translated-de-description": "Tauschen Sie Ladenhüter.",
    "translated-de-exception_prompt": "Sagen Sie uns, warum.",
    "translated-de-reasons-0": "Ladenhüter",
    "translated-de-reasons-1": "",
}


def test_translations_are_saved_with_the_form(client, db_session, admin, return_type, workflow):
    page = client.get(URL.format(id=return_type.id)).data.decode()
    assert 'name="translated-de-name"' in page and 'name="translated-fr-name"' in page
    assert 'name="translated-en-name"' not in page  # English: the typed texts themselves
    assert 'name="reason_keys-1" type="hidden" value="Defective"' in page

    fields = {**GERMAN, "translated-fr-name": "  Rotation de stock ", "translated-en-name": "x"}
    response = client.post(
        URL.format(id=return_type.id), data=_form(return_type, workflow, **fields)
    )
    assert response.status_code == 303
    db_session.refresh(return_type)
    assert return_type.exception_prompt == "Tell us why."
    assert return_type.translations == {
        "de": {
            "name": "Lagerrotation",
            "description": "Tauschen Sie Ladenhüter.",
            "exception_prompt": "Sagen Sie uns, warum.",
            "reasons": {"Slow seller": "Ladenhüter"},
        },
        "fr": {"name": "Rotation de stock"},
    }
    page = client.get(URL.format(id=return_type.id)).data.decode()
    assert 'value="Ladenhüter"' in page and 'value="Lagerrotation"' in page


def test_a_renamed_reason_loses_its_translation(client, db_session, admin, return_type, workflow):
    client.post(URL.format(id=return_type.id), data=_form(return_type, workflow, **GERMAN))
    renamed = _form(return_type, workflow, reasons="Slow mover\nDefective", **GERMAN)
    assert client.post(URL.format(id=return_type.id), data=renamed).status_code == 303
    db_session.refresh(return_type)
    assert "reasons" not in return_type.translations["de"]


def test_a_translation_too_long_is_refused_and_changes_nothing(
    client, db_session, admin, return_type, workflow
):
    before = (return_type.name, dict(return_type.translations or {}))
    too_long = {**GERMAN, "translated-de-reasons-1": "x" * 81, "translated-fr-name": "y" * 121}
    response = client.post(
        URL.format(id=return_type.id), data=_form(return_type, workflow, name="Renamed", **too_long)
    )
    assert response.status_code == 422
    html = response.data.decode()
    assert "Field cannot be longer than 80 characters." in html
    assert "Field cannot be longer than 120 characters." in html
    assert '<details class="translation" data-language="de" open>' in html
    db_session.expire_all()
    assert (return_type.name, return_type.translations or {}) == before


def test_the_distributor_language_is_the_typed_one(
    client, db_session, admin, return_type, workflow
):
    make_distributor_profile(db_session, locale="de")
    admin.locale = "en"
    db_session.commit()
    page = client.get(URL.format(id=return_type.id)).data.decode()
    assert 'name="translated-en-name"' in page and 'name="translated-de-name"' not in page
    fields = {**GERMAN, "translated-en-name": "Stock rotation (EN)"}
    client.post(URL.format(id=return_type.id), data=_form(return_type, workflow, **fields))
    db_session.refresh(return_type)
    assert return_type.translations == {"en": {"name": "Stock rotation (EN)"}}


def test_missing_translations_are_listed(client, db_session, admin, return_type, workflow):
    client.post(URL.format(id=return_type.id), data=_form(return_type, workflow, **GERMAN))
    db_session.refresh(return_type)
    missing = {m.language: m for m in missing_translations(return_type, ["de", "fr"])}
    assert missing["de"].texts == () and missing["de"].reasons == ("Defective",)
    assert missing["fr"].texts == ("name", "description", "exception_prompt")
    assert missing["fr"].count == 5

    page = client.get(URL.format(id=return_type.id)).data.decode()
    assert "German: 1 reason" in page
    assert "French: 2 reasons, the name, the description, the exception prompt" in page
    home = client.get("/designer/").data.decode()
    assert "Missing: German (1)" in home and "Missing: French (5)" in home


def test_nothing_missing_when_all_is_translated(db_session, return_type):
    return_type.description, return_type.exception_prompt = "", ""
    return_type.translations = {"fr": {"name": "Rotation", "reasons": {"Slow seller": "Invendu"}}}
    missing = missing_translations(return_type, ["fr"])
    assert [(m.texts, m.reasons) for m in missing] == [((), ("Defective",))]
    return_type.translations["fr"]["reasons"]["Defective"] = "Défectueux"
    assert missing_translations(return_type, ["fr"]) == []


def test_cleaning_keeps_offered_languages_and_reasons_only():
    raw = {
        "de": {"name": " ", "description": "Beschreibung", "reasons": {"Gone": "Weg", "Kept": " "}},
        "en": {"name": "Not offered"},
        "fr": {"reasons": {"Kept": "Gardé"}},
    }
    assert clean_translations(raw, ["Kept"], ["de", "fr"]) == {
        "de": {"description": "Beschreibung"},
        "fr": {"reasons": {"Kept": "Gardé"}},
    }
