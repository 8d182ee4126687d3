"""What the rotation policy and the workflow runtime say, in the reader's language: rule
findings and explanations with local money, percentages and dates, periods in words, guard
and firing reasons, rule labels; and English, unchanged, outside a request."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask import g
from flask_babel import refresh

from models import Role
from portal.requests.display import figure_rows, panel_summary, without_label
from tests.factories import make_published_workflow, make_return_type, make_user
from tests.portal.designer.helpers import HX
from workflow_designer.engine.guards import ExceptionRequested, ValueAtLeast
from workflow_designer.policy import (
    RULES,
    AccountFacts,
    Period,
    PolicyRequest,
    RequestLine,
    evaluate,
    validate_policy,
)
from workflow_designer.policy.changes import diff_policies
from workflow_designer.policy.describe import describe_policy
from workflow_designer.policy.vocabulary import Disposition, Grade
from workflow_designer.policy.words import localized

TODAY = date(2026, 12, 5)
ALLOWANCE = {
    "allowance": {"enabled": True, "mode": "exception", "percent": "10", "period_days": 365}
}


@pytest.fixture
def reading(app):
    """Evaluate as a reader of ``language`` would (a request in that language)."""
    contexts = []

    def read_as(language: str):
        context = app.test_request_context("/")
        context.push()
        g.language = language
        refresh()
        contexts.append(context)

    yield read_as
    for context in reversed(contexts):
        context.pop()


def _request(value: str = "1346", used: str = "2000") -> PolicyRequest:
    line = RequestLine("LU-101", 1, Decimal(value), "INV-1", date(2026, 6, 1))
    facts = AccountFacts(net_purchases=Decimal("30000"), allowance_used=Decimal(used))
    return PolicyRequest(TODAY, lines=(line,), facts=facts)


def _allowance_message(**request) -> str:
    (finding,) = evaluate(ALLOWANCE, _request(**request)).findings
    return finding.message


def test_english_is_unchanged_outside_a_request():
    message = _allowance_message()
    assert message == (
        "Allowance: €3,346.00 of €3,000.00 used in the last 12 months, €346.00 over "
        "(this request: €1,346.00)"
    )
    assert Period(3, "months").words() == "3 months"
    assert Period(1, "weeks").words() == "1 week"
    assert str(RULES["allowance"].label) == "Allowance"
    assert Grade.LIGHTLY_DAMAGED.label == "Lightly damaged"


def test_a_failing_allowance_explains_itself_in_german(reading):
    reading("de")
    (finding,) = evaluate(ALLOWANCE, _request()).findings
    assert not finding.passed
    assert finding.label == "Kontingent"
    assert finding.message == (
        "Kontingent: 3.346,00\xa0€ von 3.000,00\xa0€ genutzt (Zeitraum: die letzten "
        "12 Monate), 346,00\xa0€ überschritten (diese Retoure: 1.346,00\xa0€)"
    )
    sentences = describe_policy(ALLOWANCE, "EUR", TODAY)
    assert sentences[0].startswith("Retouren dürfen insgesamt bis zu 10\xa0% Ihrer Nettoeinkäufe")
    assert sentences[0].endswith("Sie können mit Begründung eine Ausnahme beantragen.")
    assert sentences[-1] == "Ihnen wird der bezahlte Preis gutgeschrieben."


def test_a_passing_allowance_in_french(reading):
    reading("fr")
    message = _allowance_message(value="100", used="0")
    assert message == (
        "Quota\xa0: 100,00\xa0€ sur 3\u202f000,00\xa0€ utilisés sur une période glissante "
        "de 12 mois, 2\u202f900,00\xa0€ restants (ce retour\xa0: 100,00\xa0€)"
    )


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("de", ["1 Tag", "30 Tage", "2 Wochen", "1 Monat", "12 Monate", "30-Tage"]),
        ("fr", ["1 jour", "30 jours", "2 semaines", "1 mois", "12 mois", "de 30 jours"]),
        ("en", ["1 day", "30 days", "2 weeks", "1 month", "12 months", "30-day"]),
    ],
)
def test_periods_in_words(reading, language, shown):
    reading(language)
    periods = [Period(1), Period(30), Period(2, "weeks"), Period(1, "months"), Period(12, "months")]
    assert [p.words() for p in periods] + [Period(30).adjective()] == shown


def test_the_credit_sentence_and_closed_periods_in_german(reading):
    reading("de")
    policy = {
        "restocking_fee": {"enabled": True, "percent": "12.5"},
        "blackout_windows": {
            "enabled": True,
            "mode": "blocking",
            "windows": [{"start": "11-15", "end": "12-31"}],
        },
    }
    closed, credit = describe_policy(policy, "EUR", TODAY)
    assert closed == (
        "Heute ist der 5. Dez.; Retouren sind vom 15. Nov. bis 31. Dez. geschlossen (jährlich)."
    )
    assert credit == (
        "Ihnen wird der bezahlte Preis gutgeschrieben, abzüglich einer "
        "Wiedereinlagerungsgebühr von 12,5\xa0%."
    )


def _guard_context(value: str, exception: bool) -> SimpleNamespace:
    return SimpleNamespace(
        rma=SimpleNamespace(total_value=Decimal(value), exception_requested=exception)
    )


def test_firing_reasons_in_french_with_french_numbers(reading):
    reading("fr")
    refused = ExceptionRequested().check(_guard_context("100", False))
    assert refused.reason == "Aucune dérogation n’a été demandée."
    below = ValueAtLeast().check(_guard_context("100", False), amount=Decimal("2500"))
    assert below.reason == ("La valeur du retour, 100,00, est inférieure à 2\u202f500,00.")


def test_firing_reasons_stay_english_outside_a_request():
    below = ValueAtLeast().check(_guard_context("100", False), amount=Decimal("2500"))
    assert below.reason == "The return value 100.00 is below 2,500.00."
    assert ExceptionRequested().check(_guard_context("1", False)).reason == (
        "No exception was requested."
    )


def test_labels_follow_the_reader(reading):
    reading("fr")
    assert Grade.USED.label == "Utilisé"
    assert Disposition.B_STOCK.label == "Second choix"
    assert str(RULES["return_window"].label) == "Délai de retour"
    assert RULES["allowance"].as_dict()["params"][1]["label"] == "Période"


def test_the_policy_editor_refuses_in_german(client, db_session, login_as):
    admin = make_user(db_session, Role.ADMIN, name="Anna Admin", locale="de")
    version = make_published_workflow(db_session, actor=admin, name="Rotation flow")
    return_type = make_return_type(db_session, version.workflow_id, name="Stock rotation")
    db_session.commit()
    login_as(admin)
    data = {f"{name}-mode": "blocking" for name, spec in RULES.items() if spec.pass_fail}
    data.update(
        {"allowance-enabled": "on", "allowance-percent": "lots", "allowance-period_days": "365"}
    )
    response = client.post(f"/designer/return-types/{return_type.id}/policy", data=data, headers=HX)
    assert response.status_code == 422
    html = response.data.decode()
    assert "Kontingent: Prozent der Nettoeinkäufe muss eine Zahl sein, nicht „lots“" in html
    page = client.get(f"/designer/return-types/{return_type.id}/policy").data.decode()
    for label in ("Kontingent", "Prozent der Nettoeinkäufe", "Retourenfrist", "Leicht beschädigt"):
        assert label in page


def test_a_mistyped_window_day_is_named_in_the_readers_words(reading):
    reading("fr")
    problems = validate_policy(
        {
            "calendar_windows": {
                "enabled": True,
                "mode": "blocking",
                "windows": [{"start": "02-31", "end": "03-10"}],
            }
        }
    )
    assert [p.message for p in problems] == [
        "Fenêtres calendaires\xa0: période 1, début 31 févr.\xa0: n’est pas une date valide."
    ]


def test_the_panel_summary_and_figures_in_german(reading):
    reading("de")
    findings = evaluate(ALLOWANCE, _request()).findings
    summary = panel_summary(SimpleNamespace(checks=[], findings=findings))
    assert summary.text == "1 Regel nicht erfüllt · Kontingent zu 112\xa0% genutzt"
    rows = {key: (label, text) for key, label, text in figure_rows(findings[0].figures, "EUR")}
    assert rows["left"] == ("Übrig", "−346,00\xa0€")
    assert rows["period_days"] == ("Zeitraum", "365 Tage")
    assert without_label(findings[0].message, findings[0].label).startswith("3.346,00")


def test_the_panel_summary_in_french_and_english(reading):
    findings = evaluate(ALLOWANCE, _request()).findings
    english = panel_summary(SimpleNamespace(checks=[], findings=findings))
    assert english.text == "1 rule fails · allowance 112% used"
    reading("fr")
    findings = evaluate(ALLOWANCE, _request()).findings
    assert findings[0].message.startswith("Quota\xa0: 3\u202f346,00")
    assert without_label(findings[0].message, findings[0].label).startswith("3\u202f346,00")


def test_policy_changes_in_words_in_french(reading):
    before = {
        "allowance": {"enabled": True, "mode": "blocking", "percent": "10", "period_days": 365}
    }
    after = {
        "allowance": {
            "enabled": True,
            "mode": "exception",
            "percent": "12.5",
            "period_days": {"count": 6, "unit": "weeks"},
        }
    }
    english = [change.sentence for change in diff_policies(before, after)]
    assert english == [
        "Allowance · when not met: blocking → exception allowed",
        "Allowance · Percent of net purchases: 10% → 12.5%",
        "Allowance · Period: 365 days → 6 weeks",
    ]
    reading("fr")
    assert [change.sentence for change in diff_policies(before, after)] == [
        "Quota · si non respectée\xa0: bloquant → dérogation possible",
        "Quota · Pourcentage des achats nets\xa0: 10\xa0% → 12,5\xa0%",
        "Quota · Période\xa0: 365 jours → 6 semaines",
    ]


def test_configured_text_reads_in_the_readers_language_and_falls_back_to_what_was_typed(
    reading,
):
    label = localized("Received", {"de": "Eingegangen", "fr": "  ", "it": 3})
    assert label == "Received" and hash(label) == hash("Received")
    assert localized("Received", {"fr": " "}) is not label  # nothing usable: the text itself
    assert type(localized("Received", {})) is str
    assert str(label) == "Received"  # outside a request: as typed
    reading("de")
    assert str(label) == "Eingegangen" and f"{label}" == "Eingegangen"
    assert label.__html__() == "Eingegangen"
    assert label in {"Received"}  # still names what it named
    reading("fr")
    assert str(label) == "Received"  # blank French: the typed text
