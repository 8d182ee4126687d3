"""Labels and explanations written per language: checked, compiled, edited, listed, compared."""

from __future__ import annotations

import copy
import pickle

import pytest

from tests.workflow_designer.engine.builders import minimal_doc
from workflow_designer.engine import compile_workflow, load_template, template_names, validate
from workflow_designer.engine.chain import read_chain
from workflow_designer.engine.chain_compiler import apply_chain
from workflow_designer.engine.chain_editing import edit_chain, hand_made
from workflow_designer.engine.diff import diff_docs
from workflow_designer.engine.editing import (
    StateEdit,
    TransitionEdit,
    update_state,
    update_transition,
)
from workflow_designer.engine.translations import Missing, missing_translations
from workflow_designer.policy import words


@pytest.fixture
def reader(monkeypatch):
    """Reads configured text as a reader of ``language`` would (no web layer needed)."""

    def read_as(language: str) -> None:
        monkeypatch.setattr(words, "language", lambda: language)

    return read_as


def _translated(doc=None):
    doc = doc or minimal_doc()
    doc["states"][1]["description"] = "We are looking at it."
    doc["states"][1]["translations"] = {
        "de": {"label": "Prüfung", "description": "Wir sehen es uns an."},
        "fr": {"label": "  "},
    }
    doc["transitions"][0]["translations"] = {"de": {"label": "Einreichen"}}
    return doc


def _messages(doc):
    return [(p.path, p.message) for p in validate(doc)]


def test_translations_are_optional_and_blank_texts_allowed():
    assert validate(_translated()) == []


@pytest.mark.parametrize(
    ("translations", "path", "words_"),
    [
        ([], "states[1].translations", "'translations' in state 'review' must be a JSON object"),
        ({"DE": {}}, "states[1].translations.DE", "'DE' is not a language code in state 'review'"),
        ({"de": "Prüfung"}, "states[1].translations.de", "'translations.de' in state 'review'"),
        (
            {"de": {"colour": "blau"}},
            "states[1].translations.de.colour",
            "Unknown key 'translations.de.colour' in state 'review'.",
        ),
        (
            {"de": {"label": 3}},
            "states[1].translations.de.label",
            "'translations.de.label' in state 'review' must be a string, not a whole number.",
        ),
        (
            {"de": {"description": "x" * 2001}},
            "states[1].translations.de.description",
            "is longer than 2000 characters",
        ),
    ],
)
def test_bad_state_translations_are_refused_in_words_naming_the_state(translations, path, words_):
    doc = minimal_doc()
    doc["states"][1]["translations"] = translations
    problems = _messages(doc)
    assert [p for p, _ in problems] == [path]
    assert words_ in problems[0][1]


def test_a_transition_translates_its_label_only():
    doc = minimal_doc()
    doc["transitions"][0]["translations"] = {"de": {"label": "x" * 101, "description": "Nein"}}
    messages = dict(_messages(doc))
    assert (
        "in transition 'submit' is longer than 100"
        in messages["transitions[0].translations.de.label"]
    )
    assert (
        "Unknown key 'translations.de.description' in transition 'submit'"
        in messages["transitions[0].translations.de.description"]
    )


def test_compiled_labels_read_in_the_readers_language(reader):
    compiled = compile_workflow(_translated())
    review, button = compiled.state("review"), compiled.transitions[0]
    assert review.label == "Review" and str(review.label) == "Review"
    reader("de")
    assert str(review.label) == "Prüfung" and f"{review.description}" == "Wir sehen es uns an."
    assert str(button.label) == "Einreichen" and review.label.lower() == "prüfung"
    reader("fr")  # blank French: the typed text
    assert str(review.label) == "Review" and str(button.label) == str(compiled.transitions[0].label)
    untranslated = compiled.state("draft")
    assert type(untranslated.label) is str  # nothing to translate costs nothing


def test_compiled_specs_pickle_with_their_translations(reader):
    spec = compile_workflow(_translated()).state("review")
    label = pickle.loads(pickle.dumps(spec.label))
    reader("de")
    assert str(label) == "Prüfung" and label == "Review"


def test_editing_a_state_merges_the_languages_it_was_given():
    doc = _translated()
    doc["states"][1]["translations"]["fr"] = {"label": "Examen"}
    edit = StateEdit(
        label="Review",
        description="We are looking at it.",
        translations={"de": {"label": "Kontrolle", "description": " "}},
    )
    state = update_state(doc, "review", edit)["states"][1]
    assert state["translations"] == {"de": {"label": "Kontrolle"}, "fr": {"label": "Examen"}}
    blanked = StateEdit(
        label="Review",
        translations={"de": {"label": "", "description": ""}, "fr": {"label": ""}},
    )
    assert "translations" not in update_state(doc, "review", blanked)["states"][1]


def test_editing_a_transition_keeps_its_translations_unless_given():
    doc = _translated()
    edit = TransitionEdit(label="Submit", sources=["draft"], dest="review", roles=["retailer"])
    kept = update_transition(doc, 0, edit)["transitions"][0]
    assert kept["translations"] == {"de": {"label": "Einreichen"}}
    edit.translations = {"de": {"label": "Absenden"}}
    assert update_transition(doc, 0, edit)["transitions"][0]["translations"] == {
        "de": {"label": "Absenden"}
    }


def test_missing_translations_per_language():
    doc = _translated()
    missing = missing_translations(doc, ["de", "fr"])
    assert missing["de"] == [
        Missing("state", "draft", "Draft", "label"),
        Missing("state", "done", "Done", "label"),
        Missing("button", "approve", "Approve", "label"),
    ]
    assert Missing("state", "review", "Review", "description") in missing["fr"]
    assert Missing("state", "draft", "Draft", "description") not in missing["fr"]  # none typed


def test_a_button_with_several_routes_is_listed_once():
    doc = _translated()
    doc["transitions"].append({**doc["transitions"][0], "source": "review"})
    del doc["transitions"][-1]["translations"]
    buttons = [m for m in missing_translations(doc, ["de"])["de"] if m.kind == "button"]
    assert [m.name for m in buttons] == ["submit", "approve"]


def test_version_diffs_say_what_translation_changed(reader):
    before = _translated()
    after = copy.deepcopy(before)
    after["states"][1]["translations"]["de"]["label"] = "Kontrolle"
    after["transitions"][0]["translations"] = {"fr": {"label": "Soumettre"}}
    assert [c.sentence for c in diff_docs(before, after)] == [
        "Review: label in German Prüfung → Kontrolle",
        "Submit from Draft: label in German Einreichen → none",
        "Submit from Draft: label in French none → Soumettre",
    ]
    reader("de")
    assert diff_docs(before, after)[0].sentence.startswith("Review: label in Deutsch")


@pytest.mark.parametrize("name", template_names())
def test_templates_recompile_with_their_translations(name):
    doc = load_template(name)
    assert hand_made(doc) == []  # every template is its own compilation, translations too


def test_the_chain_keeps_translations_of_unchanged_texts_only():
    doc = load_template("stock_rotation")
    chain = read_chain(doc)
    review = next(s for s in doc["states"] if s["name"] == "rep_review")
    review["translations"] = {"de": {"label": "Prüfung", "description": "Ihr Außendienst…"}}
    rebuilt = next(s for s in apply_chain(doc, chain)["states"] if s["name"] == "rep_review")
    assert rebuilt["translations"] == review["translations"]
    chain.steps[0].label = "Area manager review"
    renamed = edit_chain(doc, chain)
    state = next(s for s in renamed["states"] if s["name"] == "rep_review")
    assert state["translations"] == {"de": {"description": "Ihr Außendienst…"}}
