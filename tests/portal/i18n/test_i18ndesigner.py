"""The designer in German and French: the editor, the chain form, validation problems,
the version diff in words, the history's dates; and the engine still reads English
without a Flask app."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from models import Role
from tests.factories import make_published_workflow, make_return_type, make_user
from tests.portal.designer.helpers import HX, base
from workflow_designer.engine.diff import diff_docs
from workflow_designer.engine.problems import problem
from workflow_designer.engine.validation import validate

NBSP = "\xa0"


@pytest.fixture
def reader(db_session, login_as):
    """An admin who reads ``language``, logged in, with a published rotation workflow."""

    def make(language: str):
        user = make_user(db_session, Role.ADMIN, name="Ada Admin")
        user.locale = language
        version = make_published_workflow(db_session, actor=user, name="Rotation flow")
        version.created_at = datetime(2026, 12, 5, 14, 5, tzinfo=UTC)
        db_session.commit()
        login_as(user)
        return version.workflow

    return make


def _add_state(client, db_session, workflow, label="Quality check"):
    return client.post(
        f"/designer/workflows/{workflow.id}/states",
        data={"new-state-label": label, "new-state-base": base(db_session, workflow)},
        headers=HX,
    )


def test_a_german_admin_reads_the_editor_and_the_chain_form(client, reader):
    workflow = reader("de")
    html = client.get(f"/designer/workflows/{workflow.id}").data.decode()
    assert '<html lang="de"' in html
    assert "Freigabekette" in html and "Übergänge" in html
    assert "Veröffentlicht · Version 1" in html
    assert "Keine Probleme: bereit zum Veröffentlichen" in html
    # The chain form's labels and choices.
    assert "Wenn kein Schritt zutrifft, weiter zu" in html
    assert "Name des Schritts" in html and "Der Außendienst des Kundenkontos" in html
    assert "An die Administrator:innen eskalieren" in html
    assert "Approval chain" not in html and "Save the chain" not in html


def test_a_german_admin_reads_a_validation_problem(client, db_session, reader):
    workflow = reader("de")
    html = _add_state(client, db_session, workflow).data.decode()
    assert "Entwurf · Version 2" in html
    # The problem names the state by its label, in German.
    assert "Der Status “Quality check” ist vom Anfangsstatus “Draft” aus nicht erreichbar." in html
    assert "2 Probleme vor dem Veröffentlichen zu beheben" in html
    assert "cannot be reached" not in html


def test_a_french_admin_reads_the_version_diff(client, db_session, reader):
    workflow = reader("fr")
    _add_state(client, db_session, workflow)
    client.post(
        f"/designer/workflows/{workflow.id}/states/authorized",
        data={
            "state-authorized-label": "Approved",
            "state-authorized-base": base(db_session, workflow),
        },
        headers=HX,
    )
    html = client.get(f"/designer/workflows/{workflow.id}/diff?a=1&b=2").data.decode()
    assert "Version 1 → version 2" in html
    assert "4 modifications de la version 1 à la version 2." in html
    assert f"Nouveau statut{NBSP}: Quality check" in html
    assert f"Approved{NBSP}: libellé Authorized → Approved" in html
    assert "New state" not in html


def test_the_history_in_german_with_local_dates(client, reader):
    workflow = reader("de")
    html = client.get(f"/designer/workflows/{workflow.id}/history").data.decode()
    assert "Verlauf von „Rotation flow“" in html
    assert '2026-12-05T14:05:00+00:00">5. Dez. 2026, 14:05</time> von Ada Admin' in html
    assert "UTC" not in html.split('id="versions"')[1]


def test_the_home_and_the_policy_page_in_french(client, db_session, reader):
    workflow = reader("fr")
    return_type = make_return_type(db_session, workflow.id, name="Stock rotation")
    db_session.commit()
    home = client.get("/designer/").data.decode()
    assert "Types de retour" in home and "Nouveau type de retour" in home
    policy = client.get(f"/designer/return-types/{return_type.id}/policy").data.decode()
    assert f"Règles de la politique de «{NBSP}Stock rotation{NBSP}»" in policy
    assert "Enregistrer la politique" in policy


def test_the_engine_reads_english_without_an_app():
    assert problem("no_final", "").message == "No state is final; every RMA needs a way to end."
    assert validate({}) and all(p.message.isascii() for p in validate({"states": []}))
    changes = diff_docs({"states": []}, {"states": [{"name": "qc", "label": "QC"}]})
    assert changes[0].sentence == "New state: QC"


def test_the_engine_follows_the_language_it_is_asked_in(app):
    import portal.designer  # noqa: F401  (installs the translator)

    with app.test_request_context("/"), force_locale("de"):
        message = problem("no_final", "").message
        sentence = diff_docs({"states": []}, {"states": [{"name": "qc", "label": "QC"}]})[0]
        assert message == "Kein Status ist ein Endstatus; jede RMA braucht einen Weg zum Abschluss."
        assert sentence.sentence == "Neuer Status: QC"
