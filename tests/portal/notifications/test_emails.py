"""Every notification template renders as text and HTML, with the facts and a link."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from portal.notifications.emails import (
    EMAIL_TEMPLATES,
    SUBJECTS,
    UnknownTemplate,
    build_message,
    render_email,
    title_for,
)
from workflow_designer.engine.actions import NOTIFY_TEMPLATES

PAYLOAD = {
    "rma_number": "RMA-2026-000123",
    "state": "authorized",
    "state_label": "Authorized",
    "actor_name": "Rita Rep",
    "account_name": "Optik Sonnenschein",
    "message": "Please use the blue box.",
}
LINK = "http://127.0.0.1:5000/rmas/RMA-2026-000123"


def test_every_workflow_template_has_an_email():
    assert set(NOTIFY_TEMPLATES) <= set(EMAIL_TEMPLATES)
    assert set(EMAIL_TEMPLATES) == set(SUBJECTS)


@pytest.mark.parametrize("template", EMAIL_TEMPLATES)
def test_each_template_renders_text_and_html(app, template):
    with app.app_context():
        rendered = render_email(template, PAYLOAD, "Olga Optician")
    assert "RMA-2026-000123" in rendered.subject
    for body in (rendered.text, rendered.html):
        assert "Olga Optician" in body
        assert "RMA-2026-000123" in body
        assert "Authorized" in body
        assert "Optik Sonnenschein" in body
        assert LINK in body
        assert "{{" not in body and "{%" not in body
    assert rendered.html.lstrip().startswith("<!doctype html>")
    assert f'href="{LINK}"' in rendered.html
    assert "<" not in rendered.text.replace("<returns", "")  # plain text stays plain


def test_a_message_notification_quotes_the_message(app):
    with app.app_context():
        rendered = render_email("rma_message", PAYLOAD, None)
    assert rendered.subject == "New message about RMA-2026-000123"
    assert "Rita Rep wrote about RMA-2026-000123:\n\nPlease use the blue box." in rendered.text
    assert "Please use the blue box." in rendered.html
    assert rendered.text.startswith("Hello,")


def test_html_escapes_what_users_typed(app):
    payload = {**PAYLOAD, "account_name": "<b>Brillen & Co</b>", "message": "<script>x</script>"}
    with app.app_context():
        rendered = render_email("rma_message", payload, "<i>Olga</i>")
    assert "<script>" not in rendered.html and "<b>" not in rendered.html
    assert "&lt;b&gt;Brillen &amp; Co&lt;/b&gt;" in rendered.html
    assert "<b>Brillen & Co</b>" in rendered.text  # text mail shows it as typed


def test_links_follow_the_configured_base_url(app):
    app.config["BASE_URL"] = "https://returns.nordwind.example.com/portal/"
    with app.app_context():
        rendered = render_email("rma_closed", PAYLOAD, None)
    assert "https://returns.nordwind.example.com/portal/rmas/RMA-2026-000123" in rendered.text


def test_an_unknown_template_is_refused_but_titles_never_fail(app):
    with app.app_context(), pytest.raises(UnknownTemplate):
        render_email("rma_teleported", PAYLOAD, None)
    assert title_for("rma_teleported", PAYLOAD) == "RMA-2026-000123: rma teleported"
    assert title_for("rma_authorized", {}) == "Your return is authorized: print the return label"


def test_the_message_has_both_parts_and_machine_headers(app):
    with app.app_context():
        rendered = render_email("rma_authorized", PAYLOAD, "Olga")
    message = build_message(
        rendered,
        sender="Rotaflow <returns@nordwind.example.com>",
        to="olga@example.com",
        outbox_id=7,
    )
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["To"] == "olga@example.com"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["X-Rotaflow-Outbox-Id"] == "7"
    assert parsed["Message-ID"].endswith("@nordwind.example.com>")
    assert parsed.get_body(("plain",)).get_content().startswith("Hello Olga,")
    assert parsed.get_body(("html",)).get_content().lstrip().startswith("<!doctype html>")


def test_the_state_label_is_written_in_the_recipients_language(app):
    from types import SimpleNamespace

    from workflow_designer.policy.words import localized
    from workflow_designer.runtime.outbox import notification_payload

    account = SimpleNamespace(name="Optik Sonnenschein")
    rma = SimpleNamespace(number="RMA-2026-000123", state="authorized", account=account)
    payload = notification_payload(rma, "Rita Rep", localized("Authorized", {"de": "Genehmigt"}))
    assert payload["state_label"] == "Authorized" and type(payload["state_label"]) is str
    assert payload["state_label_translations"] == {"de": "Genehmigt"}
    with app.app_context():
        german = render_email("rma_authorized", {**PAYLOAD, **payload}, "Olga", "de")
        french = render_email("rma_authorized", {**PAYLOAD, **payload}, "Olga", "fr")
    assert "Genehmigt" in german.text and "Genehmigt" in german.html
    assert "Authorized" in french.text  # no French variant: as typed
