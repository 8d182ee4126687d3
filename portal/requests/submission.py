"""Submitting a draft: the policy is evaluated again on the server, the figures are written
on the RMA and the workflow's ``submit`` trigger fires — once, however often the form is
posted.

Idempotency: the submit form carries a key generated when the page rendered. The first
post stores it on the RMA with a fingerprint of the payload; the same key again finds
that RMA (same payload) or is refused (different payload). Submits of one account are
serialised by locking the account row (PostgreSQL; SQLite's writers queue anyway), so two
drafts cannot both use the last returnable units or the last of the allowance.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import RetailerAccount, Rma, User
from portal.requests.contents import DraftContents
from portal.requests.errors import RequestError
from portal.requests.evaluation import DraftEvaluation, evaluate_draft
from portal.requests.exchange import check_exchange
from portal.rmas.exception_record import SNAPSHOT_KEY as EXCEPTION_SNAPSHOT
from portal.rmas.exception_record import exception_snapshot
from workflow_designer.engine.errors import Conflict
from workflow_designer.runtime.firing import TransitionRefused, fire
from workflow_designer.runtime.policy_versions import POLICY_VERSION, version_in_force


class KeyReused(RequestError, Conflict):
    """The idempotency key already submitted a request with other content."""


@dataclass(frozen=True)
class SubmitPayload:
    number: str
    resolution: str
    digest: str

    def fingerprint(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def content_digest(rma: Rma, contents: DraftContents) -> str:
    """A hash of what the draft page shows; the submit form sends it back unchanged."""
    document = {
        "lines": [
            [
                d.line.id,
                d.line.order_line_id,
                d.line.quantity_requested,
                d.line.reason,
                d.line.condition,
                d.line.description,
                [p.id for p in d.photos],
                # The questionnaire's answers (two answer sets can claim one condition).
                *([sorted(d.answers.items())] if d.line.condition_answers else []),
            ]
            for d in contents.lines
        ],
        "replacements": [[r.line.product_id, r.line.quantity] for r in contents.replacements],
        "exception": [rma.exception_requested, rma.exception_justification],
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def submitted_with_key(session: Session, key: str, payload: SubmitPayload) -> Rma | None:
    """The RMA ``key`` already submitted, if any. KeyReused if it was another payload."""
    # populate_existing: the RMA may already be in the session, as read before another
    # transaction submitted it.
    rma = session.scalar(
        select(Rma).where(Rma.idempotency_key == key).execution_options(populate_existing=True)
    )
    if rma is None:
        return None
    if rma.request_fingerprint != payload.fingerprint():
        raise KeyReused(
            _(
                "This form was already used to submit %(number)s with different content. "
                "Reload the page to submit again.",
                number=rma.number,
            )
        )
    return rma


def submit_request(
    session: Session,
    actor: User,
    rma: Rma,
    *,
    key: str,
    payload: SubmitPayload,
    today: date,
    now: datetime,
) -> Rma:
    """Submit the draft ``rma`` (or find what ``key`` submitted before). Never commits."""
    _lock_account(session, rma.account_id)
    earlier = submitted_with_key(session, key, payload)
    if earlier is not None:
        return earlier
    session.refresh(rma)  # what a submit that held the lock before us may have changed
    if rma.submitted_at is not None:
        raise RequestError(_("%(number)s has already been submitted.", number=rma.number))
    if payload.number != rma.number:
        raise RequestError(_("This form belongs to another request."))
    checked = evaluate_draft(session, rma, today)
    if payload.digest != content_digest(rma, checked.contents):
        raise RequestError(
            _(
                "This request changed after the page was loaded (in another window?). "
                "Check it and submit again."
            )
        )
    _check_resolution(rma, payload.resolution)
    check_exchange(checked.contents, payload.resolution)
    _refuse_unless_submittable(checked)
    _record(rma, checked, key, payload, now)
    data = _event_data(checked)
    # Which policy version the findings were judged under (see docs/architecture.md).
    in_force = version_in_force(session, rma.return_type)
    if in_force is not None:
        data[POLICY_VERSION] = in_force.number
    try:
        fire(session, rma, "submit", actor, data=data, now=now)
    except TransitionRefused as refused:
        raise RequestError(
            _(
                "%(number)s cannot be submitted: %(reason)s",
                number=rma.number,
                reason=refused.reason,
            )
        ) from None
    return rma


def _lock_account(session: Session, account_id: int) -> None:
    session.execute(
        select(RetailerAccount.id).where(RetailerAccount.id == account_id).with_for_update()
    )


def _refuse_unless_submittable(checked: DraftEvaluation) -> None:
    failed = [check for check in checked.checks if not check.passed]
    if failed:
        raise RequestError(
            " ".join(_("%(check)s: %(problem)s", check=c.label, problem=c.message) for c in failed)
        )
    blocking = [f for f in checked.evaluation.findings if f.blocking]
    if blocking:
        raise RequestError(
            _("This request breaks a rule that allows no exception.")
            + " "
            + " ".join(f.message for f in blocking)
        )
    if not checked.evaluation.passed and not checked.rma.exception_requested:
        raise RequestError(
            _(
                "This request breaks the return policy: request an exception with a "
                "justification, or change the request."
            )
        )


def _check_resolution(rma: Rma, resolution: str) -> None:
    offered = rma.return_type.resolutions or []
    # A return type that offers none takes none: any text here would be stored as asked.
    if (offered or resolution) and resolution not in offered:
        raise RequestError(_("Choose what you would like in return."))


def _record(
    rma: Rma, checked: DraftEvaluation, key: str, payload: SubmitPayload, now: datetime
) -> None:
    if checked.evaluation.passed:
        # Nothing to override: an exception request would only delay the request.
        rma.exception_requested = False
        rma.exception_justification = ""
    for replacement in checked.contents.replacements:
        replacement.line.unit_price = replacement.product.list_price
    rma.policy_passed = checked.evaluation.passed
    rma.policy_findings = checked.evaluation.snapshot()
    rma.total_value = checked.total_value
    # What the retailer asked for stays on record when staff choose another at resolve.
    rma.resolution = rma.requested_resolution = payload.resolution or None
    rma.idempotency_key = key
    rma.request_fingerprint = payload.fingerprint()
    rma.submitted_at = now


def _event_data(checked: DraftEvaluation) -> dict:
    data = {
        "total_value": str(checked.total_value),
        "units": checked.contents.units,
        "policy_passed": checked.evaluation.passed,
        "exception_requested": checked.rma.exception_requested,
        "requested_resolution": checked.rma.requested_resolution,
    }
    # The justification and the rules broken, with their figures, as submitted: the
    # event log keeps them whatever happens to the RMA later (portal.rmas.exception_record).
    snapshot = exception_snapshot(checked.rma)
    if snapshot is not None:
        data[EXCEPTION_SNAPSHOT] = snapshot
    return data
