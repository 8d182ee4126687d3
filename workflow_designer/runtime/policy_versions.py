"""Numbered versions of a return type's policy: every change is kept, the last is current.

``record_policy`` is the one writer of ``ReturnType.policy``'s history: the designer's
policy editor, restoring an old version and the return type's evidence checkboxes all go
through it. It locks the return type's row first (``SELECT … FOR UPDATE`` on PostgreSQL;
SQLite takes one writer at a time anyway), so two admins saving at once get consecutive
numbers rather than one number twice — which the unique constraint on
``(return_type_id, number)`` refuses in any case. A document that says the same as the
current version adds no version. Versions never change once written (a flush hook).

Operations take a session and never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session, selectinload

from models import PolicyVersion, ReturnType, User
from models.return_type import POLICY_NOTE_LENGTH
from workflow_designer.engine.errors import Conflict, Refusal
from workflow_designer.policy.changes import same_policy
from workflow_designer.policy.words import gettext as _

FIRST_NOTE = "The policy as it stood when versions began."
POLICY_VERSION = "policy_version"
"""The key of the submit event's data naming the policy version a request was judged under."""


class StalePolicy(Conflict):
    """The current version changed since the page asking for this was shown."""


class PolicyVersionFrozen(Exception):
    """A stored policy version was about to change: history is written once."""


def lock_return_type(session: Session, return_type_id: int) -> None:
    """Hold the return type's row until the transaction ends (saves queue behind it)."""
    session.execute(select(ReturnType.id).where(ReturnType.id == return_type_id).with_for_update())


def current_version(session: Session, return_type_id: int) -> PolicyVersion | None:
    return session.scalar(
        select(PolicyVersion)
        .where(PolicyVersion.return_type_id == return_type_id)
        .order_by(PolicyVersion.number.desc())
        .limit(1)
    )


def current_number(session: Session, return_type_id: int) -> int:
    """The current version's number; 0 for a return type with no version yet."""
    number = session.scalar(
        select(func.max(PolicyVersion.number)).where(PolicyVersion.return_type_id == return_type_id)
    )
    return number or 0


def history(session: Session, return_type_id: int) -> list[PolicyVersion]:
    """Every version, newest first, with its author loaded."""
    return list(
        session.scalars(
            select(PolicyVersion)
            .where(PolicyVersion.return_type_id == return_type_id)
            .options(selectinload(PolicyVersion.created_by))
            .order_by(PolicyVersion.number.desc())
        )
    )


def version_in_force(session: Session, return_type: ReturnType) -> PolicyVersion | None:
    """The current version, if it is what ``return_type.policy`` (as this transaction read
    it) holds; None when a save since changed it, or for a return type without versions."""
    current = current_version(session, return_type.id)
    if current is not None and same_policy(current.params, return_type.policy or {}):
        return current
    return None


def find_version(session: Session, return_type_id: int, number: int) -> PolicyVersion | None:
    return session.scalar(
        select(PolicyVersion).where(
            PolicyVersion.return_type_id == return_type_id, PolicyVersion.number == number
        )
    )


def record_policy(
    session: Session,
    return_type: ReturnType,
    params: dict[str, Any],
    actor: User | None,
    note: str = "",
    *,
    restored_from: int | None = None,
    expected: int | None = None,
) -> PolicyVersion | None:
    """Make ``params`` the return type's policy, as a new version when it changes anything.

    ``expected``: the version number the caller's page showed as current; when another
    version was saved since, nothing changes and ``StalePolicy`` says so. Returns the new
    version, or None when ``params`` says the same as the current one.
    """
    note = (note or "").strip()
    if len(note) > POLICY_NOTE_LENGTH:
        raise Refusal(_("Keep the note to %(length)s characters.", length=POLICY_NOTE_LENGTH))
    lock_return_type(session, return_type.id)
    current = current_version(session, return_type.id) or _first_version(session, return_type)
    number = current.number if current else 0
    if expected is not None and expected != number:
        raise StalePolicy(
            _(
                "The policy changed since this page was shown: version %(number)s is now "
                "current. Nothing was changed; look at the history again before restoring.",
                number=number,
            )
        )
    if same_policy(current.params if current else {}, params):
        return None
    version = PolicyVersion(
        return_type_id=return_type.id,
        number=number + 1,
        params=params,
        note=note,
        restored_from=restored_from,
        created_by_id=actor.id if actor else None,
    )
    session.add(version)
    return_type.policy = params
    session.flush()
    return version


def first_version(
    session: Session, return_type: ReturnType, actor: User | None, note: str
) -> PolicyVersion:
    """Version 1 of a new return type's policy (one installed with a policy of its own)."""
    version = PolicyVersion(
        return_type_id=return_type.id,
        number=1,
        params=return_type.policy or {},
        note=note,
        created_by_id=actor.id if actor else None,
    )
    session.add(version)
    session.flush()
    return version


def _first_version(session: Session, return_type: ReturnType) -> PolicyVersion | None:
    """Version 1 from the stored policy, for a return type made without one (the migration
    gives every existing return type its version 1; rows written directly may lack it)."""
    stored = session.scalar(select(ReturnType.policy).where(ReturnType.id == return_type.id))
    if not stored:
        return None
    version = PolicyVersion(return_type_id=return_type.id, number=1, params=stored, note=FIRST_NOTE)
    session.add(version)
    session.flush()
    return version


FROZEN_COLUMNS = ("return_type_id", "number", "params", "note", "restored_from")


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_history(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if isinstance(obj, PolicyVersion) and session.is_modified(obj, include_collections=False):
            state = inspect(obj)
            changed = [n for n in FROZEN_COLUMNS if state.attrs[n].history.has_changes()]
            if changed:
                raise PolicyVersionFrozen(
                    f"policy version {obj.number} is history and cannot change ({changed})"
                )
