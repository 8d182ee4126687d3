"""Rendering notification e-mails (text and HTML) from ``templates/email/<name>.*``.

Workflow notifications (workflow_designer.engine.actions.NOTIFY_TEMPLATES) and thread messages
share one payload shape: rma_number, state_label, account_name, actor_name (+ message).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import current_app, render_template
from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.i18n import DEFAULT_LANGUAGE
from portal.notifications.digest_email import digest_subject, render_digest
from portal.signals.digest import DIGEST_TEMPLATE
from portal.webhooks.operations import DISABLED_TEMPLATE
from workflow_designer.engine.actions import NOTIFY_TEMPLATES
from workflow_designer.policy.words import localized

MESSAGE_TEMPLATE = "rma_message"
# Sent by the back office itself once an RMA is resolved (portal.feedback.operations).
FEEDBACK_TEMPLATE = "feedback_invitation"
# A rep drafted a rotation for the account (portal.assistant.operations).
SUGGESTED_TEMPLATE = "rotation_suggested"

# One subject per template; also the title of the in-app notification.
SUBJECTS: dict[str, LazyString] = {
    "rma_submitted": _l("%(number)s was submitted"),
    "approval_requested": _l("%(number)s is waiting for your approval"),
    "approval_escalated": _l("%(number)s is overdue and now waits for your approval"),
    "rma_authorized": _l("%(number)s is authorized: print the return label"),
    "rma_rejected": _l("%(number)s was not accepted"),
    "changes_requested": _l("%(number)s: changes requested"),
    "rma_cancelled": _l("%(number)s was cancelled"),
    "rma_shipped": _l("%(number)s is on its way to the warehouse"),
    "rma_received": _l("%(number)s has arrived at the warehouse"),
    "rma_inspected": _l("%(number)s has been inspected"),
    "rma_credited": _l("%(number)s: your account has been credited"),
    "rma_exchanged": _l("%(number)s: replacement goods are ordered"),
    "rma_to_be_returned": _l("%(number)s: items will be returned to you"),
    "rma_shipped_back": _l("%(number)s: items have been shipped back to you"),
    "rma_closed": _l("%(number)s is closed"),
    MESSAGE_TEMPLATE: _l("New message about %(number)s"),
    FEEDBACK_TEMPLATE: _l("%(number)s: how did this return go?"),
    SUGGESTED_TEMPLATE: _l("%(number)s: your sales rep suggests a stock rotation"),
}
EMAIL_TEMPLATES: tuple[str, ...] = (
    *NOTIFY_TEMPLATES,
    MESSAGE_TEMPLATE,
    FEEDBACK_TEMPLATE,
    SUGGESTED_TEMPLATE,
)


class UnknownTemplate(LookupError):
    """A notification names a template this build cannot render."""


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def subject_for(template: str, payload: Mapping[str, Any]) -> str:
    if template == DIGEST_TEMPLATE:
        return digest_subject(payload)
    if template == DISABLED_TEMPLATE:
        return _("A webhook was turned off after repeated failures")
    pattern = SUBJECTS.get(template)
    if pattern is None:
        raise UnknownTemplate(f"no e-mail template named {template!r}")
    return str(pattern) % {"number": payload.get("rma_number") or _("Your return")}


def title_for(template: str, payload: Mapping[str, Any]) -> str:
    """The one-line title of an in-app notification (never raises: shown in lists)."""
    try:
        return subject_for(template, payload)
    except UnknownTemplate:
        return f"{payload.get('rma_number') or _('Return')}: {template.replace('_', ' ')}"


def rma_url(number: str, endpoint: str = "rmas.detail") -> str:
    """Absolute link to the RMA page (or another page of it), from BASE_URL (mail is sent
    outside any request)."""
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build(endpoint, {"number": number})
    return current_app.config["BASE_URL"].rstrip("/") + path


def render_email(
    template: str,
    payload: Mapping[str, Any],
    recipient_name: str | None,
    language: str = DEFAULT_LANGUAGE,
    zone: str | None = None,
) -> RenderedEmail:
    """Subject, text and HTML of one notification, in the recipient's ``language``
    (never the sender's: mail is rendered when sent) and, for the dates of a digest, time
    ``zone``. Needs an application context."""
    with force_locale(language):
        if template == DIGEST_TEMPLATE:
            return RenderedEmail(*render_digest(payload, recipient_name, zone))
        if template == DISABLED_TEMPLATE:
            return _render_webhook_disabled(payload, recipient_name)
        return _render(template, payload, recipient_name)


def _render(template: str, payload: Mapping[str, Any], recipient_name: str | None) -> RenderedEmail:
    subject = subject_for(template, payload)
    number = payload.get("rma_number")
    context = {
        "subject": subject,
        "recipient_name": recipient_name,
        "number": number,
        "state_label": localized(
            payload.get("state_label", ""), payload.get("state_label_translations")
        ),
        "account_name": payload.get("account_name", ""),
        "actor_name": payload.get("actor_name", ""),
        "message": payload.get("message", ""),
        "rma_url": rma_url(number) if number else current_app.config["BASE_URL"],
        "feedback_url": rma_url(number, "rmas.feedback") if number else None,
        "draft_url": rma_url(number, "requests.draft") if number else None,
    }
    return RenderedEmail(
        subject=subject,
        text=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
    )


def _render_webhook_disabled(
    payload: Mapping[str, Any], recipient_name: str | None
) -> RenderedEmail:
    subject = subject_for(DISABLED_TEMPLATE, payload)
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build("webhooks.subscription", {"subscription_id": payload["subscription_id"]})
    context = {
        "subject": subject,
        "recipient_name": recipient_name,
        "webhook_url": payload.get("webhook_url", ""),
        "attempts": payload.get("attempts", 0),
        "last_answer": payload.get("last_answer", ""),
        "page_url": current_app.config["BASE_URL"].rstrip("/") + path,
    }
    return RenderedEmail(
        subject=subject,
        text=render_template("email/webhook_disabled.txt", **context),
        html=render_template("email/webhook_disabled.html", **context),
    )


def build_message(
    rendered: RenderedEmail, *, sender: str, to: str, outbox_id: int | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=_domain(sender))
    # Tells mail servers and auto-responders this is machine mail (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    if outbox_id is not None:
        message["X-Rotaflow-Outbox-Id"] = str(outbox_id)
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


def _domain(sender: str) -> str:
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    return address.rsplit("@", 1)[-1] if "@" in address else "rotaflow.invalid"
