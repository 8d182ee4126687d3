"""What a user may do with an RMA they can see: named predicates shared by views and
templates. Seeing the RMA at all is decided by the scoped loader (portal.rmas.queries);
these assume the RMA was loaded through it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import object_session

from models import Rma, User
from workflow_designer.engine.errors import Refusal
from workflow_designer.engine.firing import TriggerOption
from workflow_designer.runtime.firing import compiled_for, options_for

# Triggers that need more than a button the first time: submitting a draft evaluates the
# policy, snapshots the findings and stamps submitted_at, which the request form does
# (portal.requests). Sending a return back after changes were requested is a button here.
FIRST_SUBMIT = "submit"


@dataclass(frozen=True)
class Elsewhere:
    """A trigger whose work needs a form of its own, and the page that has it."""

    endpoint: str
    label: str | LazyString  # translated when shown
    why: str | LazyString


# Receiving records the counted quantities and flags discrepancies; resolving writes the
# credit memo. Fired as a bare button they would move the RMA on without doing either.
ELSEWHERE = {
    "receive": Elsewhere(
        "warehouse.rma", _l("Receive the parcel"), _l("the received quantities are counted there")
    ),
    "resolve": Elsewhere(
        "admin.rma_resolve", _l("Resolve and credit"), _l("the credit memo is written there")
    ),
}


@dataclass(frozen=True)
class ElsewhereLink:
    trigger: str
    endpoint: str
    label: str


def handled_elsewhere(rma: Rma, trigger: str) -> bool:
    return trigger in ELSEWHERE or (trigger == FIRST_SUBMIT and rma.submitted_at is None)


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


class NoLabel(Refusal):
    status = 404


def require_label(user: User, rma: Rma) -> None:
    """Refuse (404) the label of an RMA that has none for ``user`` now."""
    if not can_download_label(user, rma):
        raise NoLabel(
            _(
                "%(number)s has no return label: the label is issued when the return is "
                "authorized, and withdrawn when the return ends.",
                number=rma.number,
            )
        )


def page_options(user: User, rma: Rma) -> list[TriggerOption]:
    """The options offered as buttons on the RMA page (options_for, less those handled
    elsewhere)."""
    options = [o for o in _options(user, rma) if not handled_elsewhere(rma, o.trigger)]
    # What can be done now first; cancelling, the way out, last.
    return sorted(options, key=lambda o: (not o.available, o.trigger == "cancel"))


def elsewhere_links(user: User, rma: Rma) -> list[ElsewhereLink]:
    """Links to the pages where this user takes the steps that need a form of their own.
    Offered whatever the guards say: the form is where their conditions are met (the
    resolution is chosen on the resolve page)."""
    links = {}
    for option in _options(user, rma):
        place = ELSEWHERE.get(option.trigger)
        if place is not None:
            links[option.trigger] = ElsewhereLink(option.trigger, place.endpoint, str(place.label))
    return list(links.values())


def _options(user: User, rma: Rma) -> list[TriggerOption]:
    session = object_session(rma)
    if session is None or not user.is_active:
        return []
    return options_for(session, rma, user)
