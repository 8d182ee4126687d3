"""Exceptions raised by the workflow engine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workflow_designer.engine.problems import Problem


class Refusal(Exception):
    """An operation declined what it was asked, and changed nothing.

    Every refusal in the product derives from this class. The web layer answers one it
    does not catch itself with ``status`` and the message (``portal/web.py``), after
    rolling the request's work back; a view catches it only to show the message in place,
    beside the form that caused it.
    """

    status = 422

    def __init__(self, message: str = "", *, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status

    @property
    def message(self) -> str:
        return str(self)


class Conflict(Refusal):
    """Someone else changed the same thing at the same time; trying again may succeed."""

    status = 409


class WorkflowError(Exception):
    """Base class for every error the workflow engine raises on purpose."""


class InvalidWorkflow(WorkflowError, ValueError):
    """A config failed validation; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        first = str(self.problems[0]) if self.problems else "no problems listed"
        more = len(self.problems) - 1
        suffix = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"invalid workflow: {first}{suffix}")


class SchemaVersionError(WorkflowError, ValueError):
    """A stored config declares a schema version this build cannot read."""


class UnknownName(WorkflowError, LookupError):
    """A name is not in the guard/action registry; nothing else is ever resolved."""


class ParamError(WorkflowError, ValueError):
    """A guard or action parameter is missing, unknown or ill-typed."""


class UnknownState(WorkflowError, LookupError):
    """A state name is not part of the compiled workflow."""


class ActionUnavailable(WorkflowError, RuntimeError):
    """An action cannot run in this context (e.g. it needs a database session)."""
