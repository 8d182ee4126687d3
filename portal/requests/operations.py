"""Changes to a request while it is a draft. Operations take the session and the actor,
never read the HTTP request and never commit: the request commits once, at its end.

Whatever a form sends is checked again here: order lines must belong to the RMA's
account, quantities must fit what is still returnable, reasons and conditions must be the
return type's, replacement products must be active and in stock at catalog prices.
Submitting lives in ``portal.requests.submission``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from models import (
    Grade,
    ReplacementLine,
    RetailerAccount,
    ReturnType,
    Rma,
    RmaAttachment,
    RmaLine,
    User,
)
from portal.requests import replacements
from portal.requests.errors import LineGone, RequestError
from portal.requests.evaluation import returnable_for
from portal.requests.exchange import takes_replacements
from portal.requests.queries import account_order_lines
from portal.requests.uploads import StoredFile
from portal.rmas.attachments import new_attachment
from portal.rmas.numbering import next_rma_number
from workflow_designer.policy.questionnaire import (
    Claim,
    Question,
    UnknownAnswer,
    chosen_answers,
    claim,
    questions_of,
)
from workflow_designer.runtime.versions import published_version

MAX_DESCRIPTION = 2000
MAX_JUSTIFICATION = 2000
CONDITIONS = {grade.value for grade in Grade}


def create_draft(
    session: Session, actor: User, account: RetailerAccount, return_type: ReturnType, now: datetime
) -> Rma:
    """A new, empty draft of ``return_type`` for ``account``, pinned to the published
    version of the type's workflow and in that version's initial state."""
    if return_type.is_archived:
        raise RequestError(_("%(name)s is no longer offered.", name=return_type.shown_name))
    version = published_version(session, return_type.workflow_id)
    if version is None:
        raise RequestError(
            _("%(name)s cannot be requested at the moment.", name=return_type.shown_name)
        )
    rma = Rma(
        number=next_rma_number(session, now),
        account_id=account.id,
        return_type_id=return_type.id,
        workflow_version_id=version.id,
        state=version.config["initial"],
        currency=account.currency,
        created_by_id=actor.id,
    )
    session.add(rma)
    session.flush()
    return rma


def ensure_draft(rma: Rma) -> None:
    """Only a draft that was never submitted can be edited or discarded."""
    if rma.submitted_at is not None:
        raise RequestError(
            _("%(number)s has been submitted; it can no longer be changed.", number=rma.number)
        )


def lock_draft(session: Session, rma: Rma, *, lines: bool = True) -> None:
    """Hold the draft's row until the commit, then read it (and, unless ``lines`` is
    False, its lines) afresh.

    Two "add" posts of the same order line would otherwise both find it missing and both
    insert it (or both add to the quantity they read, losing one). With the lock the second
    waits, then adds to what the first committed. SQLite drops FOR UPDATE: its BEGIN
    IMMEDIATE already makes writers wait for each other.
    """
    statement = select(Rma).where(Rma.id == rma.id).with_for_update()
    if lines:
        statement = statement.options(selectinload(Rma.lines))
    session.execute(statement.execution_options(populate_existing=True))


def add_lines(
    session: Session,
    actor: User,
    rma: Rma,
    picks: Mapping[int, int | None],
    *,
    reason: str = "",
    condition: str = "",
) -> list[RmaLine]:
    """Add order lines to the draft: ``picks`` maps order line id → quantity (None: all
    that is returnable). A line already on the draft gets the quantity added to it."""
    lock_draft(session, rma)
    ensure_draft(rma)
    if not picks:
        raise RequestError(_("Tick the lines to add, or type a quantity beside them."))
    _check_choices(rma.return_type, reason, condition)
    owned = account_order_lines(session, rma.account, list(picks))
    if len(owned) != len(picks):
        raise RequestError(_("Some of these lines are not in your purchase history."))
    returnable = returnable_for(session, rma, list(picks))
    existing = {line.order_line_id: line for line in rma.lines}
    changed = []
    for order_line_id, quantity in picks.items():
        line = existing.get(order_line_id)
        already = line.quantity_requested if line else 0
        wanted = already + (returnable[order_line_id] - already if quantity is None else quantity)
        _check_quantity(wanted, returnable[order_line_id], quantity, _sku_of(owned[order_line_id]))
        if line is None:
            line = RmaLine(rma=rma, order_line_id=order_line_id, reason=reason, condition=condition)
            session.add(line)
        line.quantity_requested = wanted
        changed.append(line)
    session.flush()
    return changed


def _sku_of(order_line) -> Callable[[], str]:
    return lambda: order_line.product.sku


def _check_quantity(
    wanted: int, returnable: int, asked: int | None, sku: Callable[[], str]
) -> None:
    """``sku`` is asked for only to word a refusal: reading it may cost a query."""
    if asked is not None and asked < 1:
        raise RequestError(_("Quantities must be at least 1."))
    if returnable < 1:
        raise RequestError(_("Nothing more of %(sku)s on this invoice can be returned.", sku=sku()))
    if wanted > returnable:
        raise RequestError(
            _(
                "At most %(returnable)s of %(sku)s on this invoice can be returned; "
                "you asked for %(wanted)s.",
                returnable=returnable,
                sku=sku(),
                wanted=wanted,
            )
        )


def _check_choices(return_type: ReturnType, reason: str, condition: str) -> None:
    if reason and reason not in (return_type.reasons or []):
        raise RequestError(
            _(
                "“%(reason)s” is not a reason offered for %(name)s.",
                reason=reason,
                name=return_type.shown_name,
            )
        )
    if condition and condition not in CONDITIONS:
        raise RequestError(_("Choose the condition from the list."))


def _ensure_on_draft(session: Session, rma: Rma, line: RmaLine) -> None:
    """After the lock: a line removed by a request that committed first is not there to
    change. Asked of the one row: loading a 200-line draft's lines took 7 ms an edit."""
    still_there = select(RmaLine.id).where(RmaLine.id == line.id, RmaLine.rma_id == rma.id)
    if session.scalar(still_there) is None:
        raise LineGone(_("This line was removed meanwhile. Reload the draft."))


def update_line(
    session: Session,
    actor: User,
    rma: Rma,
    line: RmaLine,
    *,
    quantity: int,
    reason: str,
    condition: str,
    description: str,
    answers: Mapping[str, str] | None = None,
) -> None:
    """Change a draft line; the quantity must fit what is still returnable.

    When the return type asks a condition questionnaire, ``answers`` (question key →
    answer key; None keeps those given) set the condition: the worst grade answered, empty
    until every question is answered. An answer the questionnaire lacks is refused."""
    lock_draft(session, rma, lines=False)
    ensure_draft(rma)
    _ensure_on_draft(session, rma, line)
    questions = questions_of(rma.return_type.policy or {})
    snapshot = line.condition_answers
    if questions or answers:
        given = _claim(questions, line, answers)
        condition, snapshot = given.grade or "", given.snapshot()
    _check_choices(rma.return_type, reason, condition)
    if len(description) > MAX_DESCRIPTION:
        raise RequestError(_("Keep the description under %(max)s characters.", max=MAX_DESCRIPTION))
    returnable = returnable_for(session, rma, [line.order_line_id])[line.order_line_id]
    _check_quantity(quantity, returnable, quantity, lambda: line.order_line.product.sku)
    line.quantity_requested = quantity
    line.reason = reason
    line.condition = condition
    line.description = description.strip()
    line.condition_answers = snapshot
    session.flush()


def _claim(
    questions: tuple[Question, ...], line: RmaLine, answers: Mapping[str, str] | None
) -> Claim:
    if answers is None:  # kept as given, less answers to questions asked no more
        kept = chosen_answers(line.condition_answers)
        answers = {
            key: value
            for key, value in kept.items()
            if any(q.key == key and q.answer(value) for q in questions)
        }
    try:
        return claim(questions, answers)
    except UnknownAnswer as error:
        raise RequestError(str(error)) from None


def remove_line(session: Session, actor: User, rma: Rma, line: RmaLine) -> list[str]:
    """Remove a draft line; returns the stored names of its photos, to delete after commit.
    A line someone removed meanwhile is already what was asked for: nothing to do."""
    lock_draft(session, rma)
    ensure_draft(rma)
    if line not in rma.lines:
        return []
    names = list(
        session.scalars(
            select(RmaAttachment.stored_name).where(RmaAttachment.rma_line_id == line.id)
        )
    )
    session.execute(delete(RmaAttachment).where(RmaAttachment.rma_line_id == line.id))
    session.expire(rma, ["attachments"])
    rma.lines.remove(line)
    session.delete(line)
    session.flush()
    return names


def attach_photos(
    session: Session,
    actor: User,
    rma: Rma,
    line: RmaLine,
    files: list[StoredFile],
    *,
    max_files: int,
) -> list[RmaAttachment]:
    """Record photos already stored by ``portal.requests.uploads`` against a draft line."""
    ensure_draft(rma)
    count = session.scalar(select(func.count()).where(RmaAttachment.rma_line_id == line.id))
    if count + len(files) > max_files:
        raise RequestError(_("A line can have at most %(max)s photos.", max=max_files))
    attachments = [new_attachment(rma, line, stored, actor) for stored in files]
    session.add_all(attachments)
    session.flush()
    return attachments


def remove_photo(session: Session, actor: User, rma: Rma, attachment: RmaAttachment) -> str:
    ensure_draft(rma)
    session.delete(attachment)
    session.flush()
    return attachment.stored_name


def set_replacement_quantities(
    session: Session, actor: User, rma: Rma, quantities: Mapping[int, int]
) -> None:
    """Set the replacement order's quantity per product id (0 removes the product).

    Products must be active with new stock on hand; the price is the catalog list price.
    """
    ensure_draft(rma)
    if not takes_replacements(rma.return_type):
        raise RequestError(
            _("%(name)s does not take a replacement order.", name=rma.return_type.shown_name)
        )
    if any(q < 0 for q in quantities.values()):
        raise RequestError(_("Quantities cannot be negative."))
    offers = replacements.orderable(session, [p for p, q in quantities.items() if q > 0])
    current = {line.product_id: line for line in rma.replacement_lines}
    for product_id, quantity in quantities.items():
        line = current.get(product_id)
        if quantity == 0:
            if line is not None:
                rma.replacement_lines.remove(line)
                session.delete(line)
            continue
        offer = offers.get(product_id)
        if offer is None:
            raise RequestError(
                _("That product cannot be ordered: it is not active or not in stock.")
            )
        if quantity > offer.available:
            raise RequestError(
                _(
                    "Only %(available)s of %(sku)s are in stock.",
                    available=offer.available,
                    sku=offer.product.sku,
                )
            )
        if line is None:
            line = ReplacementLine(rma=rma, product_id=product_id)
            session.add(line)
        line.quantity = quantity
        line.unit_price = offer.product.list_price
    session.flush()


def request_exception(session: Session, actor: User, rma: Rma, justification: str) -> None:
    """Ask for the policy's exception-allowed failures to be overridden, with a reason."""
    ensure_draft(rma)
    justification = justification.strip()
    if not justification:
        raise RequestError(_("Explain why this request should be an exception."))
    if len(justification) > MAX_JUSTIFICATION:
        raise RequestError(
            _("Keep the justification under %(max)s characters.", max=MAX_JUSTIFICATION)
        )
    rma.exception_requested = True
    rma.exception_justification = justification
    session.flush()


def withdraw_exception(session: Session, actor: User, rma: Rma) -> None:
    ensure_draft(rma)
    rma.exception_requested = False
    rma.exception_justification = ""
    session.flush()


def discard_draft(session: Session, actor: User, rma: Rma) -> list[str]:
    """Delete a draft that was never submitted (it has no events); returns the stored names
    of its photos, to delete after commit."""
    ensure_draft(rma)
    names = list(
        session.scalars(select(RmaAttachment.stored_name).where(RmaAttachment.rma_id == rma.id))
    )
    for model in (RmaAttachment, ReplacementLine, RmaLine):
        session.execute(delete(model).where(model.rma_id == rma.id))
    # The collections may still hold the deleted rows; the ORM would try to orphan them.
    session.expire(rma, ["lines", "replacement_lines", "attachments"])
    session.delete(rma)
    session.flush()
    return names
