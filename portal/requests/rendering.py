"""Rendering the draft page and its HTMX parts from one context.

Every change answers with the part it changed plus the policy panel and the replacement
summary as out-of-band swaps, so the figures follow each edit without a page load. The
panel carries a fresh submit form: a new idempotency key and the digest of what is shown.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Response, current_app, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from models import Rma, RmaLine
from models.base import utcnow
from portal.forms import choices
from portal.requests import replacements as offers
from portal.requests.contents import LineView
from portal.requests.evaluation import DraftEvaluation, evaluate_draft
from portal.requests.exchange import (
    ExchangeOffer,
    exchange_offer,
    resolution_order,
    takes_replacements,
)
from portal.requests.forms import (
    CONDITION_CHOICES,
    SHOW_CHOICES,
    AddLinesForm,
    ExceptionForm,
    HistorySearchForm,
    LineForm,
    ReplacementSearchForm,
    SubmitForm,
    reason_choices,
)
from portal.requests.queries import purchase_history
from portal.requests.submission import content_digest
from portal.requests.uploads import UploadLimits
from portal.web import render
from workflow_designer.policy import describe_policy
from workflow_designer.policy.questionnaire import questions_of

PICK_PAGE_SIZE = 50
SHOW_MODES = {value for value, _ in SHOW_CHOICES}


def today() -> date:
    """The date policies are judged on: today in UTC, like every stored time."""
    return utcnow().date()


def upload_limits() -> UploadLimits:
    return UploadLimits.from_config(current_app.config)


@dataclass
class ReplacementPanel:
    search_form: ReplacementSearchForm
    best_sellers: list[offers.Offer]
    variants: list[offers.Offer]


def line_form(rma: Rma, line: RmaLine | LineView, formdata: Any = None) -> LineForm:
    """The form of one draft line; ``formdata`` (a post) wins over the stored values."""
    form = LineForm(
        formdata=formdata,
        prefix=f"l{line.id}",
        data={
            "quantity": line.quantity_requested,
            "reason": line.reason,
            "condition": line.condition,
            "description": line.description,
        },
    )
    form.reason.choices = reason_choices(rma.return_type)
    return form


class LineForms(dict):
    """Line id → that line's form, built when a template first asks for it: an answer
    that renders one line of a 200-line draft builds one form, not 200 (~15 ms)."""

    def __init__(self, rma: Rma, lines: list[LineView]) -> None:
        super().__init__()
        self.rma = rma
        self.lines = {line.id: line for line in lines}

    def __missing__(self, line_id: int) -> LineForm:
        form = self[line_id] = line_form(self.rma, self.lines[line_id])
        return form


def submit_form(rma: Rma, checked: DraftEvaluation, offer: ExchangeOffer | None) -> SubmitForm:
    """The submit form; an exchange offered first is listed first and chosen."""
    offered = resolution_order(rma.return_type.resolutions or [], offer is not None)
    preferred = "replacement_order" if checked.contents.replacements else ""
    if offer is not None:
        preferred = "exchange"
    form = SubmitForm(
        formdata=None,
        data={
            "idempotency_key": secrets.token_urlsafe(24),
            "digest": content_digest(rma, checked.contents),
            "resolution": preferred if preferred in offered else (offered[0] if offered else ""),
        },
    )
    form.set_resolutions(offered)
    return form


def history_form() -> HistorySearchForm:
    """The picker's search, from the query string (bad values fall back to defaults)."""
    form = HistorySearchForm(request.args)
    form.validate()
    return form


def history_page(session: Session, rma: Rma, form: HistorySearchForm):
    text = (form.q.data or "")[:100] if not form.q.errors else ""
    show = form.show.data if form.show.data in SHOW_MODES else "eligible"
    return purchase_history(session, rma, text, show, today(), form.page_number, PICK_PAGE_SIZE)


def draft_context(session: Session, rma: Rma, *, suggestions: bool = True, **extra: Any) -> dict:
    """Everything the draft page and its parts render from. ``suggestions=False`` leaves
    out the replacement suggestions, for answers that do not show them."""
    checked = evaluate_draft(session, rma, today(), live=True)
    offer = exchange_offer(checked)
    context = {
        "rma": rma,
        "account": rma.account,
        "return_type": rma.return_type,
        "checked": checked,
        "contents": checked.contents,
        "line_forms": LineForms(rma, [d.line for d in checked.contents.lines]),
        "submit_form": submit_form(rma, checked, offer),
        "exchange_offer": offer,
        "exception_form": ExceptionForm(formdata=None),
        "limits": upload_limits(),
        "replacement_on": takes_replacements(rma.return_type),
        "replacement_panel": _replacement_panel(session, rma, checked) if suggestions else None,
        "finding_by_rule": {f.rule: f for f in checked.findings},
        "needs_photos": _evidence(rma, "photos") or any(d.photos for d in checked.contents.lines),
        "needs_description": _evidence(rma, "description"),
        "questions": questions_of(rma.return_type.policy or {}),
    }
    context.update(extra)
    return context


def _evidence(rma: Rma, kind: str) -> bool:
    """Whether lines need photos / a description: by the return type or its policy."""
    required = getattr(rma.return_type, f"requires_{kind}")
    rule = (rma.return_type.policy or {}).get("evidence")
    by_policy = isinstance(rule, dict) and rule.get("enabled") is True and rule.get(kind) is True
    return bool(required or by_policy)


def _replacement_panel(session: Session, rma: Rma, checked: DraftEvaluation):
    if not takes_replacements(rma.return_type):
        return None
    returned = [d.product for d in checked.contents.lines]
    taken = [r.product.id for r in checked.contents.replacements]
    return ReplacementPanel(
        search_form=ReplacementSearchForm(formdata=None),
        best_sellers=offers.unused(
            offers.best_sellers(session, [p.brand for p in returned], today()), taken
        ),
        variants=offers.unused(offers.variants(session, returned), taken),
    )


def page_context(session: Session, rma: Rma, **extra: Any) -> dict:
    """The draft page: the parts above plus the line picker and the policy summary."""
    form = extra.pop("history_form", None) or history_form()
    add_form = AddLinesForm(formdata=None)
    add_form.reason.choices = reason_choices(rma.return_type, _("Set later"))
    add_form.condition.choices = choices([("", _("Set later")), *CONDITION_CHOICES[1:]])
    return draft_context(
        session,
        rma,
        history_form=form,
        history=history_page(session, rma, form),
        add_form=add_form,
        policy_summary=describe_policy(rma.return_type.policy or {}, rma.currency, today()),
        **extra,
    )


def render_draft_page(session: Session, rma: Rma, status: int = 200, **extra: Any) -> Response:
    return render("requests/draft.html", http_status=status, **page_context(session, rma, **extra))


def back_to_draft(rma: Rma, anchor: str = "") -> Response:
    """A plain form post's answer: the draft page, at the part it changed."""
    return redirect(url_for("requests.draft", number=rma.number) + anchor, 303)


def with_line(context: dict, line_id: int) -> dict:
    """``context`` with ``d``, the draft line the single-line parts render."""
    context["d"] = next(d for d in context["contents"].lines if d.line.id == line_id)
    return context


OOB_PARTS = ("requests/_panel.html", "requests/_replacements.html")
# When only a line's details change, the suggestions stay: the summary is enough.
LINE_PARTS = (
    "requests/_line_status.html",
    "requests/_panel.html",
    "requests/_replacement_summary.html",
)


def render_parts(
    primary: str | None,
    context: dict,
    *,
    status: int = 200,
    oob: tuple[str, ...] = OOB_PARTS,
    trigger: str | None = None,
) -> Response:
    """``primary`` (swapped into the request's target) followed by ``oob`` parts, each
    rendered with ``oob`` set (requests/_parts.html)."""
    response = render(
        "requests/_parts.html", http_status=status, primary=primary, oob_parts=oob, **context
    )
    if trigger:
        response.headers["HX-Trigger"] = trigger
    return response
