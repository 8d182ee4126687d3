"""The weekly digest e-mail (``portal.signals.digest`` queues it): subject, text and HTML
in the recipient's language and time zone, written when it is sent from the figures taken
when it was queued."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import gettext as _

from portal.i18n.formats import format_day
from portal.i18n.zones import known_zone
from portal.signals.words import label, sentence


def absolute_url(endpoint: str, **values: Any) -> str:
    """A link into the portal from BASE_URL (mail is sent outside any request)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def digest_subject(payload: Mapping[str, Any]) -> str:
    return _("Your weekly returns digest (%(week)s)", week=payload.get("week", ""))


def render_digest(
    payload: Mapping[str, Any], recipient_name: str | None, zone: str | None
) -> tuple[str, str, str]:
    """(subject, text, HTML) of a digest; call it inside ``force_locale``."""
    subject = digest_subject(payload)
    context = {
        "subject": subject,
        "recipient_name": recipient_name,
        "waiting_count": int(payload.get("waiting_count") or 0),
        "overdue_count": int(payload.get("overdue_count") or 0),
        "signal_count": int(payload.get("signal_count") or 0),
        "waiting": [_waiting(item, zone) for item in payload.get("waiting") or []],
        "signals": [_signal(item) for item in payload.get("signals") or []],
        "queue_url": absolute_url("approvals.queue"),
    }
    return (
        subject,
        render_template("email/weekly_digest.txt", **context),
        render_template("email/weekly_digest.html", **context),
    )


def _waiting(item: Mapping[str, Any], zone: str | None) -> dict[str, Any]:
    due = item.get("due_at")
    return {
        "number": item.get("number", ""),
        "account_name": item.get("account_name", ""),
        "due": _day(due, zone) if due else "",
        "overdue": bool(item.get("overdue")),
        "url": absolute_url("rmas.detail", number=item.get("number", "")),
    }


def _signal(item: Mapping[str, Any]) -> dict[str, Any]:
    code = str(item.get("code", ""))
    return {
        "account": f"{item.get('account_number', '')} {item.get('account_name', '')}".strip(),
        "label": label(code),
        "sentence": sentence(code, item.get("figures") or {}),
    }


def _day(moment: str, zone: str | None) -> str:
    local = datetime.fromisoformat(moment).astimezone(ZoneInfo(known_zone(zone) or "UTC"))
    return format_day(local.date())
