"""What a user may do with an RMA they can see: named predicates shared by views and
templates. Seeing the RMA at all is decided by the scoped loader (portal.rmas.queries);
these assume the RMA was loaded through it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import object_session

from models import Rma, User
from workflow_designer.firing import TriggerOption
from workflow_designer.runtime import compiled_for, options_for

# Triggers that need more than a button the first time: submitting a draft evaluates the
# policy, snapshots the findings and stamps submitted_at, which the request form does
# (portal.requests). Sending a return back after changes were requested is a button here.
FIRST_SUBMIT = "submit"


def handled_elsewhere(rma: Rma, trigger: str) -> bool:
    return trigger == FIRST_SUBMIT and rma.submitted_at is None


def can_post_message(user: User, rma: Rma) -> bool:
    """Anyone who can see the RMA may write in its thread, the retailer and staff alike."""
    return user.is_active


def label_available(rma: Rma) -> bool:
    """The label exists once issued, and is useless once the RMA's life has ended."""
    if rma.label_issued_at is None:
        return False
    session = object_session(rma)
    return session is not None and not compiled_for(session, rma).state(rma.state).final


def can_download_label(user: User, rma: Rma) -> bool:
    return user.is_active and label_available(rma)


def page_options(user: User, rma: Rma) -> list[TriggerOption]:
    """The options offered as buttons on the RMA page (options_for, less ELSEWHERE)."""
    session = object_session(rma)
    if session is None or not user.is_active:
        return []
    options = [o for o in options_for(session, rma, user) if not handled_elsewhere(rma, o.trigger)]
    # What can be done now first; cancelling, the way out, last.
    return sorted(options, key=lambda o: (not o.available, o.trigger == "cancel"))


def can_fire(user: User, rma: Rma, trigger: str, options: Iterable[TriggerOption] = ()) -> bool:
    """Whether ``trigger`` is available to ``user`` right now (``options`` if already known)."""
    options = list(options) or page_options(user, rma)
    return any(o.trigger == trigger and o.available for o in options)


def can_cancel(user: User, rma: Rma, options: Iterable[TriggerOption] = ()) -> bool:
    return can_fire(user, rma, "cancel", options)
